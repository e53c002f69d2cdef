package org.optikern.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Walks formula trees: the one traversal that every "find all the ..." question shares. */
public final class Exprs {
  private Exprs() {}

  /** Calls {@code visit} on every node of {@code expr}, parents before children, left to right. */
  public static void walk(Expr expr, Consumer<Expr> visit) {
    walk(expr, node -> {
      visit.accept(node);
      return true;
    });
  }

  /** As {@link #walk(Expr, Consumer)}, looking inside a node only where {@code visit} returns true. */
  public static void walk(Expr expr, Predicate<Expr> visit) {
    if (!visit.test(expr)) {
      return;
    }
    if (expr instanceof Expr.Negate negate) {
      walk(negate.operand(), visit);
    } else if (expr instanceof Expr.Binary binary) {
      walk(binary.left(), visit);
      walk(binary.right(), visit);
    } else if (expr instanceof Expr.Call call) {
      call.args().forEach(arg -> walk(arg, visit));
    }
  }

  /** Every node of type {@code type} in {@code expr}, in walk order. */
  public static <T extends Expr> List<T> all(Expr expr, Class<T> type) {
    List<T> found = new ArrayList<>();
    walk(expr, node -> {
      if (type.isInstance(node)) {
        found.add(type.cast(node));
      }
    });
    return found;
  }
}
