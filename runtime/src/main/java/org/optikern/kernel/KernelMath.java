package org.optikern.kernel;

import java.nio.ByteBuffer;
import org.optikern.tensor.Half;

/**
 * The primitives generated kernels call, with MXNet's semantics. Small and static so that the JIT
 * inlines them. The interpreter has its own, independent definitions of the same functions.
 *
 * <p>They select between ints, never between floats: HotSpot's C2 turns an int selection into a
 * conditional move, but a float selection into a branch, which on random signs mispredicts half
 * the time (measured: 6 to 13 ns per element instead of about 1.5). From JDK 19 {@link #sign} and
 * {@link #clip} use {@code Math.signum} instead, which C2 also vectorizes.
 */
public final class KernelMath {
  private KernelMath() {}

  /**
   * Whether C2 compiles {@link Math#signum} without branches (an intrinsic since JDK 19) and
   * vectorizes loops that use it together with the float-to-int cast. On JDK 17 it branches, which
   * on random signs costs several times the whole update.
   */
  private static final boolean SIGNUM_IS_INTRINSIC = Runtime.version().feature() >= 19;

  /**
   * MXNet's {@code (x > 0) - (x < 0)}: 0 for NaN and for -0. From JDK 19 as
   * {@code (int) Math.signum(x)}, the same value (the cast takes NaN and -0 to 0), because C2
   * vectorizes that and the int selections not (measured on JDK 25: 0.4 against 2.6 ns per element
   * for a float32 Signum update).
   */
  public static float sign(float x) {
    return SIGNUM_IS_INTRINSIC ? signBySignum(x) : signBySelection(x);
  }

  /**
   * Whether {@link #sign} and {@link #clip} use {@code Math.signum} on this JDK (19 and later), rather
   * than int selections and {@code min(max(x, -b), b)}.
   */
  public static boolean usesSignum() {
    return SIGNUM_IS_INTRINSIC;
  }

  public static double sign(double x) {
    return SIGNUM_IS_INTRINSIC ? signBySignum(x) : signBySelection(x);
  }

  static float signBySignum(float x) {
    return (int) Math.signum(x);
  }

  static float signBySelection(float x) {
    return (x > 0f ? 1 : 0) - (x < 0f ? 1 : 0);
  }

  static double signBySignum(double x) {
    return (long) Math.signum(x);
  }

  static double signBySelection(double x) {
    return (x > 0d ? 1 : 0) - (x < 0d ? 1 : 0);
  }

  /**
   * MXNet's {@code mshadow_op::clip}, {@code x > b ? b : (x < -b ? -b : x)}: NaN passes through.
   * For a bound that is not negative (the only kind an optimizer passes: clipping is on when
   * clip_gradient &gt; 0) it is computed without selections, which C2 would turn into branches; the
   * test on the bound is loop-invariant, so it costs nothing per element. -0 and NaN bounds take the
   * general path: the forms below order -0 below +0 and propagate a NaN bound, the ternaries do not.
   * From JDK 19 as {@code signum(x) * min(|x|, b)}, one Java min instead of a min and a max (each
   * costs C2 a handful of instructions for Java's NaN and -0 rules): measured on JDK 25, the
   * clipped float16 Signum update 0.42 against 0.46 ns per element.
   */
  public static float clip(float x, float bound) {
    if (bound >= 0f && Float.floatToRawIntBits(bound) >= 0) {
      return SIGNUM_IS_INTRINSIC ? clipBySignum(x, bound) : clipByMinMax(x, bound);
    }
    return clipBySelection(x, bound);
  }

  public static double clip(double x, double bound) {
    if (bound >= 0d && Double.doubleToRawLongBits(bound) >= 0) {
      return SIGNUM_IS_INTRINSIC ? clipBySignum(x, bound) : clipByMinMax(x, bound);
    }
    return clipBySelection(x, bound);
  }

  /** For a bound of +0 or more: signum keeps x's sign, NaN and zeros; min(|x|, b) is exact. */
  static float clipBySignum(float x, float nonNegativeBound) {
    return Math.signum(x) * Math.min(Math.abs(x), nonNegativeBound);
  }

  static float clipByMinMax(float x, float nonNegativeBound) {
    return Math.min(Math.max(x, -nonNegativeBound), nonNegativeBound);
  }

  static float clipBySelection(float x, float bound) {
    return x > bound ? bound : (x < -bound ? -bound : x);
  }

  static double clipBySignum(double x, double nonNegativeBound) {
    return Math.signum(x) * Math.min(Math.abs(x), nonNegativeBound);
  }

