package org.optikern.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/** Engine bytes as Optikern heap tensors and back, for the reference runs of the tests. */
final class HeapTensors {
  private HeapTensors() {}

  /** The bytes as a tensor of {@code shape} (a vector when none is given). */
  static Tensor of(byte[] bytes, DType dtype, int... shape) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    switch (dtype) {
      case FLOAT32: {
        float[] values = new float[bytes.length / 4];
        buffer.asFloatBuffer().get(values);
        return shape.length == 0 ? Tensor.of(values) : Tensor.of(values, shape);
      }
      case FLOAT64: {
        double[] values = new double[bytes.length / 8];
        buffer.asDoubleBuffer().get(values);
        return shape.length == 0 ? Tensor.of(values) : Tensor.of(values, shape);
      }
      case FLOAT16: {
        short[] values = new short[bytes.length / 2];
        buffer.asShortBuffer().get(values);
        return shape.length == 0 ? Tensor.ofHalf(values) : Tensor.ofHalf(values, shape);
      }
      default:
        throw new IllegalArgumentException(dtype.toString());
    }
  }

  static byte[] bytesOf(Tensor tensor) {
    ByteBuffer buffer = ByteBuffer.allocate(tensor.size() * tensor.dtype().bytes()).order(ByteOrder.nativeOrder());
    switch (tensor.dtype()) {
      case FLOAT32:
        buffer.asFloatBuffer().put(tensor.floatData());
        break;
      case FLOAT64:
        buffer.asDoubleBuffer().put(tensor.doubleData());
        break;
      case FLOAT16:
        buffer.asShortBuffer().put(tensor.halfData());
        break;
      default:
        throw new IllegalArgumentException(tensor.dtype().toString());
    }
    return buffer.array();
  }
}
