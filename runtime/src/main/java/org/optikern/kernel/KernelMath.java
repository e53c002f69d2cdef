package org.optikern.kernel;

/**
 * The primitives generated kernels call, with MXNet's semantics. Small and static so that the JIT
 * inlines them. The interpreter has its own, independent definitions of the same functions.
 */
public final class KernelMath {
  private KernelMath() {}

  /** MXNet's {@code (x > 0) - (x < 0)}: 0 for NaN and for -0. */
  public static float sign(float x) {
    return (x > 0f ? 1f : 0f) - (x < 0f ? 1f : 0f);
  }

  public static double sign(double x) {
    return (x > 0d ? 1d : 0d) - (x < 0d ? 1d : 0d);
  }

  /** MXNet's {@code mshadow_op::clip}: NaN passes through. */
  public static float clip(float x, float bound) {
    return x > bound ? bound : (x < -bound ? -bound : x);
  }

  public static double clip(double x, double bound) {
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
}
