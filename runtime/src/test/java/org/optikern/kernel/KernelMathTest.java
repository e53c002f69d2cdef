package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KernelMathTest {
  private static final float[] SPECIAL_FLOATS = {
    0f, -0f, Float.NaN, Float.intBitsToFloat(0xffc00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
    Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -3e-30f
  };
  private static final double[] SPECIAL_DOUBLES = {
    0d, -0d, Double.NaN, Double.longBitsToDouble(0xfff8000000000001L), Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1d, -1d, -3e-300
  };

  @Test
  void signIsMxnetsOnSpecialValues() {
    for (float x : SPECIAL_FLOATS) {
      float expected = x > 0 ? 1f : x < 0 ? -1f : 0f;
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(KernelMath.signBySignum(x)), () -> "signum form, " + x);
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(KernelMath.signBySelection(x)), () -> "selection form, " + x);
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(KernelMath.sign(x)), () -> "sign, " + x);
    }
    for (double x : SPECIAL_DOUBLES) {
      double expected = x > 0 ? 1d : x < 0 ? -1d : 0d;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(KernelMath.signBySignum(x)), () -> "signum form, " + x);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(KernelMath.signBySelection(x)), () -> "selection form, " + x);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(KernelMath.sign(x)), () -> "sign, " + x);
    }
  }

  @Property(tries = 2000)
  void bothFormsOfSignAgreeOnEveryFloatBitPattern(@ForAll int bits) {
    float x = Float.intBitsToFloat(bits);
    assertEquals(Float.floatToRawIntBits(KernelMath.signBySelection(x)), Float.floatToRawIntBits(KernelMath.signBySignum(x)));
  }

  @Property(tries = 2000)
  void bothFormsOfSignAgreeOnEveryDoubleBitPattern(@ForAll long bits) {
    double x = Double.longBitsToDouble(bits);
    assertEquals(Double.doubleToRawLongBits(KernelMath.signBySelection(x)), Double.doubleToRawLongBits(KernelMath.signBySignum(x)));
  }

  @Test
  void everyFormOfClipIsMxnetsOnSpecialValuesAndBounds() {
    for (float x : SPECIAL_FLOATS) {
      for (float bound : SPECIAL_FLOATS) {
        float expected = x > bound ? bound : (x < -bound ? -bound : x);
        assertSameFloat(expected, KernelMath.clip(x, bound), "clip(" + x + ", " + bound + ")");
        if (bound >= 0f && Float.floatToRawIntBits(bound) >= 0) {
          assertSameFloat(expected, KernelMath.clipBySignum(x, bound), "signum form, " + x + ", " + bound);
          assertSameFloat(expected, KernelMath.clipByMinMax(x, bound), "min/max form, " + x + ", " + bound);
        }
      }
    }
    for (double x : SPECIAL_DOUBLES) {
      for (double bound : SPECIAL_DOUBLES) {
        double expected = x > bound ? bound : (x < -bound ? -bound : x);
        assertSameDouble(expected, KernelMath.clip(x, bound), "clip(" + x + ", " + bound + ")");
        if (bound >= 0d && Double.doubleToRawLongBits(bound) >= 0) {
          assertSameDouble(expected, KernelMath.clipBySignum(x, bound), "signum form, " + x + ", " + bound);
          assertSameDouble(expected, KernelMath.clipByMinMax(x, bound), "min/max form, " + x + ", " + bound);
        }
      }
    }
  }

  @Property(tries = 5000)
  void everyFormOfClipAgreesOnFloatBitPatterns(@ForAll int bits, @ForAll int boundBits) {
    float x = Float.intBitsToFloat(bits);
    float bound = Float.intBitsToFloat(boundBits & 0x7fffffff);
    float expected = KernelMath.clipBySelection(x, bound);
    if (!Float.isNaN(bound)) {
      assertSameFloat(expected, KernelMath.clipBySignum(x, bound), "signum form, " + x + ", " + bound);
      assertSameFloat(expected, KernelMath.clipByMinMax(x, bound), "min/max form, " + x + ", " + bound);
    }
    assertSameFloat(expected, KernelMath.clip(x, bound), "clip(" + x + ", " + bound + ")");
  }

  @Property(tries = 5000)
  void everyFormOfClipAgreesOnDoubleBitPatterns(@ForAll long bits, @ForAll long boundBits) {
    double x = Double.longBitsToDouble(bits);
    double bound = Double.longBitsToDouble(boundBits & 0x7fffffffffffffffL);
    double expected = KernelMath.clipBySelection(x, bound);
    if (!Double.isNaN(bound)) {
      assertSameDouble(expected, KernelMath.clipBySignum(x, bound), "signum form, " + x + ", " + bound);
      assertSameDouble(expected, KernelMath.clipByMinMax(x, bound), "min/max form, " + x + ", " + bound);
    }
    assertSameDouble(expected, KernelMath.clip(x, bound), "clip(" + x + ", " + bound + ")");
  }

  /** Same bits, except that any NaN equals any NaN (arithmetic may quiet a NaN's payload). */
  private static void assertSameFloat(float expected, float actual, String what) {
    if (Float.isNaN(expected) && Float.isNaN(actual)) {
      return;
    }
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what);
  }

  private static void assertSameDouble(double expected, double actual, String what) {
    if (Double.isNaN(expected) && Double.isNaN(actual)) {
      return;
    }
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what);
  }
}
