package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleConsumer;
import org.junit.jupiter.api.Test;

/**
 * The values of {@link Noise#normal} against the standard normal distribution, over 2^24 draws (2^21
 * for the Kolmogorov-Smirnov test, 2^26 beyond r): moments, a chi-square test over bins out to the
 * tails, the tails themselves, and the distribution beyond the ziggurat's {@code r} (where the tail
 * method draws). Each
 * bound is five standard errors of its estimate, or a critical value at p = 1e-6; the keys are fixed,
 * so a test that passes once passes always, and a test that fails shows a real defect. The normal CDF
 * is Marsaglia's series ("Evaluating the Normal Distribution", Journal of Statistical Software 11(4),
 * 2004), accurate to about 1e-15.
 */
class NormalDistributionTest {
  private static final int N = 1 << 24;

  /** Every draw of elements {@code [0, n)} under {@code key}, computed a chunk at a time. */
  private static void draws(long key, int n, DoubleConsumer each) {
    double[] chunk = new double[4093];
    for (int from = 0; from < n; from += chunk.length) {
      int count = Math.min(chunk.length, n - from);
      Noise.normals(key, from, chunk, count);
      for (int k = 0; k < count; k++) {
        each.accept(chunk[k]);
      }
    }
  }

  /** The standard normal CDF (Marsaglia 2004): 1/2 + phi(x) * (x + x^3/3 + x^5/(3*5) + ...). */
  static double cdf(double x) {
    if (x < -9) {
      return 0;
    }
    if (x > 9) {
      return 1;
    }
    double sum = x;
    double term = x;
    double previous = 0;
    for (int i = 3; sum != previous; i += 2) {
      previous = sum;
      term *= x * x / i;
      sum += term;
    }
    return 0.5 + sum * Math.exp(-0.5 * x * x - 0.91893853320467274178);
  }

  /** P(Z > x) for x >= 0. */
  static double upperTail(double x) {
    return cdf(-x);
  }

  @Test
  void theCdfIsTheNormalOne() {
    // SciPy 1.17's norm.cdf and norm.sf
    assertEquals(0.5, cdf(0), 1e-15);
    assertEquals(0.8413447460685429, cdf(1), 1e-15);
    assertEquals(0.022750131948179195, cdf(-2), 1e-15);
    assertEquals(1.3498980316300933e-3, upperTail(3), 1e-15);
    assertEquals(3.3976731247300535e-6, upperTail(4.5), 1e-15);
    assertEquals(1.2901624382695038e-4, upperTail(NormalZiggurat.R), 1e-15);
  }

  /**
   * Mean, variance, third and fourth moments and the share of positive values, each within five
   * standard errors: 1/sqrt(n) for the mean, sqrt(2/n), sqrt(15/n) and sqrt(96/n) for the moments
   * about 0 (the variances of z^2, z^3 and z^4 being 2, 15 and 96), 0.5/sqrt(n) for the share.
   */
  @Test
  void momentsAreTheStandardNormalsWithinFiveStandardErrors() {
    double[] sums = new double[5];
    draws(Noise.key(42, 0, 1), N, z -> {
      sums[0] += z;
      sums[1] += z * z;
      sums[2] += z * z * z;
      sums[3] += z * z * z * z;
      sums[4] += z > 0 ? 1 : 0;
    });
    double root = Math.sqrt(N);
    assertEquals(0, sums[0] / N, 5 / root, "mean");
    assertEquals(1, sums[1] / N, 5 * Math.sqrt(2) / root, "variance");
    assertEquals(0, sums[2] / N, 5 * Math.sqrt(15) / root, "skewness");
    assertEquals(3, sums[3] / N, 5 * Math.sqrt(96) / root, "kurtosis");
    assertEquals(0.5, sums[4] / N, 5 * 0.5 / root, "share of positive values");
  }

