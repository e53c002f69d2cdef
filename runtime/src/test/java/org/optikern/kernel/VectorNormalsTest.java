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
