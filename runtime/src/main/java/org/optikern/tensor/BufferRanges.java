package org.optikern.tensor;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Copies a range of elements between a native-order {@link ByteBuffer} and a Java array, bit for
 * bit: how code that reads arrays (the interpreter, the verification's oracles) runs over tensors
 * outside the heap. Element {@code i} of a buffer is at byte {@code i * dtype.bytes()}.
 */
public final class BufferRanges {
  private BufferRanges() {}

  /**
   * A new array of {@code offset + length} elements whose {@code [offset, offset + length)} holds
   * the buffer's elements there (the rest zeros): indices stay those of the buffer.
   */
  public static Object toArray(ByteBuffer buffer, DType dtype, int offset, int length) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.checkFromIndexSize(offset, length, buffer.capacity() / dtype.bytes());
    Object array = Tensor.newArray(dtype, offset + length);
    switch (dtype) {
      case FLOAT32 -> buffer.asFloatBuffer().get(offset, (float[]) array, offset, length);
      case FLOAT64 -> buffer.asDoubleBuffer().get(offset, (double[]) array, offset, length);
      case FLOAT16 -> buffer.asShortBuffer().get(offset, (short[]) array, offset, length);
    }
    return array;
  }

  /** Writes the array's elements {@code [offset, offset + length)} into the same elements of the buffer. */
  public static void intoBuffer(Object array, ByteBuffer buffer, DType dtype, int offset, int length) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.checkFromIndexSize(offset, length, buffer.capacity() / dtype.bytes());
    switch (dtype) {
      case FLOAT32 -> buffer.asFloatBuffer().put(offset, (float[]) array, offset, length);
      case FLOAT64 -> buffer.asDoubleBuffer().put(offset, (double[]) array, offset, length);
      case FLOAT16 -> buffer.asShortBuffer().put(offset, (short[]) array, offset, length);
    }
  }
}
