package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * normal(): standard normal in distribution, independent across elements and keys, the same value for
 * an element whatever range computes it, keys exact in a double. The distribution's own tests are in
 * {@link NormalDistributionTest}, the generator's in {@link Philox4x32Test}, the table's in
 * {@link NormalZigguratTest}.
 */
class NoiseTest {
  private static final int N = 2_000_000;

  @Test
  void momentsAndTailsOfAStandardNormal() {
    long key = Noise.key(42, 3, 17);
    double sum = 0;
    double sum2 = 0;
    double sum3 = 0;
    double sum4 = 0;
    int beyond2 = 0;
    int beyond3 = 0;
    double lagProduct = 0;
    double previous = 0;
    for (int i = 0; i < N; i++) {
      double z = Noise.normal(key, i);
      sum += z;
      sum2 += z * z;
      sum3 += z * z * z;
      sum4 += z * z * z * z;
      beyond2 += Math.abs(z) > 2 ? 1 : 0;
      beyond3 += Math.abs(z) > 3 ? 1 : 0;
      lagProduct += z * previous;
      previous = z;
    }
    // bounds of about five standard errors at N = 2e6
    assertEquals(0, sum / N, 0.004, "mean");
    assertEquals(1, sum2 / N, 0.005, "variance");
    assertEquals(0, sum3 / N, 0.01, "skewness");
    assertEquals(3, sum4 / N, 0.03, "kurtosis");
    assertEquals(0.0455, (double) beyond2 / N, 0.0008, "P(|z| > 2)");
    assertEquals(0.0027, (double) beyond3 / N, 0.0002, "P(|z| > 3)");
    assertEquals(0, lagProduct / N, 0.004, "correlation of neighbouring elements");
  }

  @Test
  void differentKeysGiveUncorrelatedNoise() {
    long a = Noise.key(0, 0, 1);
    long b = Noise.key(0, 0, 2);
    double product = 0;
    for (int i = 0; i < N / 4; i++) {
      product += Noise.normal(a, i) * Noise.normal(b, i);
    }
    assertEquals(0, product / (N / 4), 0.008, "correlation of two updates' noise");
  }

  @Test
  void keysAreDistinctWholeNumbersExactInADouble() {
    Set<Long> keys = new HashSet<>();
    for (long seed = 0; seed < 4; seed++) {
      for (int index = 0; index < 50; index++) {
        for (int t = 0; t < 50; t++) {
          long key = Noise.key(seed, index, t);
          assertTrue(key >= 0 && key < (1L << 53), "key " + key);
          assertEquals(key, (long) (double) key, "a key survives the scalar vector");
          keys.add(key);
        }
      }
    }
    assertEquals(4 * 50 * 50, keys.size(), "seed, index and count each change the key");
    assertNotEquals(Noise.normal(Noise.key(1, 0, 1), 0), Noise.normal(Noise.key(2, 0, 1), 0));
    // pinned by the independent Python re-implementation (tools/golden/zoo_reference.py: noise_key, normal)
    assertEquals(8020396682876727L, Noise.key(1, 0, 1));
    assertEquals(0.30525674273501013, Noise.normal(Noise.key(1, 0, 1), 5));
    assertEquals(1.1233255229490302, Noise.normal(Noise.key(2, 0, 1), 0));
    assertEquals(-1.047520647728707, Noise.normal(Noise.key(0, 3, 7), 123456));
    assertEquals(1.6409424126885284, Noise.normal(Noise.key(0, 3, 7), (1L << 32) + 5));
    assertEquals(0.1950182242355065, Noise.normal(Noise.key(0, 3, 7), (1L << 40) + 3));
  }

