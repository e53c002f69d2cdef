package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.optikern.verify.KernelVerification;

/**
 * {@link Noise#normals} in vector lanes ({@code VectorNormals}) against the scalar code, bit for bit.
 * Runs where SIMD is on (the build's {@code simd} execution, with the module and {@code
 * -Doptikern.expectSimd=true}, where a missing vector path fails); elsewhere it is skipped, saying why.
 */
class VectorNormalsTest {
  private static final int[] COUNTS = {0, 1, 2, 3, 4, 5, 7, 31, 32, 33, 63, 64, 65, 127, 255, 511, 512, 513, 1000,
      1024, 1537, 4099};

  @BeforeEach
  void vectorPathPresent() {
    if (Noise.vectorized()) {
      return;
    }
    String why = VectorSupport.enabled() ? "the vector filler failed to link" : "SIMD is off in this JVM (run with "
        + "--add-modules jdk.incubator.vector on C2; see VectorSupport's log)";
    if (Boolean.getBoolean(KernelVerification.EXPECT_SIMD)) {
      fail("Noise.normals has no vector path where SIMD is expected: " + why);
    }
    Assumptions.abort("Noise.normals runs scalar here, nothing to compare: " + why);
  }

  @Test
  void vectorLanesAreWide() {
    assertTrue(VectorNormals.bits() >= 128, "bits " + VectorNormals.bits());
  }

  @Test
  void sameBitsAsScalarOverKeysOffsetsAndCounts() {
    SplittableRandom random = new SplittableRandom(18);
    long values = 0;
    for (int trial = 0; trial < 400; trial++) {
      long key = Noise.key(random.nextLong(), random.nextInt(1000), random.nextInt(1 << 20));
      long first = switch (trial % 4) {
        case 0 -> random.nextInt(1 << 20);
        // groups whose counter's high word changes within a step, and elements past 2^32
        case 1 -> (1L << 34) - random.nextInt(1, 300);
        case 2 -> random.nextLong(1L << 40);
        default -> trial;
      };
      int count = COUNTS[trial % COUNTS.length];
      values += compare(key, first, count, 1 + random.nextInt(7));
    }
    assertTrue(values > 150_000, "compared " + values);
  }

  @Test
  void sameBitsAsScalarInKernelBatchesOverManyElements() {
    // 2^22 elements in the kernels' batches of 512: about 63,000 rare paths, 1,100 of them in the tail
    long key = Noise.key(7, 3, 11);
    double[] vector = new double[KernelMath.NORMALS_AT_A_TIME];
    double[] scalar = new double[KernelMath.NORMALS_AT_A_TIME];
    int tails = 0;
    for (int batch = 0; batch < 1 << 22; batch += vector.length) {
      Noise.normals(key, batch, vector, vector.length);
      Noise.normals(key, batch, scalar, 0, scalar.length);
      for (int k = 0; k < vector.length; k++) {
        if (Double.doubleToRawLongBits(vector[k]) != Double.doubleToRawLongBits(scalar[k])) {
          fail("element " + (batch + k) + ": vector " + vector[k] + ", scalar " + scalar[k]);
        }
        tails += Math.abs(scalar[k]) > NormalZiggurat.R ? 1 : 0;
      }
    }
    assertTrue(tails > 500, "tail values " + tails);
  }

  @Test
  void floatValuesAreTheDoublesRoundedOverCountsAndBatches() {
    // counts past the thread's buffer of doubles (512) too, and not multiples of the lanes
    SplittableRandom random = new SplittableRandom(19);
    int[] counts = {0, 1, 7, 8, 9, 15, 16, 17, 511, 512, 513, 1023, 1025, 5000};
    for (int count : counts) {
      long key = Noise.key(random.nextLong(), random.nextInt(1000), random.nextInt(1 << 20));
      long first = random.nextInt(1 << 20);
      float[] floats = new float[count + 3];
      Arrays.fill(floats, Float.NaN);
      Noise.normals(key, first, floats, count);
      for (int k = 0; k < count; k++) {
        float expected = (float) Noise.normal(key, first + k);
        if (Float.floatToRawIntBits(floats[k]) != Float.floatToRawIntBits(expected)) {
          fail("count " + count + ": element " + (first + k) + " is " + floats[k] + ", rounded from scalar " + expected);
        }
      }
      for (int k = count; k < floats.length; k++) {
        assertTrue(Float.isNaN(floats[k]), "wrote past count " + count + " at " + k);
      }
    }
  }

  @Test
  void narrowingInLanesRoundsAsACast() {
    // values whose rounding to float is a tie, subnormal, out of range or NaN, not only normal draws
    double[] values = {0.1, -0.1, 1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-52, 0x1p-140, -0x1p-150, 0x1p-151, 1e39, -1e39,
        Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, Float.MAX_VALUE * 1.0000001, 3.4028235677973366e38,
        -2.5, 123456789.123, 7e-46};
    float[] out = new float[values.length + 2];
    VectorNormals.narrow(values, out, 2, values.length);
    for (int j = 0; j < values.length; j++) {
      assertEquals(Float.floatToRawIntBits((float) values[j]), Float.floatToRawIntBits(out[2 + j]), "value " + values[j]);
    }
  }

  /** Compares {@code count} values from {@code first}, and checks that the {@code spare} elements after them are left alone. */
  private static int compare(long key, long first, int count, int spare) {
    double[] vector = new double[count + spare];
    Arrays.fill(vector, Double.NaN);
    Noise.normals(key, first, vector, count);
    double[] scalar = new double[count];
    Noise.normals(key, first, scalar, 0, count);
    for (int k = 0; k < count; k++) {
      if (Double.doubleToRawLongBits(vector[k]) != Double.doubleToRawLongBits(scalar[k])) {
        fail("key " + key + ", first " + first + ", count " + count + ": element " + (first + k) + " is "
            + vector[k] + " in lanes, " + scalar[k] + " in scalar code");
      }
      assertEquals(Noise.normal(key, first + k), scalar[k]);
    }
    for (int k = count; k < vector.length; k++) {
      assertTrue(Double.isNaN(vector[k]), "wrote past count " + count + " at " + k);
    }
    return count;
  }
}
