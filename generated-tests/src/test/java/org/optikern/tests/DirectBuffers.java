package org.optikern.tests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.optikern.tensor.DType;

/**
 * Test copies between arrays and direct native-order buffers, element by element at byte
 * {@code i * size}: written here, apart from the runtime's own copies, so that a kernel over
 * buffers is checked against arrays through nothing it shares.
 */
final class DirectBuffers {
  private DirectBuffers() {}

  /** A new direct buffer, in native order, holding {@code array}'s elements bit for bit. */
  static ByteBuffer of(Object array) {
    if (array instanceof float[] f) {
      ByteBuffer b = ByteBuffer.allocateDirect(f.length * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < f.length; i++) {
        b.putInt(i * 4, Float.floatToRawIntBits(f[i]));
      }
      return b;
    } else if (array instanceof double[] d) {
      ByteBuffer b = ByteBuffer.allocateDirect(d.length * 8).order(ByteOrder.nativeOrder());
      for (int i = 0; i < d.length; i++) {
        b.putLong(i * 8, Double.doubleToRawLongBits(d[i]));
      }
      return b;
    }
    short[] h = (short[]) array;
    ByteBuffer b = ByteBuffer.allocateDirect(h.length * 2).order(ByteOrder.nativeOrder());
    for (int i = 0; i < h.length; i++) {
      b.putShort(i * 2, h[i]);
    }
    return b;
  }

  /** The buffer's elements as an array of {@code dtype}, bit for bit. */
  static Object toArray(ByteBuffer b, DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> {
        float[] f = new float[b.capacity() / 4];
        for (int i = 0; i < f.length; i++) {
          f[i] = Float.intBitsToFloat(b.getInt(i * 4));
        }
        yield f;
      }
      case FLOAT64 -> {
        double[] d = new double[b.capacity() / 8];
        for (int i = 0; i < d.length; i++) {
          d[i] = Double.longBitsToDouble(b.getLong(i * 8));
        }
        yield d;
      }
      case FLOAT16 -> {
        short[] h = new short[b.capacity() / 2];
        for (int i = 0; i < h.length; i++) {
          h[i] = b.getShort(i * 2);
        }
        yield h;
      }
    };
  }
}
