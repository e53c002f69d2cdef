package org.optikern.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

class HalfTest {
  @Test
  void everyHalfSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      short back = Half.fromFloat(Half.toFloat(h));
      if (Half.isNaN(h)) {
        assertTrue(Half.isNaN(back), Integer.toHexString(bits));
        assertEquals(h & 0x8000, back & 0x8000, "NaN keeps its sign");
      } else {
        assertEquals(h, back, Integer.toHexString(bits));
      }
    }
  }

  @Test
  void everyHalfDecodesToItsExactValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      int sign = bits >>> 15;
      int exponent = (bits >>> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      float decoded = Half.toFloat((short) bits);
      String where = Integer.toHexString(bits);
      if (exponent == 0x1f && mantissa != 0) {
        assertEquals((sign << 31) | 0x7fc00000 | (mantissa << 13), Float.floatToRawIntBits(decoded),
            where + ": a NaN keeps its sign and payload and becomes quiet");
        continue;
      }
      if (exponent == 0x1f) {
        assertEquals(sign == 1 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, decoded, where);
        continue;
      }
      double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24) : Math.scalb((double) (1024 + mantissa), exponent - 25);
      double expected = sign == 1 ? -magnitude : magnitude;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(decoded), where);
    }
  }

  @Test
  void portableNanKeepsSignAndTopPayloadBitsAndIsQuiet() {
    assertEquals((short) 0x7e00, Half.portableFromFloat(Float.intBitsToFloat(0x7f800001)), "payload below bit 13 is dropped");
    assertEquals((short) 0x7e01, Half.portableFromFloat(Float.intBitsToFloat(0x7f802000)));
    assertEquals((short) 0xffff, Half.portableFromFloat(Float.intBitsToFloat(0xffffe000)));
    assertEquals((short) 0xfe2a, Half.portableFromFloat(Float.intBitsToFloat(0xff854000)), "signalling NaN is quieted");
    assertEquals(0x7fc02000, Float.floatToRawIntBits(Half.portableToFloat((short) 0x7c01)),
        "widening keeps the payload and quiets a signalling NaN");
    assertEquals(0xffc02000, Float.floatToRawIntBits(Half.portableToFloat((short) 0xfc01)));
    assertEquals(0xffffe000, Float.floatToRawIntBits(Half.portableToFloat((short) 0xffff)));
  }

  @Test
  void nanStaysNanWithItsSign() {
    for (int bits : new int[] {0x7f800001, 0x7fc00000, 0xff854000, 0xffffffff}) {
      short h = Half.fromFloat(Float.intBitsToFloat(bits));
      assertTrue(Half.isNaN(h), Integer.toHexString(bits));
      assertEquals(bits >>> 31, (h & 0x8000) >>> 15, Integer.toHexString(bits));
    }
  }

  @Test
  void isNaNOnlyForAllOnesExponentWithPayload() {
    assertTrue(Half.isNaN((short) 0x7c01));
    assertTrue(Half.isNaN((short) 0xfe00));
    assertFalse(Half.isNaN(Half.POSITIVE_INFINITY));
    assertFalse(Half.isNaN(Half.NEGATIVE_INFINITY));
    assertFalse(Half.isNaN((short) 0x3c00));
    assertFalse(Half.isNaN((short) 0x03ff));
  }

  @Test
  void boundaries() {
    assertEquals(Half.MAX_VALUE, Half.fromFloat(65519.99f));
    assertEquals(Half.POSITIVE_INFINITY, Half.fromFloat(65520f), "the tie above 65504 goes to the even 2^16: infinity");
    assertEquals((short) 0, Half.fromFloat(0x1p-25f), "the tie at half the smallest subnormal goes to even zero");
    assertEquals((short) 1, Half.fromFloat(Math.nextUp(0x1p-25f)));
    assertEquals((short) 2, Half.fromFloat(0x1.8p-24f), "1.5 subnormal units: tie to even 2");
    assertEquals((short) 0x8000, Half.fromFloat(-0f));
    assertEquals((short) 0x0400, Half.fromFloat(0x1p-14f), "smallest normal");
    assertEquals((short) 0x3c00, Half.fromFloat(1f));
    assertEquals((short) 0x3c00, Half.fromFloat(1f + 0x1p-11f), "tie between 1 and 1+2^-10 goes to even 1");
    assertEquals((short) 0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f), "tie goes to even 1+2^-9");
    assertEquals(Half.NEGATIVE_INFINITY, Half.fromFloat(Float.NEGATIVE_INFINITY));
    assertEquals((short) 0x7e00, Half.fromFloat(Float.NaN));
    assertEquals(0x1p-24f, Half.toFloat((short) 1));
  }

  @Property(tries = 20000)
  void roundsToTheNearestHalfWithTiesToEven(@ForAll("floats") float value) {
    short h = Half.fromFloat(value);
    if (Float.isNaN(value)) {
      assertTrue(Half.isNaN(h));
      return;
    }
    assertEquals(nearestHalf(value), h, () -> value + " (0x" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
  }

  /**
   * Where Half uses the JDK's conversions, the portable ones, which JDK 17 uses, must give the same
   * bits on every half and on a million floats, NaNs included: one NaN convention.
   */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_20)
  void portableConversionsAgreeWithTheJdksWhereHalfUsesThem() throws Exception {
    assumeTrue(Half.usesJdkConversions(), "this JDK's conversions do not follow the hardware's NaN convention");
    for (long bits = 0; bits <= 0xffffffffL; bits += 4093) {
      float value = Float.intBitsToFloat((int) bits);
      String where = Long.toHexString(bits);
      assertEquals(jdkFromFloat(value), Half.portableFromFloat(value), where);
      assertEquals(Half.fromFloat(value), Half.portableFromFloat(value), where);
    }
    for (long payload = 1; payload <= 0x7fffff; payload += 97) {
      for (int sign : new int[] {0, 0x80000000}) {
        int bits = sign | 0x7f800000 | (int) payload;
        float nan = Float.intBitsToFloat(bits);
        assertEquals(jdkFromFloat(nan), Half.portableFromFloat(nan), () -> Integer.toHexString(bits));
      }
    }
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      String where = Integer.toHexString(bits);
      assertEquals(Float.floatToRawIntBits(jdkToFloat(h)), Float.floatToRawIntBits(Half.portableToFloat(h)), where);
      assertEquals(Float.floatToRawIntBits(Half.toFloat(h)), Float.floatToRawIntBits(Half.portableToFloat(h)), where);
    }
  }

  /** Half uses the JDK's conversions exactly where they treat NaNs as the portable ones do. */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_20)
  void usesTheJdksConversionsExactlyWhereTheirNaNsAreTheSame() throws Exception {
    boolean sameNaNs = true;
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      if (Half.isNaN(h)) {
        sameNaNs &= Float.floatToRawIntBits(jdkToFloat(h)) == Float.floatToRawIntBits(Half.portableToFloat(h));
      }
    }
    for (int payload = 1; payload <= 0x7fffff; payload += 31) {
      float nan = Float.intBitsToFloat(0x7f800000 | payload);
      sameNaNs &= jdkFromFloat(nan) == Half.portableFromFloat(nan);
    }
    assertEquals(sameNaNs, Half.usesJdkConversions());
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_19)
  void usesThePortableConversionsBeforeJdk20() {
    assertFalse(Half.usesJdkConversions());
  }

  private static float jdkToFloat(short half) throws Exception {
    return (float) JdkConversions.TO_FLOAT.invoke(null, half);
  }

  private static short jdkFromFloat(float value) throws Exception {
    return (short) JdkConversions.FROM_FLOAT.invoke(null, value);
  }

  /** Looked up on first use, from JDK 20 only. */
  private static final class JdkConversions {
    static final Method TO_FLOAT = method("float16ToFloat", short.class);
    static final Method FROM_FLOAT = method("floatToFloat16", float.class);

    private static Method method(String name, Class<?> parameter) {
      try {
        return Float.class.getMethod(name, parameter);
      } catch (NoSuchMethodException e) {
        throw new AssertionError("JDK 20 and later have Float." + name, e);
      }
    }
  }

  @Provide
  Arbitrary<Float> floats() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(Float::intBitsToFloat),
        Arbitraries.floats().between(-70000f, 70000f).ofScale(6),
        Arbitraries.floats().between(-1e-4f, 1e-4f).ofScale(12),
        // exact ties and their neighbours between representable halfs
        Arbitraries.shorts().map(h -> Half.toFloat(h) + Half.toFloat(h) * 0x1p-11f),
        Arbitraries.shorts().map(h -> Math.nextUp(Half.toFloat(h) + Half.toFloat(h) * 0x1p-11f)));
  }

  /** The reference: exact distances in BigDecimal to the two neighbouring halfs. */
  private static short nearestHalf(float value) {
    short sign = (short) (Float.floatToRawIntBits(value) < 0 ? 0x8000 : 0);
    if (Float.isInfinite(value)) {
      return (short) (sign | 0x7c00);
    }
    BigDecimal x = new BigDecimal(Math.abs((double) value));
    // positive halfs increase with their bit patterns: binary search for the largest one <= x
    int below = 0;
    int above = 0x7bff;
    while (below < above) {
      int mid = (below + above + 1) >>> 1;
      if (new BigDecimal(Half.toFloat((short) mid)).compareTo(x) <= 0) {
        below = mid;
      } else {
        above = mid - 1;
      }
    }
    BigDecimal low = new BigDecimal(Half.toFloat((short) below));
    BigDecimal high = below == 0x7bff ? new BigDecimal(65536) : new BigDecimal(Half.toFloat((short) (below + 1)));
    int cmp = x.subtract(low).compareTo(high.subtract(x));
    int chosen = cmp < 0 || (cmp == 0 && (below & 1) == 0) ? below : below + 1;
    return (short) (sign | chosen);
  }
}
