package org.optikern.lang;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The primitives a formula may call. Their exact semantics are those of MXNet's kernels. */
public enum Function {
  /** {@code (x > 0) - (x < 0)}: sign(NaN) = 0 and sign(-0) = 0, unlike {@link Math#signum}. */
  SIGN(1),
  /**
   * {@code x > b ? b : (x < -b ? -b : x)}; NaN passes through. {@code clip(x, clip_gradient)} is
   * removed in unclipped variants; a clip with another bound always stays.
   */
  CLIP(2),
  ABS(1),
  SQRT(1),
  /** {@link Math#min} semantics: NaN if either argument is NaN, and -0 below +0. */
  MIN(2),
  /** {@link Math#max} semantics: NaN if either argument is NaN, and +0 above -0. */
  MAX(2),
  /** {@code x * x}. */
  SQUARE(1),
  /**
   * {@code x} to the power {@code y}: {@link StrictMath#pow} of the operands, rounded to the arithmetic's
   * type (float kernels round the double result once). StrictMath, so every JVM gives the same bits.
   */
  POW(2),
  /** {@link StrictMath#exp}, rounded to the arithmetic's type. */
  EXP(1),
  /** The natural logarithm, {@link StrictMath#log}, rounded to the arithmetic's type. */
  LOG(1),
  /** MXNet's {@code mshadow_op::gt}: {@code x > y ? 1 : 0} (0 when either is NaN). */
  GT(2),
  /** MXNet's {@code mshadow_op::eq}: {@code x == y ? 1 : 0} (0 when either is NaN; -0 equals +0). */
  EQ(2),
  /** {@code c != 0 ? a : b}: a selection, evaluated like C's conditional (a NaN condition selects a). */
  WHERE(3),
  /**
   * A choice made when the kernels are generated, not per element: {@code if(s, a, b)} is {@code a}
   * in the variants where switch {@code s} (a {@code @Switch} or the built-in {@code clipped}) is on
   * and {@code b} elsewhere, so each variant's kernel holds one branch and no test. A statement that
   * becomes {@code x = x} in a variant is left out of that variant, and so is a {@code let} nothing
   * reads there any more. Only in {@code @Update} formulas.
   */
  IF(3),
  /**
   * A reduction: the sum of squares over the tensor of a per-element expression of the pass,
   * {@code s = s + x*x} from 0 in the language's one order (element {@code j} into partial sum
   * {@code j % 16}, the 16 then added in a fixed tree; docs/spec-language.md), in the kernel's
   * arithmetic (float64 kernels sum in double). Only as the whole value of a {@code let}:
   * {@code let w_sq = sumsq(weight)}, {@code let g_sq = sumsq(clip(rescale_grad*grad, clip_gradient))}.
   */
  SUMSQ(1),
  /** A reduction like {@link #SUMSQ}: {@code s = s + x}. */
  SUM(1),
  /** A reduction like {@link #SUMSQ}: {@code s = s + |x|}, the L1 norm (EF-signSGD scales by {@code sumabs(p)/size}). */
  SUMABS(1),
  /** A reduction like {@link #SUMSQ}: {@code m = max(m, |x|)} from 0, the max norm; a NaN element makes it NaN. */
  MAXABS(1),
  /**
   * A reduction along each row of the weight's 2-D view (its last dimension): one sum per row,
   * {@code s = s + x} over the row's elements in the order of every reduction (column c into
   * partial c mod 16, then the fixed tree), in the kernel's arithmetic. Only as
   * the whole value of a {@code let}, in the update of the {@code factored} variant; the result has
   * one value per row, like a {@code @State(shape = "rows")} (Adafactor's row statistics).
   */
  ROWSUM(1),
  /** As {@link #ROWSUM}, down each column: one sum per column, a running sum over the rows in order from 0. */
  COLSUM(1),
  /**
   * A standard normal value, one per element and update: {@code org.optikern.kernel.Noise}, keyed
   * by the optimizer's {@code seed}, the parameter's index and its update count. Only in update
   * formulas.
   */
  NORMAL(0);

  public final int arity;

  Function(int arity) {
    this.arity = arity;
  }

  /** Whether this reduces an array over the whole tensor (to one value per update) rather than per element. */
  public boolean isReduction() {
    return this == SUMSQ || this == SUM || this == SUMABS || this == MAXABS || isAlongAxis();
  }

  /** Whether this reduces along the rows or the columns of the 2-D view, to one value per row or column. */
  public boolean isAlongAxis() {
    return this == ROWSUM || this == COLSUM;
  }

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Function> named(String name) {
    return Arrays.stream(values()).filter(f -> f.spelling().equals(name)).findFirst();
  }
}
