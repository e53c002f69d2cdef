package org.optikern.model;

import org.optikern.lang.Condition;

/** A validated state; {@code when} refers only to switch names, and is null for "always". */
public record StateModel(String name, Condition when, String source) {}
