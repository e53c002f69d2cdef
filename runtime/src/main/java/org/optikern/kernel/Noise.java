package org.optikern.kernel;

/**
 * The random source of {@code normal()}: counter-based, so a value depends only on its key and its
 * element's index. The same seed, parameter index and update count give the same noise in the
 * generated kernels and the interpreter, in one call or in parallel chunks, on every JVM (only
 * integer arithmetic and StrictMath).
 *
 * <p>Keys: {@link #key} mixes the optimizer's {@code seed}, the parameter's index and its update
 * count with SplitMix64's finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), keeping 53 bits so that a key travels exactly in a double scalar.
 * Values: two uniforms from the mixed (key, 2i) and (key, 2i + 1), then Box-Muller.
 */
public final class Noise {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final double TWO_PI = 2 * Math.PI;
  private static final double ULP_53 = 0x1.0p-53;

  private Noise() {}

  /** SplitMix64's finalizer: a bijection of 64-bit values that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The key of one update of one parameter: a whole number below 2^53, exact as a double. */
  public static long key(long seed, int index, int t) {
    long z = mix(seed + GOLDEN_GAMMA);
    z = mix(z ^ (index + 1) * GOLDEN_GAMMA);
    z = mix(z ^ (t + 1L) * GOLDEN_GAMMA);
    return z >>> 11;
  }

  /** A uniform in (0, 1]: 53 random bits, never 0 (the logarithm below needs that). */
  private static double uniform(long key, long counter) {
    return ((mix(key * GOLDEN_GAMMA + counter * 0xd1b54a32d192ed03L + 1) >>> 11) + 1) * ULP_53;
  }

  /** A standard normal value for element {@code element} under {@code key} (Box-Muller, cosine branch). */
  public static double normal(long key, long element) {
    double u1 = uniform(key, 2 * element);
    double u2 = uniform(key, 2 * element + 1);
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
  }
}