  static double clipByMinMax(double x, double nonNegativeBound) {
    return Math.min(Math.max(x, -nonNegativeBound), nonNegativeBound);
  }

  static double clipBySelection(double x, double bound) {
    return x > bound ? bound : (x < -bound ? -bound : x);
  }

  /** Correctly rounded: the double square root of a float, rounded to float, is the float square root. */
  public static float sqrt(float x) {
    return (float) Math.sqrt(x);
  }

  public static double sqrt(double x) {
    return Math.sqrt(x);
  }

  public static float square(float x) {
    return x * x;
  }

  public static double square(double x) {
    return x * x;
  }

  /**
   * {@link StrictMath} (fdlibm) rather than {@link Math}: Math's may be replaced by a JIT intrinsic
   * that differs in the last bit between JVMs and between the interpreter and C2, which would break
   * bit-for-bit agreement. The float versions round the double result once.
   */
  public static float pow(float x, float y) {
    return (float) StrictMath.pow(x, y);
  }

  public static double pow(double x, double y) {
    return StrictMath.pow(x, y);
  }

  public static float exp(float x) {
    return (float) StrictMath.exp(x);
  }

  public static double exp(double x) {
    return StrictMath.exp(x);
  }

  public static float log(float x) {
    return (float) StrictMath.log(x);
  }

  public static double log(double x) {
    return StrictMath.log(x);
  }

  /** MXNet's {@code mshadow_op::gt}: 1 when {@code x > y}, else 0 (NaN included); an int selection. */
  public static float gt(float x, float y) {
    return x > y ? 1 : 0;
  }

  public static double gt(double x, double y) {
    return x > y ? 1 : 0;
  }

  /** MXNet's {@code mshadow_op::eq}: 1 when {@code x == y}, else 0 (NaN included). */
  public static float eq(float x, float y) {
    return x == y ? 1 : 0;
  }

  public static double eq(double x, double y) {
    return x == y ? 1 : 0;
  }

  /**
   * {@code c != 0 ? a : b}. A float selection, so a branch: meant for values that are the same for
   * every element (hoisted before the loop), such as LAMB's trust ratio.
   */
  public static float where(float c, float a, float b) {
    return c != 0f ? a : b;
  }

  public static double where(double c, double a, double b) {
    return c != 0d ? a : b;
  }

  // ---- reductions over [offset, offset + length): element by element in order, from 0, in the kernel's
  // arithmetic (float for float32 and float16 storage: MXNet's multi_sum_sq keeps a float sum) ----

  private static final int SUMSQ = 0;
  private static final int SUM = 1;
  private static final int SUMABS = 2;
  private static final int MAXABS = 3;

  /** One step of a reduction: {@code s + x*x}, {@code s + x}, {@code s + |x|} or {@code max(s, |x|)} (NaN wins). */
  private static float step(int reduction, float s, float x) {
    return switch (reduction) {
      case SUMSQ -> s + x * x;
      case SUM -> s + x;
      case SUMABS -> s + Math.abs(x);
      default -> Math.max(s, Math.abs(x));
    };
  }

  private static double step(int reduction, double s, double x) {
    return switch (reduction) {
      case SUMSQ -> s + x * x;
      case SUM -> s + x;
      case SUMABS -> s + Math.abs(x);
      default -> Math.max(s, Math.abs(x));
    };
  }

