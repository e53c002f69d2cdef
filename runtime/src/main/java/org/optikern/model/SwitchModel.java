package org.optikern.model;

import org.optikern.lang.Condition;

/** A validated switch: {@code when} refers only to hyperparameters and {@code clip_gradient}. */
public record SwitchModel(String name, Condition when, String source) {}
