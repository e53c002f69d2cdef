package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ziggurat's table: 256 layers of one area under exp(-x^2/2), the base layer with the tail, the
 * top closing at 0; and how a word becomes a point, symmetric about 0 and inside its layer's
 * rectangle exactly when the fast path takes it.
 */
class NormalZigguratTest {
  private static final int LAYERS = NormalZiggurat.LAYERS;
  private static final double V = 0.004928673233974655347361775402336028069135;

  private static double f(double x) {
    return Math.exp(-0.5 * x * x);
  }

  @Test
  void edgesFallFromTheBaseLayersWidthToZero() {
    assertEquals(NormalZiggurat.R, NormalZiggurat.edge(1));
    assertEquals(3.654152885361008771645429720399515762975, NormalZiggurat.R);
    for (int i = 0; i < LAYERS; i++) {
      assertTrue(NormalZiggurat.edge(i) > NormalZiggurat.edge(i + 1), "edge " + i);
    }
    assertEquals(0, NormalZiggurat.edge(LAYERS));
  }

  @Test
  void everyLayerHasTheSameArea() {
    for (int i = 1; i < LAYERS; i++) {
      double x = NormalZiggurat.edge(i);
      assertEquals(V, x * (f(NormalZiggurat.edge(i + 1)) - f(x)), V * 1e-13, "layer " + i);
    }
    // the top layer ends at the curve's top: f(x_255) + v/x_255 = f(0)
    double top = NormalZiggurat.edge(LAYERS - 1);
    assertEquals(1, f(top) + V / top, 1e-15, "the top layer closes");
  }

  /** Layer 0: its rectangle and the tail beyond r (Simpson's rule on [r, r + 12]) make v, as does x_0 * f(r). */
  @Test
  void theBaseLayerIsItsRectangleAndTheTail() {
    double r = NormalZiggurat.R;
    int steps = 120_000;
    double h = 12.0 / steps;
    double tail = f(r) + f(r + 12);
    for (int k = 1; k < steps; k++) {
      tail += (k % 2 == 1 ? 4 : 2) * f(r + k * h);
    }
    tail *= h / 3;
    assertEquals(V, r * f(r) + tail, V * 1e-12, "rectangle and tail");
    assertEquals(V, NormalZiggurat.edge(0) * f(r), V * 1e-15, "x_0 f(r)");
  }

  /**
   * A word is inside exactly when its point lies within the next edge, |h/2^24 x_i| < x_{i+1}: checked
   * at each layer's threshold and for random words; the share of words inside is the layers' mean
   * of x_{i+1}/x_i (98.5%), within five binomial standard deviations.
   */
  @Test
  void theFastPathTakesExactlyThePointsInsideTheInnerRectangles() {
    for (int layer = 0; layer < LAYERS; layer++) {
      double inner = NormalZiggurat.edge(layer + 1);
      // positions h = 2s + 1 around the threshold 2^24 x_{i+1}/x_i, on both sides of 0
      int threshold = (int) (inner / NormalZiggurat.edge(layer) * 0x1p23);
      for (int s = threshold - 8; s <= Math.min(threshold + 8, (1 << 23) - 1); s++) {
        for (int word : new int[] {(s << 8) | layer, (~s << 8) | layer}) {
          boolean under = Math.abs(NormalZiggurat.value(word)) < inner;
          assertEquals(under, NormalZiggurat.inside(word),
              "layer " + layer + ", position " + NormalZiggurat.position(word));
        }
      }
    }
    SplittableRandom random = new SplittableRandom(3);
    int n = 1 << 22;
    int inside = 0;
    for (int k = 0; k < n; k++) {
      int word = random.nextInt();
      boolean in = NormalZiggurat.inside(word);
      inside += in ? 1 : 0;
      assertEquals(Math.abs(NormalZiggurat.value(word)) < NormalZiggurat.edge(NormalZiggurat.layer(word) + 1), in);
    }
    double expected = 0;
    for (int i = 0; i < LAYERS; i++) {
      expected += NormalZiggurat.edge(i + 1) / NormalZiggurat.edge(i) / LAYERS;
    }
    assertEquals(0.98508, expected, 1e-5);
    assertEquals(expected, (double) inside / n, 5 * Math.sqrt(expected * (1 - expected) / n), "share inside");
  }

  /**
   * The positions are the odd numbers in (-2^24, 2^24), so a word and its complement above the layer
   * bits give opposite values.
   */
  @Test
  void pointsAreSymmetricAboutZero() {
    SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k < 100_000; k++) {
      int word = random.nextInt();
      int mirror = word ^ 0xFFFFFF00;
      assertEquals(-NormalZiggurat.value(word), NormalZiggurat.value(mirror));
      assertEquals(NormalZiggurat.inside(word), NormalZiggurat.inside(mirror));
      assertTrue((NormalZiggurat.position(word) & 1) == 1);
    }
    assertEquals((1 << 24) - 1, NormalZiggurat.position(0x7FFFFF00));
    assertEquals(-(1 << 24) + 1, NormalZiggurat.position(0x80000000));
    assertEquals(1, NormalZiggurat.position(0x000000FF));
    assertEquals(-1, NormalZiggurat.position(0xFFFFFF00));
  }

  /** What {@link NormalZiggurat#underCurve} decided before its test against Math.exp: StrictMath alone. */
  private static boolean underCurveStrictly(int word, double u) {
    int i = NormalZiggurat.layer(word);
    double low = NormalZiggurat.density(NormalZiggurat.edge(i));
    double high = NormalZiggurat.density(NormalZiggurat.edge(i + 1));
    return low + u * (high - low) < NormalZiggurat.density(NormalZiggurat.value(word));
  }

  @Test
  void theWedgeTestAgainstMathExpDecidesAsStrictMathAloneEvenAtTheCurve() {
    SplittableRandom random = new SplittableRandom(40);
    int undecided = 0;
    int wedges = 0;
    while (wedges < 200_000) {
      int word = random.nextInt();
      if (NormalZiggurat.inside(word) || NormalZiggurat.inTail(word)) {
        continue;
      }
      wedges++;
      double u = Noise.uniform(random.nextInt(), random.nextInt());
      assertEquals(underCurveStrictly(word, u), NormalZiggurat.underCurve(word, u), "word " + word + ", u " + u);
      // the heights nearest the curve: where the two exponentials could disagree
      int i = NormalZiggurat.layer(word);
      double low = NormalZiggurat.density(NormalZiggurat.edge(i));
      double high = NormalZiggurat.density(NormalZiggurat.edge(i + 1));
      double atCurve = (NormalZiggurat.density(NormalZiggurat.value(word)) - low) / (high - low);
      if (!(atCurve > 0 && atCurve < 1)) {
        continue;
      }
      for (int step = -3; step <= 3; step++) {
        double v = atCurve;
        for (int k = 0; k < Math.abs(step); k++) {
          v = step < 0 ? Math.nextDown(v) : Math.nextUp(v);
        }
        assertEquals(underCurveStrictly(word, v), NormalZiggurat.underCurve(word, v), "word " + word + ", u " + v);
        undecided += NormalZiggurat.nearCurve(word, v) == 0 ? 1 : 0;
      }
    }
    assertTrue(undecided > 100_000, "heights left to StrictMath: " + undecided);
  }
}
