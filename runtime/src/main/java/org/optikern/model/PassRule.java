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
 * that reads one of them (whose value is known only once the pass is over).
 */
final class PassRule {
  private PassRule() {}

  /** Whether {@code statement} starts a new pass, after a pass whose reductions so far are {@code reductionsOfPass}. */
  static boolean startsPass(Statement statement, Collection<String> reductionsOfPass) {
    if (reductionsOfPass.isEmpty()) {
      return false;
    }
    return !statement.isReduction()
        || Exprs.all(statement.value(), Expr.Name.class).stream().anyMatch(n -> reductionsOfPass.contains(n.id()));
  }
}
