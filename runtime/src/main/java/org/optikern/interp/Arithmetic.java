package org.optikern.interp;

import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * How the interpreter rounds. It computes every operation exactly in double and then rounds the
 * result. For +, -, *, / and sqrt on floats, rounding the double result to float gives exactly the
 * float operation's result (double has more than 2*24+2 significand bits, so the double rounding
 * is innocuous: Figueroa, "When is double rounding innocuous?", 1995). So one evaluator serves
 * every storage type.
 */
public enum Arithmetic {
  /** float64 storage: double operations. */
  DOUBLE {
    @Override
    double round(double exact) {
      return exact;
    }
  },
  /** float32 storage, and float16 storage in the generated kernels: float operations. */
  FLOAT {
    @Override
    double round(double exact) {
      return (float) exact;
    }
  },
  /**
   * MXNet's {@code half_t}: each operation converts its operands to float, computes in float
   * and rounds the result to half (to nearest, ties to even). Scalars and literals are rounded to
   * half first. Only the interpreter offers this; it is how real MXNet computes on float16.
   */
  HALF_EVERY_OPERATION {
    @Override
    double round(double exact) {
      return Half.toFloat(Half.fromFloat((float) exact));
    }

    @Override
    double roundSum(double exact) {
      return (float) exact;
    }
  };

  abstract double round(double exact);

  /** The running sum of a reduction: as {@link #round}, except that MXNet sums half products in float. */
  double roundSum(double exact) {
    return round(exact);
  }

  /** The arithmetic of the generated kernels for a storage type. */
  public static Arithmetic of(DType dtype) {
    return dtype == DType.FLOAT64 ? DOUBLE : FLOAT;
  }
}
