package org.optikern.lang;

/**
 * A boolean condition: a switch's condition over hyperparameters ({@code momentum != 0}), or an
 * update's or state's selection over switch names ({@code momentum && !clipped}).
 */
public sealed interface Condition
    permits Condition.Compare, Condition.And, Condition.Or, Condition.Not, Condition.Flag {

  Span span();

  enum Comparison {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    public final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public boolean test(double left, double right) {
      return switch (this) {
        case EQ -> left == right;
        case NE -> left != right;
        case LT -> left < right;
        case LE -> left <= right;
        case GT -> left > right;
        case GE -> left >= right;
      };
    }
  }

  record Compare(Comparison comparison, Expr left, Expr right, Span span) implements Condition {}

  record And(Condition left, Condition right, Span span) implements Condition {}

  record Or(Condition left, Condition right, Span span) implements Condition {}

  record Not(Condition operand, Span span) implements Condition {}

  /** A bare name: a switch, in an update's or state's {@code when}. */
  record Flag(String name, Span span) implements Condition {}
}
