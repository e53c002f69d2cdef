package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.optikern.tensor.Half;

/**
 * {@code sum}, {@code sumabs}, {@code maxabs} (and {@code sumsq}) over every storage, on values whose
 * results are worked out here: the range's bounds, signs, -0, and a NaN that {@code maxabs} keeps.
 */
class ReductionsTest {
  // elements 1..4 of this array are the range: -2, 0.5, -0, 3
  private static final float[] VALUES = {100f, -2f, 0.5f, -0f, 3f, 100f};

  private static ByteBuffer floats(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    for (int i = 0; i < values.length; i++) {
      buffer.putFloat(i << 2, values[i]);
    }
    return buffer;
  }

  private static double[] doubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static ByteBuffer doubleBuffer(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 8).order(ByteOrder.nativeOrder());
    for (int i = 0; i < values.length; i++) {
      buffer.putDouble(i << 3, values[i]);
    }
    return buffer;
  }

  private static short[] halves(float[] values) {
    short[] out = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Half.fromFloat(values[i]);
    }
    return out;
  }

  private static ByteBuffer halfBuffer(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.nativeOrder());
    for (int i = 0; i < values.length; i++) {
      buffer.putShort(i << 1, Half.fromFloat(values[i]));
    }
    return buffer;
  }

  @Test
  void everyStorageReducesTheRangeOnly() {
    float[] expected = {1.5f, 5.5f, 3f, 13.25f}; // sum, sumabs, maxabs, sumsq of -2, 0.5, -0, 3
    short[] half = halves(VALUES);
    double[] wide = doubles(VALUES);
    float[][] results = {
      {KernelMath.sum(VALUES, 1, 4), KernelMath.sumabs(VALUES, 1, 4), KernelMath.maxabs(VALUES, 1, 4),
          KernelMath.sumsq(VALUES, 1, 4)},
      {KernelMath.sumF32(floats(VALUES), 1, 4), KernelMath.sumabsF32(floats(VALUES), 1, 4),
          KernelMath.maxabsF32(floats(VALUES), 1, 4), KernelMath.sumsqF32(floats(VALUES), 1, 4)},
      {KernelMath.sum(half, 1, 4), KernelMath.sumabs(half, 1, 4), KernelMath.maxabs(half, 1, 4),
          KernelMath.sumsq(half, 1, 4)},
      {KernelMath.sumF16(halfBuffer(VALUES), 1, 4), KernelMath.sumabsF16(halfBuffer(VALUES), 1, 4),
          KernelMath.maxabsF16(halfBuffer(VALUES), 1, 4), KernelMath.sumsqF16(halfBuffer(VALUES), 1, 4)},
      {(float) KernelMath.sum(wide, 1, 4), (float) KernelMath.sumabs(wide, 1, 4),
          (float) KernelMath.maxabs(wide, 1, 4), (float) KernelMath.sumsq(wide, 1, 4)},
      {(float) KernelMath.sumF64(doubleBuffer(VALUES), 1, 4), (float) KernelMath.sumabsF64(doubleBuffer(VALUES), 1, 4),
          (float) KernelMath.maxabsF64(doubleBuffer(VALUES), 1, 4),
          (float) KernelMath.sumsqF64(doubleBuffer(VALUES), 1, 4)},
    };
    String[] storages = {"float[]", "float buffer", "short[]", "half buffer", "double[]", "double buffer"};
    for (int s = 0; s < results.length; s++) {
      for (int r = 0; r < expected.length; r++) {
        assertEquals(expected[r], results[s][r], storages[s] + ", reduction " + r);
      }
    }
  }

  @Test
  void maxabsOfNothingOrZerosIsPositiveZeroAndANanWins() {
    assertEquals(0, Float.floatToRawIntBits(KernelMath.maxabs(new float[] {-0f, -0f}, 0, 2)));
    assertEquals(0, Float.floatToRawIntBits(KernelMath.maxabs(new float[0], 0, 0)));
    assertEquals(Float.NaN, KernelMath.maxabs(new float[] {1f, Float.NaN, 5f}, 0, 3));
    assertEquals(Double.NaN, KernelMath.maxabs(new double[] {Double.NaN, 5d}, 0, 2));
  }

  @Test
  void sumsAddInElementOrderInFloat() {
    // 2^24 + 1 + 1 in order is 2^24 in float (each +1 is lost); in double it is 2^24 + 2
    float big = 16_777_216f;
    assertEquals(big, KernelMath.sum(new float[] {big, 1f, 1f}, 0, 3));
    assertEquals(16_777_218d, KernelMath.sum(new double[] {big, 1d, 1d}, 0, 3));
  }
}
