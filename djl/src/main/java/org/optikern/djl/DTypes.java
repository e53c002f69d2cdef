package org.optikern.djl;

import ai.djl.ndarray.types.DataType;
import org.optikern.tensor.DType;

/** DJL's data types as Optikern's tensor types: the floating types Optikern has kernels for. */
final class DTypes {
  private DTypes() {}

  /**
   * Optikern's type for {@code type}.
   *
   * @throws IllegalArgumentException for any other type, naming the parameter and the types there are
   */
  static DType of(DataType type, String parameterId, String optimizer) {
    switch (type) {
      case FLOAT32:
        return DType.FLOAT32;
      case FLOAT64:
        return DType.FLOAT64;
      case FLOAT16:
        return DType.FLOAT16;
      default:
        throw new IllegalArgumentException("parameter " + parameterId + " is " + type + ": Optikern's " + optimizer
            + " has kernels for float32, float64 and float16 only");
    }
  }
}
