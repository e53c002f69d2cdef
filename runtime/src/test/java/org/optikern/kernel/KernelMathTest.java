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
}
