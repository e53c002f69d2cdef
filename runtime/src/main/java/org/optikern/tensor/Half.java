package org.optikern.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * IEEE 754 binary16 conversions. float to half rounds to nearest, ties to even, like mshadow's
 * {@code half_t} and the F16C instructions.
 *
 * <p>On JDK 21 and later these call {@code Float.float16ToFloat} and {@code Float.floatToFloat16}
 * (through constant method handles, since the build targets Java 17): C2 compiles them to the
 * hardware's conversion instructions (F16C on x86) and, from JDK 21, vectorizes loops that use
 * them, which is what makes the scalar float16 kernels fast there (BENCHMARKS.md). On JDK 17 they are computed here, bit-exact: a table
 * of every half's float, and rounding in integer arithmetic. Both give the same bits for every value,
 * NaNs included.
 *
 * <p>NaN: one convention on every path, the hardware's (F16C's, and the JDK's on every tier since
 * JDK 21): a NaN stays a NaN, keeps its sign and becomes quiet; float to half keeps the top payload
 * bits ({@code sign | 0x7e00 | payload >> 13}), half to float all of them
 * ({@code sign | 0x7fc00000 | payload << 13}).
 */
public final class Half {
  public static final short POSITIVE_INFINITY = 0x7c00;
  public static final short NEGATIVE_INFINITY = (short) 0xfc00;
  public static final short NaN = 0x7e00;
  /** 65504, the largest finite half. */
  public static final short MAX_VALUE = 0x7bff;

  /**
   * Every half's float, computed once (256 KB), on first use only (not where the JDK converts): a
   * load is cheaper than decoding in the scalar float16 kernels' loops (measured 1.5x on a whole
   * update, see BENCHMARKS.md).
   */
  private static final class PortableTable {
    static final float[] FLOATS = decodeAll();
  }

  private static final MethodHandle JDK_TO_FLOAT =
      jdkConversion("float16ToFloat", MethodType.methodType(float.class, short.class));
  private static final MethodHandle JDK_FROM_FLOAT =
      jdkConversion("floatToFloat16", MethodType.methodType(short.class, float.class));

  private Half() {}

  public static float toFloat(short half) {
    if (JDK_TO_FLOAT != null) {
      try {
        return (float) JDK_TO_FLOAT.invokeExact(half);
      } catch (Throwable impossible) {
        throw new AssertionError(impossible);
      }
    }
    return portableToFloat(half);
  }

  public static short fromFloat(float value) {
    if (JDK_FROM_FLOAT != null) {
      try {
        return (short) JDK_FROM_FLOAT.invokeExact(value);
      } catch (Throwable impossible) {
        throw new AssertionError(impossible);
      }
    }
    return portableFromFloat(value);
  }

  /**
   * Whether this JDK's own conversions are used (JDK 21 and later), else the portable ones. JDK 20 has
   * them too, but there its interpreter and C2 disagree on NaNs (JDK-8302976, fixed in 21).
   */
  public static boolean usesJdkConversions() {
    return JDK_TO_FLOAT != null && JDK_FROM_FLOAT != null;
  }

  private static MethodHandle jdkConversion(String name, MethodType type) {
    if (Runtime.version().feature() < 21) {
      return null;
    }
    try {
      return MethodHandles.publicLookup().findStatic(Float.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException absentFromThisJdk) {
      return null;
    }
  }

  static float portableToFloat(short half) {
    return PortableTable.FLOATS[half & 0xffff];
  }

  private static float[] decodeAll() {
    float[] floats = new float[0x10000];
    for (int bits = 0; bits < floats.length; bits++) {
      floats[bits] = decode(bits);
    }
    return floats;
  }

  private static float decode(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      // infinity, or a NaN made quiet, as the hardware conversions do
      return Float.intBitsToFloat(sign | (mantissa == 0 ? 0x7f800000 : 0x7fc00000) | (mantissa << 13));
    }
    if (exponent == 0) {
      // zero or subnormal: mantissa * 2^-24, exact in float
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  static short portableFromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7fffffff;
    if (magnitude >= 0x7f800000) {
      if (magnitude == 0x7f800000) {
        return (short) (sign | 0x7c00);
      }
      return (short) (sign | 0x7e00 | ((magnitude >>> 13) & 0x3ff));
    }
    if (magnitude >= 0x477ff000) {
      // >= 65520, the midpoint between 65504 and 2^16: ties go to the even 2^16, i.e. infinity
      return (short) (sign | 0x7c00);
    }
    if (magnitude >= 0x38800000) {
      // normal half: rebias the exponent (127 -> 15), then round 23 mantissa bits to 10
      int rebiased = magnitude - 0x38000000;
      rebiased += 0xfff + ((rebiased >>> 13) & 1);
      return (short) (sign | (rebiased >>> 13));
    }
    int exponent = magnitude >>> 23;
    int shift = 126 - exponent;
    if (shift > 24) {
      // below 2^-25, half the smallest subnormal: rounds to zero
      return (short) sign;
    }
    int mantissa = (magnitude & 0x7fffff) | 0x800000;
    int result = mantissa >>> shift;
    int remainder = mantissa & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (result & 1) != 0)) {
      result++;
    }
    return (short) (sign | result);
  }

  public static boolean isNaN(short half) {
    return (half & 0x7c00) == 0x7c00 && (half & 0x3ff) != 0;
  }

  /** Rounds a double to the nearest half through float, as MXNet rounds its float parameters. */
  public static short fromDouble(double value) {
    return fromFloat((float) value);
  }
}
