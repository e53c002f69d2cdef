package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** normal(): standard normal in distribution, independent across elements and keys, keys exact in a double. */
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
    assertEquals(-1.0943458113597813, Noise.normal(Noise.key(1, 0, 1), 5));
    assertEquals(0.4000200824515752, Noise.normal(Noise.key(2, 0, 1), 0));
    assertEquals(0.2678013106026246, Noise.normal(Noise.key(0, 3, 7), 123456));
  }
}
