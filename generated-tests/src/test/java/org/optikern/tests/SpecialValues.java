package org.optikern.tests;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * Array and scalar generators rich in the values where kernels go wrong: NaN (with payloads),
 * +-Inf, +-0, subnormals, the largest finite values, and ordinary values of weights and gradients.
 */
final class SpecialValues {
  private SpecialValues() {}

  static Arbitrary<Object> array(DType dtype, int length) {
    return switch (dtype) {
      case FLOAT32 -> floats().array(float[].class).ofSize(length).map(a -> (Object) a);
      case FLOAT64 -> doubles().array(double[].class).ofSize(length).map(a -> (Object) a);
      case FLOAT16 -> halfs().array(short[].class).ofSize(length).map(a -> (Object) a);
    };
  }

  static Arbitrary<Float> floats() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            1f, -1f, 1e30f, -1e30f, 1e-30f, 65504f, 6e-8f)),
        Tuple.of(5, Arbitraries.floats().between(-4f, 4f).ofScale(9)),
        Tuple.of(2, Arbitraries.integers().map(Float::intBitsToFloat)));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0d, -0d,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1d, -1d,
            1e300, -1e300, 1e-300, (double) Float.MAX_VALUE)),
        Tuple.of(5, Arbitraries.doubles().between(-4, 4).ofScale(17)),
        Tuple.of(2, Arbitraries.longs().map(Double::longBitsToDouble)));
  }

  /** Every half bit pattern is possible; ordinary values and specials are favoured. */
  static Arbitrary<Short> halfs() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(Half.NaN, Half.POSITIVE_INFINITY, Half.NEGATIVE_INFINITY, (short) 0,
            (short) 0x8000, (short) 0x0001, (short) 0x8001, (short) 0x0400, Half.MAX_VALUE, (short) 0xfbff,
            (short) 0x3c00, (short) 0xbc00, (short) 0x7e01)),
        Tuple.of(5, Arbitraries.floats().between(-4f, 4f).ofScale(9).map(Half::fromFloat)),
        Tuple.of(2, Arbitraries.shorts()));
  }

  /**
   * Scalars: typical hyperparameter values, edge values (0, 1, negative, huge, tiny, specials), and
   * anything. Kernels must equal the interpreter for every input, valid or not.
   */
  static Arbitrary<Double> scalars() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.doubles().between(0, 1).ofScale(17)),
        Tuple.of(2, Arbitraries.of(0d, -0d, 1d, 0.9, 0.5, 1e-8, -0.5, 2d, 65504d, 1e30, -1e30, 1e-40,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
        Tuple.of(1, Arbitraries.doubles()));
  }
}
