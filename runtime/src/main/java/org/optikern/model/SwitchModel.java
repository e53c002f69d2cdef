package org.optikern.model;

import org.optikern.lang.Condition;

/**
 * A validated switch: {@code when} refers only to hyperparameters and {@code clip_gradient}. The
 * built-in {@code factored} has no condition ({@code when} null): it is chosen per parameter.
 */
public record SwitchModel(String name, Condition when, String source) {
  /** Whether the value comes from each parameter's shape rather than from the hyperparameters. */
  public boolean perParameter() {
    return when == null;
  }
}
