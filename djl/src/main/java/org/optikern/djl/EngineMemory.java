package org.optikern.djl;

import ai.djl.ndarray.NDArray;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import org.optikern.tensor.DType;

/**
 * How the adapter reaches an engine's parameter memory. {@link PyTorchViews} hands the kernels the
 * tensors' own memory; {@link CopiedMemory} copies each array out once and the weight back once, for
 * engines (MXNet) whose {@code toByteBuffer} and {@code set} always copy.
 */
abstract class EngineMemory {
  private static final System.Logger LOG = System.getLogger("org.optikern.djl");

  /** The memory strategy for arrays of the engine named {@code engineName} (DJL's name, e.g. "PyTorch"). */
  static EngineMemory forEngine(String engineName) {
    if ("PyTorch".equals(engineName)) {
      String why = PyTorchLayout.unavailableReason();
      if (why == null) {
        return new PyTorchViews();
      }
      LOG.log(Level.WARNING, "PyTorch tensors are copied once each way instead of updated in place: " + why);
      return new CopiedMemory(true);
    }
    // MXNet (through its KVStore or the local parameter server) overwrites gradients on every backward
    return new CopiedMemory(false);
  }

  /**
   * The weight and gradient of {@code parameterId} as tensors of {@code dtype}, after every check that
   * can fail; nothing of the engine's has been written when this returns or throws.
   */
  abstract BoundParameter bind(String parameterId, NDArray weight, NDArray grad, DType dtype);

  /** The shape of {@code array} as Optikern's int dimensions. */
  static int[] shapeOf(NDArray array, String parameterId) {
    long[] dims = array.getShape().getShape();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("parameter " + parameterId + " has dimension " + dims[i]
            + " in shape " + Arrays.toString(dims) + ": Optikern tensors have int dimensions");
      }
      shape[i] = (int) dims[i];
    }
    return shape;
  }

  /** Rejects a gradient whose shape or type differs from the weight's. */
  static void checkGradientMatches(String parameterId, NDArray weight, NDArray grad) {
    if (!weight.getShape().equals(grad.getShape()) || weight.getDataType() != grad.getDataType()) {
      throw new IllegalArgumentException("parameter " + parameterId + ": the gradient is " + grad.getDataType() + " "
          + grad.getShape() + " but the weight is " + weight.getDataType() + " " + weight.getShape());
    }
  }
}
