package org.optikern.processor;

import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;

/**
 * Finds the loop-invariant subexpressions of a formula: maximal subtrees that read no array and
 * do at least one operation. Computing them once before the loop gives the same bits as computing
 * them per element (same operations, same order), so hoisting is always exact.
 */
final class Invariants {
  private Invariants() {}

  /** Adds each maximal invariant subtree of {@code expr}, keyed by its source form, in order of appearance. */
  static void collect(Expr expr, Set<String> arrays, boolean isFloat, Map<String, Expr> into) {
    if (isInvariant(expr, arrays)) {
      if (!(expr instanceof Expr.Literal) && !(expr instanceof Expr.Name) && !isNegatedLeaf(expr)) {
        into.putIfAbsent(ExpressionWriter.key(expr, isFloat), expr);
      }
      return;
    }
    if (expr instanceof Expr.Negate negate) {
      collect(negate.operand(), arrays, isFloat, into);
    } else if (expr instanceof Expr.Binary binary) {
      collect(binary.left(), arrays, isFloat, into);
      collect(binary.right(), arrays, isFloat, into);
    } else if (expr instanceof Expr.Call call) {
      call.args().forEach(a -> collect(a, arrays, isFloat, into));
    }
  }

  private static boolean isNegatedLeaf(Expr expr) {
    return expr instanceof Expr.Negate n && (n.operand() instanceof Expr.Literal || n.operand() instanceof Expr.Name);
  }

  /** No per-element name and no {@code normal()} in it: the same value for every element. */
  static boolean isInvariant(Expr expr, Set<String> arrays) {
    return Exprs.all(expr, Expr.Name.class).stream().noneMatch(name -> arrays.contains(name.id()))
        && Exprs.all(expr, Expr.Call.class).stream().noneMatch(call -> call.function() == Function.NORMAL);
  }
}