  @Test
  void theRarePathsGiveThePythonReferencesValues() {
    long key = Noise.key(1, 0, 1);
    // elements whose first word the ziggurat does not take at once (found with NormalZiggurat.inside)
    assertEquals(-1.562238077764454E-4, Noise.normal(key, 178), "top layer's wedge, kept");
    assertEquals(2.590341439807341, Noise.normal(key, 552), "layer 20's wedge, kept");
    assertEquals(0.7464785608764127, Noise.normal(key, 452), "a wedge rejected, the next word");
    assertEquals(-0.7319554209277973, Noise.normal(key, 582), "a wedge rejected, the next word");
    assertEquals(-3.6820741362337928, Noise.normal(key, 2496), "the tail");
    assertEquals(-3.7744004195419985, Noise.normal(key, 8085), "the tail");
  }

  @Test
  void aValueDependsOnlyOnItsKeyAndElementNotOnTheRangeItIsComputedIn() {
    long key = Noise.key(3, 1, 4);
    int size = 5000;
    double[] one = new double[size];
    for (int i = 0; i < size; i++) {
      one[i] = Noise.normal(key, i);
    }
    double[] whole = new double[size];
    Noise.normals(key, 0, whole, size);
    assertArrayEquals(one, whole, "one call for the whole range");
    Random random = new Random(11);
    double[] chunked = new double[size];
    for (int from = 0; from < size; ) {
      int count = Math.min(size - from, random.nextInt(9));
      double[] chunk = new double[count + random.nextInt(3)];
      Noise.normals(key, from, chunk, count);
      System.arraycopy(chunk, 0, chunked, from, count);
      from += count;
    }
    assertArrayEquals(one, chunked, "chunks of 0 to 8 elements at every alignment");
    for (long first : new long[] {Integer.MAX_VALUE - 6L, (1L << 32) - 5, (1L << 34) - 3, (1L << 40) + 1}) {
      double[] far = new double[13];
      Noise.normals(key, first, far, far.length);
      for (int k = 0; k < far.length; k++) {
        assertEquals(Noise.normal(key, first + k), far[k], "element " + (first + k));
      }
    }
    assertEquals(Double.doubleToRawLongBits(Noise.normal(key, 77)), Double.doubleToRawLongBits(Noise.normal(key, 77)));
  }

  @Test
  void normalsChecksItsRange() {
    assertThrows(IndexOutOfBoundsException.class, () -> Noise.normals(1, 0, new double[3], 4));
    assertThrows(IndexOutOfBoundsException.class, () -> Noise.normals(1, 0, new double[3], -1));
  }

  /**
   * Correlations of neighbouring elements (lags 1 to 8: the four of a generator block and the next
   * block), of their squares (dependence a linear correlation misses), and of the same element under
   * keys one apart in their low bits, in their high bits, and of consecutive updates. Each estimate of
   * a zero correlation from n pairs has standard error 1/sqrt(n) (2/sqrt(n) for the squares, whose
   * variance is 2); the bounds are five of them.
   */
  @Test
  void neighbouringElementsAndNeighbouringKeysAreUncorrelated() {
    int n = 1 << 22;
    long key = Noise.key(5, 2, 9);
    double[] z = new double[n + 8];
    Noise.normals(key, 0, z, z.length);
    double bound = 5 / Math.sqrt(n);
    for (int lag = 1; lag <= 8; lag++) {
      double product = 0;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        product += z[i] * z[i + lag];
        squares += (z[i] * z[i] - 1) * (z[i + lag] * z[i + lag] - 1);
      }
      assertEquals(0, product / n, bound, "correlation at lag " + lag);
      assertEquals(0, squares / n / 2, bound, "correlation of squares at lag " + lag);
    }
    long[][] keyPairs = {{key, key + 1}, {key, key ^ (1L << 32)}, {key, key ^ (1L << 52)},
        {Noise.key(5, 2, 9), Noise.key(5, 2, 10)}, {Noise.key(5, 2, 9), Noise.key(5, 3, 9)}};
    double[] other = new double[n];
    for (long[] pair : keyPairs) {
      Noise.normals(pair[0], 0, z, n);
      Noise.normals(pair[1], 0, other, n);
      double product = 0;
      for (int i = 0; i < n; i++) {
        product += z[i] * other[i];
      }
      assertEquals(0, product / n, bound, "correlation under keys " + pair[0] + " and " + pair[1]);
    }
  }
}
