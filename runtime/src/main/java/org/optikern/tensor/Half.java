package org.optikern.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * IEEE 754 binary16 conversions. float to half rounds to nearest, ties to even, like mshadow's
 * {@code half_t} and the F16C instructions.
 *
 * <p>Where the JDK has {@code Float.float16ToFloat} and {@code Float.floatToFloat16} (JDK 20 and
 * later) and they follow the NaN convention below, these call them (through constant method handles,
 * since the build targets Java 17): C2 compiles them to the hardware's conversion instructions (F16C
 * on x86) and, from JDK 21, vectorizes loops that use them, which is what makes the scalar float16
 * kernels fast there (BENCHMARKS.md). Elsewhere, on JDK 17 among others, they are computed here,
 * bit-exact: a table of every half's float, and rounding in integer arithmetic. Both give the same
 * bits for every value, NaNs included.
 *
 * <p>NaN: one convention on every path, the hardware's: a NaN stays a NaN, keeps its sign and
 * becomes quiet; float to half keeps the top payload bits ({@code sign | 0x7e00 | payload >> 13}),
 * half to float all of them ({@code sign | 0x7fc00000 | payload << 13}). The JDK's conversions follow
 * it where every tier runs the hardware's instructions (from JDK 21, and 20.0.1, on x86 with F16C
 * and on AArch64: JDK-8302976); where they run the JDK's Java code instead, which keeps payloads
 * differently, or the interpreter and C2 disagree (JDK 20.0.0), they are not used. One probe at
 * class initialization decides.
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

  private static final MethodHandle JDK_TO_FLOAT;
  private static final MethodHandle JDK_FROM_FLOAT;

  static {
    MethodHandle toFloat = jdkConversion("float16ToFloat", MethodType.methodType(float.class, short.class));
    MethodHandle fromFloat = jdkConversion("floatToFloat16", MethodType.methodType(short.class, float.class));
    boolean usable = toFloat != null && fromFloat != null && followsTheHardwaresNanConvention(toFloat, fromFloat);
    JDK_TO_FLOAT = usable ? toFloat : null;
    JDK_FROM_FLOAT = usable ? fromFloat : null;
  }

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
   * Whether this JDK's own conversions are used, else the portable ones: where they exist (JDK 20
   * and later) and follow the hardware's NaN convention.
   */
  public static boolean usesJdkConversions() {
    return JDK_TO_FLOAT != null && JDK_FROM_FLOAT != null;
  }

  private static MethodHandle jdkConversion(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findStatic(Float.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException absentBeforeJdk20) {
      return null;
    }
  }

  /**
   * Asked once, while this class initializes, so in the interpreter: where it runs the hardware's
   * instructions, C2 does too (JDK-8302976 made the tiers agree). A signalling NaN must come out
   * quiet, and a payload below the half's ten bits must be dropped, not folded in.
   */
  static boolean followsTheHardwaresNanConvention(MethodHandle toFloat, MethodHandle fromFloat) {
    try {
      int widened = Float.floatToRawIntBits((float) toFloat.invokeExact((short) 0x7c01));
      short narrowed = (short) fromFloat.invokeExact(Float.intBitsToFloat(0x7f801000));
      return widened == 0x7fc02000 && narrowed == 0x7e00;
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
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
