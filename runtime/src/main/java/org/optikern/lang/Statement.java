package org.optikern.lang;

/**
 * One line of an update: {@code target = value}, with the source it was parsed from. A
 * {@code temporary} ({@code let g = ...}) names a per-element value that later statements of the
 * same update read; it is computed in the kernel's arithmetic and never stored.
 */
public record Statement(String target, Span targetSpan, Expr value, String source, boolean temporary) {
  /** The keyword that declares a temporary. */
  public static final String LET = "let";

  /**
   * {@code let w_sq = sumsq(weight)}: a value of the whole tensor, computed once between the
   * elementwise passes before and after it.
   */
  public boolean isReduction() {
    return temporary && value instanceof Expr.Call call && call.function().isReduction();
  }
}
