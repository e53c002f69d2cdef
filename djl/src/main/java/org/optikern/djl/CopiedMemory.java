package org.optikern.djl;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Copies once each way: the weight and gradient out through {@code toByteBuffer()} (MXNet's is one
 * {@code MXNDArraySyncCopyToCPU} into a new direct buffer, which the kernels then update where it is),
 * and the weight back through {@code set(buffer)} (one {@code MXNDArraySyncCopyFromCPU}).
 */
final class CopiedMemory extends EngineMemory {
  private final boolean zeroGradient;

  /** @param zeroGradient whether the engine expects the optimizer to zero the weight's gradient (PyTorch) */
  CopiedMemory(boolean zeroGradient) {
    this.zeroGradient = zeroGradient;
  }

  @Override
  BoundParameter bind(String parameterId, NDArray weight, NDArray grad, DType dtype) {
    checkGradientMatches(parameterId, weight, grad);
    int[] shape = shapeOf(weight, parameterId);
    ByteBuffer weightCopy = weight.toByteBuffer();
    return new BoundParameter(Tensor.wrap(weightCopy, dtype, shape), Tensor.wrap(grad.toByteBuffer(), dtype, shape),
        () -> {
          weight.set(weightCopy.rewind());
          if (zeroGradient) {
            PyTorchViews.zeroGradientOf(weight);
          }
        });
  }
}