  private static float reduce(int reduction, float[] x, int offset, int length) {
    float s = 0f;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, x[i]);
    }
    return s;
  }

  private static double reduce(int reduction, double[] x, int offset, int length) {
    double s = 0d;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, x[i]);
    }
    return s;
  }

  /** Over binary16 values, each widened to float: the float arithmetic of the float16 kernels. */
  private static float reduce(int reduction, short[] x, int offset, int length) {
    float s = 0f;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, Half.toFloat(x[i]));
    }
    return s;
  }

  /** Over a native-order buffer of floats, element {@code i} at byte {@code 4 i}: the same order, so the same bits. */
  private static float reduceF32(int reduction, ByteBuffer x, int offset, int length) {
    float s = 0f;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, x.getFloat(i << 2));
    }
    return s;
  }

  private static double reduceF64(int reduction, ByteBuffer x, int offset, int length) {
    double s = 0d;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, x.getDouble(i << 3));
    }
    return s;
  }

  private static float reduceF16(int reduction, ByteBuffer x, int offset, int length) {
    float s = 0f;
    for (int i = offset, end = offset + length; i < end; i++) {
      s = step(reduction, s, Half.toFloat(x.getShort(i << 1)));
    }
    return s;
  }

  /** {@code sumsq(x)}: {@code s = s + x*x} (MXNet's multi_sum_sq). */
  public static float sumsq(float[] x, int offset, int length) {
    return reduce(SUMSQ, x, offset, length);
  }

  public static double sumsq(double[] x, int offset, int length) {
    return reduce(SUMSQ, x, offset, length);
  }

  public static float sumsq(short[] x, int offset, int length) {
    return reduce(SUMSQ, x, offset, length);
  }

  public static float sumsqF32(ByteBuffer x, int offset, int length) {
    return reduceF32(SUMSQ, x, offset, length);
  }

  public static double sumsqF64(ByteBuffer x, int offset, int length) {
    return reduceF64(SUMSQ, x, offset, length);
  }

  public static float sumsqF16(ByteBuffer x, int offset, int length) {
    return reduceF16(SUMSQ, x, offset, length);
  }

  /** {@code sum(x)}: {@code s = s + x}. */
  public static float sum(float[] x, int offset, int length) {
    return reduce(SUM, x, offset, length);
  }

  public static double sum(double[] x, int offset, int length) {
    return reduce(SUM, x, offset, length);
  }

  public static float sum(short[] x, int offset, int length) {
    return reduce(SUM, x, offset, length);
  }

  public static float sumF32(ByteBuffer x, int offset, int length) {
    return reduceF32(SUM, x, offset, length);
  }

  public static double sumF64(ByteBuffer x, int offset, int length) {
    return reduceF64(SUM, x, offset, length);
  }

  public static float sumF16(ByteBuffer x, int offset, int length) {
    return reduceF16(SUM, x, offset, length);
  }

  /** {@code sumabs(x)}: {@code s = s + |x|}, the L1 norm. */
  public static float sumabs(float[] x, int offset, int length) {
    return reduce(SUMABS, x, offset, length);
  }

  public static double sumabs(double[] x, int offset, int length) {
    return reduce(SUMABS, x, offset, length);
  }

  public static float sumabs(short[] x, int offset, int length) {
    return reduce(SUMABS, x, offset, length);
  }

  public static float sumabsF32(ByteBuffer x, int offset, int length) {
    return reduceF32(SUMABS, x, offset, length);
  }

  public static double sumabsF64(ByteBuffer x, int offset, int length) {
    return reduceF64(SUMABS, x, offset, length);
  }

  public static float sumabsF16(ByteBuffer x, int offset, int length) {
    return reduceF16(SUMABS, x, offset, length);
  }

  /** {@code maxabs(x)}: {@code m = max(m, |x|)} from 0, the max norm; a NaN makes it NaN. */
  public static float maxabs(float[] x, int offset, int length) {
    return reduce(MAXABS, x, offset, length);
  }

  public static double maxabs(double[] x, int offset, int length) {
    return reduce(MAXABS, x, offset, length);
  }

  public static float maxabs(short[] x, int offset, int length) {
    return reduce(MAXABS, x, offset, length);
  }

  public static float maxabsF32(ByteBuffer x, int offset, int length) {
    return reduceF32(MAXABS, x, offset, length);
  }

  public static double maxabsF64(ByteBuffer x, int offset, int length) {
    return reduceF64(MAXABS, x, offset, length);
  }

  public static float maxabsF16(ByteBuffer x, int offset, int length) {
    return reduceF16(MAXABS, x, offset, length);
  }

  /**
   * {@code normal()} of element {@code i} under {@code key} ({@link Noise}), one at a time: what
   * kernels generated before {@link #normals} call.
   */
  public static double normal(long key, int i) {
    return Noise.normal(key, i);
  }

  /** The same value rounded to float, for float32 and float16 kernels. */
  public static float normalFloat(long key, int i) {
    return (float) Noise.normal(key, i);
  }

  /**
   * How many values of {@code normal()} a kernel draws at a time: 4 KiB of doubles, which stay in the
   * L1 cache between {@link #normals} writing them and the loop reading them.
   */
  public static final int NORMALS_AT_A_TIME = 512;

  /** The buffer a kernel's loop draws into: {@link #NORMALS_AT_A_TIME} values, fewer for a shorter range. */
  public static double[] normalsBuffer(int length) {
    return new double[Math.max(0, Math.min(length, NORMALS_AT_A_TIME))];
  }

  /**
   * {@code normal()} of elements {@code [first, first + count)} under {@code key} into {@code out[0 ..
   * count)}: the values {@link #normal} gives one by one, a generator block per four elements
   * ({@link Noise#normals}) rather than per element.
   */
  public static void normals(long key, int first, double[] out, int count) {
    Noise.normals(key, first, out, count);
  }
}
