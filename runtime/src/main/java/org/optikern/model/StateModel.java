package org.optikern.model;

import org.optikern.lang.Condition;

/**
 * A validated state; {@code when} refers only to switch names, and is null for "always".
 * {@code copiesWeight}: created as a copy of the weight rather than as zeros; {@code filledWith}:
 * the hyperparameter whose value fills it when it is created (TF Addons' Yogi starts its second
 * moment at {@code initial_accumulator_value}), or null; {@code shape}: the weight's, or one value per
 * row or column of its 2-D view.
 */
public record StateModel(String name, Condition when, String source, boolean copiesWeight, String filledWith,
    StateShape shape) {
  /** The values of {@code @State(initial = ...)} besides a hyperparameter's name. */
  public static final String ZEROS = "0";
  public static final String WEIGHT = "weight";

  /** Whether the state starts as zeros: neither a copy of the weight nor filled with a hyperparameter. */
  public boolean startsAsZeros() {
    return !copiesWeight && filledWith == null;
  }
}