  /**
   * Pearson's chi-square over 38 bins: below -4.5, quarters of a unit from -4.5 to 4.5, above 4.5
   * (about 57 values expected in each outer bin). 93.05 is the 1 - 1e-6 quantile of chi-square with
   * 37 degrees of freedom. The bins beyond 3.5 straddle the ziggurat's r = 3.654, where its tail
   * method takes over, and each is also checked on its own, within five binomial standard deviations:
   * a defect there moves few values and could hide in the sum.
   */
  @Test
  void binsOutToTheTailsHoldTheNormalsShares() {
    double[] edges = new double[37];
    for (int k = 0; k < edges.length; k++) {
      edges[k] = -4.5 + 0.25 * k;
    }
    long[] counts = new long[edges.length + 1];
    draws(Noise.key(7, 1, 3), N, z -> {
      int bin = Arrays.binarySearch(edges, z);
      counts[bin >= 0 ? bin + 1 : -bin - 1]++;
    });
    double chiSquare = 0;
    for (int bin = 0; bin < counts.length; bin++) {
      double below = bin == 0 ? 0 : cdf(edges[bin - 1]);
      double above = bin == edges.length ? 1 : cdf(edges[bin]);
      double expected = N * (above - below);
      chiSquare += (counts[bin] - expected) * (counts[bin] - expected) / expected;
      boolean tail = bin < 5 || bin > edges.length - 5;
      if (tail) {
        double p = above - below;
        assertEquals(expected, counts[bin], 5 * Math.sqrt(N * p * (1 - p)),
            "bin " + bin + " [" + (bin == 0 ? "-inf" : edges[bin - 1]) + ", "
                + (bin == edges.length ? "inf" : edges[bin]) + ")");
      }
    }
    assertTrue(chiSquare < 93.05, "chi-square " + chiSquare + " over 37 degrees of freedom");
  }

  /**
   * Kolmogorov-Smirnov over 2^21 sorted values: the largest distance between their empirical CDF and
   * the normal CDF stays below 2.693/sqrt(n), the asymptotic critical value at p = 1e-6.
   */
  @Test
  void theEmpiricalCdfStaysWithinKolmogorovSmirnovsBound() {
    int n = 1 << 21;
    double[] z = new double[n];
    Noise.normals(Noise.key(11, 4, 2), 0, z, n);
    Arrays.sort(z);
    double distance = 0;
    for (int i = 0; i < n; i++) {
      double f = cdf(z[i]);
      distance = Math.max(distance, Math.max((i + 1.0) / n - f, f - (double) i / n));
    }
    assertTrue(distance < 2.693 / Math.sqrt(n), "Kolmogorov-Smirnov distance " + distance);
  }

  /**
   * Beyond the ziggurat's r, the values come from Marsaglia's tail method. Over 2^26 draws (about
   * 17,000 beyond r): their share is P(|Z| > r) within five binomial standard deviations, each side
   * as likely; their mean distance beyond r is the truncated normal's, lambda - r with lambda =
   * phi(r)/Q(r), within five standard errors (its variance is 1 + r lambda - lambda^2); and the
   * distances pass Kolmogorov-Smirnov against P(|Z| > x | |Z| > r) = Q(x)/Q(r) at p = 1e-6.
   */
  @Test
  void valuesBeyondRFollowTheNormalsTail() {
    int draws = 1 << 26;
    double r = NormalZiggurat.R;
    double[] beyond = new double[20_000];
    int[] counts = new int[2];
    draws(Noise.key(13, 0, 8), draws, z -> {
      if (Math.abs(z) > r) {
        beyond[counts[0]++] = Math.abs(z) - r;
        counts[1] += z > 0 ? 1 : 0;
      }
    });
    int n = counts[0];
    double p = 2 * upperTail(r);
    assertEquals(draws * p, n, 5 * Math.sqrt(draws * p * (1 - p)), "values beyond r");
    assertEquals(n / 2.0, counts[1], 5 * 0.5 * Math.sqrt(n), "positive values beyond r");
    double[] distances = Arrays.copyOf(beyond, n);
    double lambda = Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI) / upperTail(r);
    double sd = Math.sqrt(1 + r * lambda - lambda * lambda);
    assertEquals(lambda - r, Arrays.stream(distances).average().orElseThrow(), 5 * sd / Math.sqrt(n),
        "mean distance beyond r");
    Arrays.sort(distances);
    double distance = 0;
    for (int i = 0; i < n; i++) {
      double f = 1 - upperTail(r + distances[i]) / upperTail(r);
      distance = Math.max(distance, Math.max((i + 1.0) / n - f, f - (double) i / n));
    }
    assertTrue(distance < 2.693 / Math.sqrt(n), "Kolmogorov-Smirnov distance beyond r " + distance + " over " + n);
    assertTrue(distances[n - 1] > 1, "the tail reaches past r + 1: " + (r + distances[n - 1]));
  }
}
