package org.optikern.model;

import java.util.ArrayList;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Statement;

/**
 * The formulas of an update over a weight's rows and columns (Adafactor's factored second moment):
 * a state of one value per row or column is assigned from values that vary at most as it does, and
 * {@code rowsum} and {@code colsum} appear only in updates of the {@code factored} variant, the only
 * one whose weights have rows and columns.
 */
final class ShapeRules {
  private final DiagnosticLog log;
  private final SymbolTable symbols;

  ShapeRules(DiagnosticLog log, SymbolTable symbols) {
    this.log = log;
    this.symbols = symbols;
  }

  /** Checks {@code statement} of an update selected by {@code when} (null: every variant). */
  boolean check(Statement statement, Condition when, Object origin, LetTemporaries temporaries) {
    boolean ok = true;
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (call.function().isAlongAxis() && !Conditions.selectsOnlyWhereOn(when,
          new ArrayList<>(symbols.switchNames), OptimizerModel.FACTORED)) {
        log.error(DiagnosticLog.positioned(call.function().spelling() + "(...) sums along the "
            + (call.function() == org.optikern.lang.Function.ROWSUM ? "rows" : "columns") + " of the weight's 2-D "
            + "view, which only weights of two or more dimensions have: use it in an @Update with when = "
            + "\"factored\"" + (symbols.switchNames.contains(OptimizerModel.FACTORED) ? ""
            : " (a spec has that variant once it declares a @State(shape = \"rows\") or \"columns\")"),
            statement.source(), call.span()), origin, "formulas");
        ok = false;
      }
    }
    StateShape shape = statement.temporary() ? StateShape.FULL
        : symbols.stateShapes.getOrDefault(statement.target(), StateShape.FULL);
    if (shape == StateShape.FULL) {
      return ok;
    }
    Extent target = Extent.of(shape);
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      Extent read = temporaries.extentOf(name.id());
      if (read.join(target) != target) {
        String along = target == Extent.ROW ? "rowsum" : "colsum";
        log.error(DiagnosticLog.positioned("state '" + statement.target() + "' has " + target.describe() + ": its "
            + "formula may read scalars, reductions and values per " + (target == Extent.ROW ? "row" : "column")
            + ", not '" + name.id() + "', which has " + read.describe() + "; sum it first, e.g. 'let s = " + along
            + "(" + name.id() + ")'", statement.source(), name.span()), origin, "formulas");
        return false;
      }
    }
    return ok;
  }
}
