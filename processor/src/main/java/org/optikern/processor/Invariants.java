package org.optikern.processor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;

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
    expr.accept(new Expr.Visitor<Void>() {
      @Override
      public Void literal(Expr.Literal literal) {
        return null;
      }

      @Override
      public Void name(Expr.Name name) {
        return null;
      }

      @Override
      public Void negate(Expr.Negate negate) {
        collect(negate.operand(), arrays, isFloat, into);
        return null;
      }

      @Override
      public Void binary(Expr.Binary binary) {
        collect(binary.left(), arrays, isFloat, into);
        collect(binary.right(), arrays, isFloat, into);
        return null;
      }

      @Override
      public Void call(Expr.Call call) {
        call.args().forEach(a -> collect(a, arrays, isFloat, into));
        return null;
      }
    });
  }

  static Map<String, Expr> empty() {
    return new LinkedHashMap<>();
  }

  private static boolean isNegatedLeaf(Expr expr) {
    return expr instanceof Expr.Negate n && (n.operand() instanceof Expr.Literal || n.operand() instanceof Expr.Name);
  }

  private static boolean isInvariant(Expr expr, Set<String> arrays) {
    return expr.accept(new Expr.Visitor<Boolean>() {
      @Override
      public Boolean literal(Expr.Literal literal) {
        return true;
      }

      @Override
      public Boolean name(Expr.Name name) {
        return !arrays.contains(name.id());
      }

      @Override
      public Boolean negate(Expr.Negate negate) {
        return negate.operand().accept(this);
      }

      @Override
      public Boolean binary(Expr.Binary binary) {
        return binary.left().accept(this) && binary.right().accept(this);
      }

      @Override
      public Boolean call(Expr.Call call) {
        return call.args().stream().allMatch(a -> a.accept(this));
      }
    });
  }
}
