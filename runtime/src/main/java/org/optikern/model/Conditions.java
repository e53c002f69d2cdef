package org.optikern.model;

import java.util.function.ToDoubleFunction;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;

/** Evaluates validated conditions: selections over switches, and switch conditions over hyperparameters. */
public final class Conditions {
  private Conditions() {}

  /** Evaluates a selection such as {@code momentum && !clipped}; null means "always". */
  /** Whether {@code when} selects no combination of {@code switchNames} in which {@code required} is off. */
  public static boolean selectsOnlyWhereOn(Condition when, java.util.List<String> switchNames, String required) {
    if (when == null) {
      return false;
    }
    for (int bits = 0; bits < (1 << switchNames.size()); bits++) {
      boolean[] values = new boolean[switchNames.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (bits >> i & 1) == 1;
      }
      SwitchSet set = SwitchSet.of(switchNames, values);
      if (!set.has(required) && selects(when, set)) {
        return false;
      }
    }
    return true;
  }

  public static boolean selects(Condition when, SwitchSet switches) {
    if (when == null) {
      return true;
    }
    if (when instanceof Condition.Flag flag) {
      return switches.isOn(flag.name());
    } else if (when instanceof Condition.Not not) {
      return !selects(not.operand(), switches);
    } else if (when instanceof Condition.And and) {
      return selects(and.left(), switches) && selects(and.right(), switches);
    } else if (when instanceof Condition.Or or) {
      return selects(or.left(), switches) || selects(or.right(), switches);
    }
    throw new IllegalStateException("a comparison in a switch selection was not rejected by validation: " + when);
  }

  /**
   * Evaluates a switch condition such as {@code momentum != 0} in double arithmetic, the same
   * arithmetic the generated optimizer uses.
   */
  public static boolean holds(Condition condition, ToDoubleFunction<String> scalar) {
    if (condition instanceof Condition.Compare compare) {
      return compare.comparison().test(value(compare.left(), scalar), value(compare.right(), scalar));
    } else if (condition instanceof Condition.Not not) {
      return !holds(not.operand(), scalar);
    } else if (condition instanceof Condition.And and) {
      return holds(and.left(), scalar) && holds(and.right(), scalar);
    } else if (condition instanceof Condition.Or or) {
      return holds(or.left(), scalar) || holds(or.right(), scalar);
    }
    throw new IllegalStateException("a bare name in a switch condition was not rejected by validation: " + condition);
  }

  private static double value(Expr expr, ToDoubleFunction<String> scalar) {
    return expr.accept(new Expr.Visitor<Double>() {
      @Override
      public Double literal(Expr.Literal literal) {
        return literal.value();
      }

      @Override
      public Double name(Expr.Name name) {
        return scalar.applyAsDouble(name.id());
      }

      @Override
      public Double negate(Expr.Negate negate) {
        return -negate.operand().accept(this);
      }

      @Override
      public Double binary(Expr.Binary binary) {
        double l = binary.left().accept(this);
        double r = binary.right().accept(this);
        return switch (binary.op()) {
          case ADD -> l + r;
          case SUB -> l - r;
          case MUL -> l * r;
          case DIV -> l / r;
        };
      }

      @Override
      public Double call(Expr.Call call) {
        throw new IllegalStateException("a function call in a switch condition was not rejected by validation");
      }
    });
  }
}
