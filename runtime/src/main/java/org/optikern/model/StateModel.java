package org.optikern.model;

import org.optikern.lang.Condition;

/**
 * A validated state; {@code when} refers only to switch names, and is null for "always".
 * {@code copiesWeight}: created as a copy of the weight rather than as zeros.
 */
public record StateModel(String name, Condition when, String source, boolean copiesWeight) {
  /** The values of {@code @State(initial = ...)}. */
  public static final String ZEROS = "0";
  public static final String WEIGHT = "weight";
}
