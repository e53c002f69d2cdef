package org.optikern.optim;

import java.util.Objects;
import org.optikern.tensor.Tensor;

/**
 * One parameter of a multi-tensor update ({@link Optimizer#updateAll}): its index, weight,
 * gradient and state, as {@link Optimizer#updateMultiPrecision} takes them.
 */
public record ParameterUpdate(int index, Tensor weight, Tensor grad, OptimizerState state) {
  public ParameterUpdate {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(grad, "grad");
  }
}
