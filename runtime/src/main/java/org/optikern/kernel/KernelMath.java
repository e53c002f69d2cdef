package org.optikern.kernel;


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

  // ---- reductions: lane-blocked partial sums combined in a fixed tree ----

  /**
   * The partial results of a reduction ({@code let s = sumsq(x)}): element {@code j} of the tensor
   * (counted from the range's start) joins partial {@code j % LANES}, each partial in element order
   * from 0, in the kernel's arithmetic; then {@link #sumLanes} or {@link #maxLanes} combines them.
   * Sixteen partials hold whole vectors of every SIMD width the JVM offers for float and double
   * (4, 8 or 16 lanes), so a SIMD twin keeps them in vector registers and computes the same bits as a
   * scalar kernel; they also make the sum more accurate than one running sum (error bound about
   * {@code n/16 + 4} rounding steps instead of {@code n}).
   */
  public static final int LANES = 16;

  /** The partial sums, added in a fixed tree: {@code p[k] + p[k + h]} for h = 8, 4, 2, 1; {@code p} is used up. */
  public static float sumLanes(float[] p) {
    for (int h = LANES / 2; h > 0; h /= 2) {
      for (int k = 0; k < h; k++) {
        p[k] = p[k] + p[k + h];
      }
    }
    return p[0];
  }

  public static double sumLanes(double[] p) {
    for (int h = LANES / 2; h > 0; h /= 2) {
      for (int k = 0; k < h; k++) {
        p[k] = p[k] + p[k + h];
      }
    }
    return p[0];
  }

  /** The partial maxima in the same tree, by {@link Math#max}: a NaN partial makes the result NaN. */
  public static float maxLanes(float[] p) {
    for (int h = LANES / 2; h > 0; h /= 2) {
      for (int k = 0; k < h; k++) {
        p[k] = Math.max(p[k], p[k + h]);
      }
    }
    return p[0];
  }

  public static double maxLanes(double[] p) {
    for (int h = LANES / 2; h > 0; h /= 2) {
      for (int k = 0; k < h; k++) {
        p[k] = Math.max(p[k], p[k + h]);
      }
    }
    return p[0];
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

  /**
   * The buffer a SIMD twin of a float32 kernel draws into: as {@link #normalsBuffer}, of floats, so
   * that its lanes load the values as they are used ({@code (float) normal()}) with no conversion in
   * the loop. {@code length} is a whole number of vectors, and so is the size returned.
   */
  public static float[] floatNormalsBuffer(int length) {
    return new float[Math.max(0, Math.min(length, NORMALS_AT_A_TIME))];
  }

  /** {@link #normals} rounded to float: {@code out[k] = (float) normal(key, first + k)}. */
  public static void normals(long key, int first, float[] out, int count) {
    Noise.normals(key, first, out, count);
  }
}
