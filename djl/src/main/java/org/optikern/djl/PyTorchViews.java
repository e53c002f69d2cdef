package org.optikern.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Zero copy on DJL's PyTorch engine: {@code PtNDArray.toByteBuffer(true)} on a dense, contiguous CPU
 * tensor is {@code torchDirectByteBuffer}, a direct buffer over the tensor's own storage, so the
 * kernels update the weight where it lives. For any other tensor DJL would silently hand out a copy
 * (a GPU tensor is first copied to the CPU, a non-contiguous one made contiguous), and the update
 * would be lost: such weights are refused, naming the reason, before anything is written.
 *
 * <p>After the update the weight's gradient is zeroed, as DJL's own PyTorch SGD and Adam do
 * ({@code JniUtils.zeroGrad}): DJL's {@code PtGradientCollector} does not zero gradients, so without
 * this every backward would add onto the last one.
 */
final class PyTorchViews extends EngineMemory {

  @Override
  BoundParameter bind(String parameterId, NDArray weight, NDArray grad, DType dtype) {
    checkGradientMatches(parameterId, weight, grad);
    String notAView = PyTorchLayout.whyNotADirectView(weight);
    if (notAView != null) {
      throw new IllegalArgumentException("parameter " + parameterId + ": the weight " + notAView
          + ", so toByteBuffer(true) would return a copy and the update would be lost");
    }
    int[] shape = shapeOf(weight, parameterId);
    Tensor weightView = Tensor.wrap(weight.toByteBuffer(true), dtype, shape);
    // a gradient that is not a view is only read, so a copy of it is as good (just slower)
    Tensor gradView = Tensor.wrap(grad.toByteBuffer(true), dtype, shape);
    return new BoundParameter(weightView, gradView, () -> zeroGradientOf(weight));
  }

  /** Sets every element of {@code weight}'s gradient to zero, in the engine (NaN and infinities too). */
  static void zeroGradientOf(NDArray weight) {
    if (!weight.hasGradient()) {
      return;
    }
    try (NDArray gradient = weight.getGradient()) {
      gradient.set(new NDIndex("..."), 0);
    }
  }
}
