package org.optikern.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The slots of every kernel's scalar vector, in order: the common scalars ({@code lr}, {@code wd},
 * {@code rescale_grad}, {@code clip_gradient}, {@code t}), the spec's hyperparameters, its per-update
 * scalars ({@code @Scalar}), its scalar states, its parameter flags, the parameter's element count
 * ({@code size}) when a formula reads it, the rows and columns of its 2-D view ({@code rows},
 * {@code cols}) when a formula reads one or the spec has a {@code factored} variant, and the noise key when the update draws noise. The one owner of that layout: the model, the kernel writers, the interpreter and the
 * optimizer at run time (from its {@code OptimizerDescriptor}) all read slots from here, so a new
 * kind of scalar is added in one place.
 */
public record ScalarLayout(List<String> hyperparameters, List<String> derived, List<String> scalarStates,
    List<String> flags, boolean elementCount, boolean matrixShape, boolean noise) {
  /** Slot of the learning rate. */
  public static final int LR_SLOT = 0;
  /** Slot of the weight decay. */
  public static final int WD_SLOT = 1;
  /** Slot of the gradient's rescale factor. */
  public static final int RESCALE_GRAD_SLOT = 2;
  /** Slot of the clipping bound; -1 when unset (no clipping). */
  public static final int CLIP_GRADIENT_SLOT = 3;
  /** Slot of the update count. */
  public static final int T_SLOT = 4;
  /** The common scalars, each at its slot above. */
  public static final List<String> COMMON = List.of(OptimizerModel.LR, OptimizerModel.WD, OptimizerModel.RESCALE_GRAD,
      OptimizerModel.CLIP_GRADIENT, OptimizerModel.T);

  public ScalarLayout {
    hyperparameters = List.copyOf(hyperparameters);
    derived = List.copyOf(derived);
    scalarStates = List.copyOf(scalarStates);
    flags = List.copyOf(flags);
  }

  /** Every slot's name, in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>(COMMON);
    names.addAll(hyperparameters);
    names.addAll(derived);
    names.addAll(scalarStates);
    names.addAll(flags);
    if (elementCount) {
      names.add(OptimizerModel.SIZE);
    }
    if (matrixShape) {
      names.add(OptimizerModel.ROWS);
      names.add(OptimizerModel.COLS);
    }
    if (noise) {
      names.add(OptimizerModel.NOISE_KEY);
    }
    return List.copyOf(names);
  }

  /** How many slots a scalar vector has. */
  public int size() {
    return firstFlag() + flags.size() + (elementCount ? 1 : 0) + (matrixShape ? 2 : 0) + (noise ? 1 : 0);
  }

  public int firstHyperparameter() {
    return COMMON.size();
  }

  public int firstDerived() {
    return firstHyperparameter() + hyperparameters.size();
  }

  public int firstScalarState() {
    return firstDerived() + derived.size();
  }

  public int firstFlag() {
    return firstScalarState() + scalarStates.size();
  }

  /** The element count's slot ({@code size}), after the flags. */
  public int elementCountSlot() {
    if (!elementCount) {
      throw new IllegalStateException("no formula reads size: there is no element count slot");
    }
    return firstFlag() + flags.size();
  }

  /** The slot of the row count of the 2-D view ({@code rows}), after the element count; {@code cols} follows it. */
  public int rowsSlot() {
    if (!matrixShape) {
      throw new IllegalStateException("no formula reads rows or cols and there is no factored variant: no slot for them");
    }
    return firstFlag() + flags.size() + (elementCount ? 1 : 0);
  }

  /** The slot of the column count of the 2-D view ({@code cols}): the weight's last dimension. */
  public int colsSlot() {
    return rowsSlot() + 1;
  }

  /** The noise key's slot, the last. */
  public int noiseSlot() {
    if (!noise) {
      throw new IllegalStateException("this update draws no noise: there is no noise key");
    }
    return firstFlag() + flags.size() + (elementCount ? 1 : 0) + (matrixShape ? 2 : 0);
  }
}
