package org.optikern.model;

import java.util.Collection;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Statement;

/**
 * Where an update's passes end, the rule that validation ({@link LetTemporaries}) and the kernel
 * plan ({@link KernelPlan}) share; the interpreter states it on its own. A pass runs its statements
 * over every element, and the reductions that follow them reduce each element's value as the pass
 * leaves it. A pass ends before the first statement after its reductions, or before a reduction
 * that reads one of them (whose value is known only once the pass is over). With a weight's rows and
 * columns, also before a statement over rows or columns that follows one over the elements.
 */
final class PassRule {
  private PassRule() {}

  /**
   * As {@link #startsPass(Statement, Collection)}, and a statement over rows or columns (a row
   * state's new value, a temporary per row) after a statement over the elements starts a pass: the
   * kernels compute a pass's row and column values before its elements, so the elements before it
   * must have read the old ones in a pass of their own. {@code extent}: {@code statement}'s
   * ({@link Extent#ofStatement}); {@code elementsInPass}: whether a statement over the elements,
   * other than a reduction, is in the pass so far.
   */
  static boolean startsPass(Statement statement, Extent extent, Collection<String> reductionsOfPass,
      boolean elementsInPass) {
    boolean alongAnAxis = extent == Extent.ROW || extent == Extent.COLUMN;
    return elementsInPass && alongAnAxis && !statement.isReduction() || startsPass(statement, reductionsOfPass);
  }

  /** Whether {@code statement} starts a new pass, after a pass whose reductions so far are {@code reductionsOfPass}. */
  static boolean startsPass(Statement statement, Collection<String> reductionsOfPass) {
    if (reductionsOfPass.isEmpty()) {
      return false;
    }
    return !statement.isReduction()
        || Exprs.all(statement.value(), Expr.Name.class).stream().anyMatch(n -> reductionsOfPass.contains(n.id()));
  }
}
