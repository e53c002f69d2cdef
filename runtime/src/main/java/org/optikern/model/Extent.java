package org.optikern.model;

import java.util.function.Function;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Statement;

/**
 * Over what a value varies, in an update: not at all (a scalar, a reduction), per row or per column
 * of the weight's 2-D view (a state of that shape, {@code rowsum}, {@code colsum}), or per element.
 * A formula varies as its most varying name: a row value and a column value together vary per
 * element, as Adafactor's {@code row_factor*col_factor}. Validation and the kernel plan both read
 * extents from here; the interpreter works them out on its own.
 */
public enum Extent {
  SCALAR, ROW, COLUMN, ELEMENT;

  /** The extent of a formula that reads a value of this extent and one of {@code other}. */
  public Extent join(Extent other) {
    if (this == other || other == SCALAR) {
      return this;
    }
    return this == SCALAR ? other : ELEMENT;
  }

  /** How a message names a value of this extent. */
  public String describe() {
    return switch (this) {
      case SCALAR -> "one value per update";
      case ROW -> "a value per row";
      case COLUMN -> "a value per column";
      case ELEMENT -> "a value per element";
    };
  }

  /** The extent of a state of {@code shape}. */
  public static Extent of(StateShape shape) {
    return switch (shape) {
      case FULL -> ELEMENT;
      case ROWS -> ROW;
      case COLUMNS -> COLUMN;
    };
  }

  /**
   * The extent of {@code expr}: the join of its names' ({@code extentOfName}, SCALAR for any name it
   * does not know), ELEMENT when it calls {@code normal()}.
   */
  public static Extent of(Expr expr, Function<String, Extent> extentOfName) {
    Extent extent = SCALAR;
    for (Expr.Name name : Exprs.all(expr, Expr.Name.class)) {
      extent = extent.join(extentOfName.apply(name.id()));
    }
    boolean draws = Exprs.all(expr, Expr.Call.class).stream()
        .anyMatch(c -> c.function() == org.optikern.lang.Function.NORMAL);
    return draws ? ELEMENT : extent;
  }

  /**
   * Over what {@code statement} runs: a store, over its target's extent; {@code rowsum} and
   * {@code colsum}, over the elements; any other reduction, over its argument's extent (a scalar's
   * over the elements); a {@code let}, over its value's. {@code known} gives the extents of the
   * arrays and of the temporaries before it, SCALAR for any other name.
   */
  public static Extent ofStatement(Statement statement, Function<String, Extent> known) {
    if (statement.isReduction()) {
      Expr.Call call = (Expr.Call) statement.value();
      if (call.function().isAlongAxis()) {
        return ELEMENT;
      }
      Extent argument = of(call.args().get(0), known);
      return argument == SCALAR ? ELEMENT : argument;
    }
    if (!statement.temporary()) {
      return known.apply(statement.target());
    }
    return of(statement.value(), known);
  }

  /** The extent of the value {@code statement} gives its target: a reduction's result, or its formula's. */
  public static Extent ofResult(Statement statement, Function<String, Extent> known) {
    if (statement.isReduction()) {
      return switch (((Expr.Call) statement.value()).function()) {
        case ROWSUM -> ROW;
        case COLSUM -> COLUMN;
        default -> SCALAR;
      };
    }
    return statement.temporary() ? of(statement.value(), known) : known.apply(statement.target());
  }
}
