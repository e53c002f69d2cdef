package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The fixed tree that combines a reduction's 16 partial results ({@link KernelMath#LANES}), on
 * values where the order decides the result. Which element joins which partial is checked through
 * generated kernels ({@code ReductionOrderTest} in generated-tests) and the interpreter.
 */
class ReductionsTest {
  private static final float TWO_TO_24 = 16_777_216f; // from here, float can no longer add 1

  @Test
  void partialSumsAddInPairsHalfTheLanesApart() {
    // h = 8 and 4 add zeros; h = 2: p0 = 2^24 + p2, p1 = p1 + p3 = 2; h = 1: 2^24 + 2, exact.
    // One running sum from p0 would lose each 1: 2^24.
    float[] p = new float[KernelMath.LANES];
    p[0] = TWO_TO_24;
    p[1] = 1f;
    p[3] = 1f;
    assertEquals(TWO_TO_24 + 2, KernelMath.sumLanes(p));
    double[] wide = {1e300, 0, 0, 0, 0, 0, 0, 0, 1e300, 0, 0, 0, 0, 0, 0, 0};
    assertEquals(2e300, KernelMath.sumLanes(wide));
  }

  @Test
  void everyPartialCountsOnce() {
    float[] p = new float[KernelMath.LANES];
    double[] q = new double[KernelMath.LANES];
    for (int k = 0; k < p.length; k++) {
      p[k] = 1 << k;
      q[k] = 1L << (3 * k);
    }
    assertEquals(65_535f, KernelMath.sumLanes(p));
    double expected = 0;
    for (int k = 0; k < q.length; k++) {
      expected += 1L << (3 * k);
    }
    assertEquals(expected, KernelMath.sumLanes(q));
  }

  @Test
  void theLargestPartialWinsAndANanWinsOverAll() {
    float[] p = new float[KernelMath.LANES];
    p[13] = 7f;
    p[2] = 3f;
    assertEquals(7f, KernelMath.maxLanes(p.clone()));
    p[15] = Float.NaN;
    assertEquals(Float.NaN, KernelMath.maxLanes(p));
    double[] q = new double[KernelMath.LANES];
    q[9] = 2;
    assertEquals(2d, KernelMath.maxLanes(q.clone()));
    q[0] = Double.NaN;
    assertEquals(Double.NaN, KernelMath.maxLanes(q));
  }

  @Test
  void noPartialsLeaveAPositiveZero() {
    assertEquals(0, Float.floatToRawIntBits(KernelMath.maxLanes(new float[KernelMath.LANES])));
    assertEquals(0, Float.floatToRawIntBits(KernelMath.sumLanes(new float[KernelMath.LANES])));
  }
}
