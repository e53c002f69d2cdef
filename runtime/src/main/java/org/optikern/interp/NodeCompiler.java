package org.optikern.interp;

import java.util.Map;
import org.optikern.kernel.Noise;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;
import org.optikern.model.OptimizerModel;

/**
 * Turns a formula into {@link Node}s. The primitives are written here from their definitions,
 * independently of the kernels' helpers, so that a mistake in one is caught by the other.
 */
final class NodeCompiler implements Expr.Visitor<Node> {
  /** The slot holding the element's index (for {@code normal()}); not a name a formula can write. */
  static final String ELEMENT = "#element";

  private final Map<String, Integer> slots;

  NodeCompiler(Map<String, Integer> slots) {
    this.slots = slots;
  }

  @Override
  public Node literal(Expr.Literal literal) {
    double value = literal.value();
    return (env, arithmetic) -> arithmetic.round(value);
  }

  @Override
  public Node name(Expr.Name name) {
    int slot = slots.get(name.id());
    return (env, arithmetic) -> env[slot];
  }

  @Override
  public Node negate(Expr.Negate negate) {
    Node operand = negate.operand().accept(this);
    return (env, arithmetic) -> -operand.eval(env, arithmetic);
  }

  @Override
  public Node binary(Expr.Binary binary) {
    Node left = binary.left().accept(this);
    Node right = binary.right().accept(this);
    return switch (binary.op()) {
      case ADD -> (env, a) -> a.round(left.eval(env, a) + right.eval(env, a));
      case SUB -> (env, a) -> a.round(left.eval(env, a) - right.eval(env, a));
      case MUL -> (env, a) -> a.round(left.eval(env, a) * right.eval(env, a));
      case DIV -> (env, a) -> a.round(left.eval(env, a) / right.eval(env, a));
    };
  }

  @Override
  public Node call(Expr.Call call) {
    if (call.function() == Function.NORMAL) {
      int key = slots.get(OptimizerModel.NOISE_KEY);
      int element = slots.get(ELEMENT);
      return (env, a) -> a.round(Noise.normal((long) env[key], (long) env[element]));
    }
    Node x = call.args().get(0).accept(this);
    Node y = call.args().size() > 1 ? call.args().get(1).accept(this) : null;
    return switch (call.function()) {
      case SIGN -> (env, a) -> {
        double v = x.eval(env, a);
        return (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0);
      };
      case CLIP -> (env, a) -> {
        double v = x.eval(env, a);
        double bound = y.eval(env, a);
        if (v > bound) {
          return bound;
        }
        return v < -bound ? -bound : v;
      };
      case ABS -> (env, a) -> Math.abs(x.eval(env, a));
      case SQRT -> (env, a) -> a.round(Math.sqrt(x.eval(env, a)));
      case MIN -> (env, a) -> Math.min(x.eval(env, a), y.eval(env, a));
      case MAX -> (env, a) -> Math.max(x.eval(env, a), y.eval(env, a));
      case SQUARE -> (env, a) -> {
        double v = x.eval(env, a);
        return a.round(v * v);
      };
      case POW -> (env, a) -> a.round(StrictMath.pow(x.eval(env, a), y.eval(env, a)));
      case EXP -> (env, a) -> a.round(StrictMath.exp(x.eval(env, a)));
      case LOG -> (env, a) -> a.round(StrictMath.log(x.eval(env, a)));
      case GT -> (env, a) -> x.eval(env, a) > y.eval(env, a) ? 1 : 0;
      case EQ -> (env, a) -> x.eval(env, a) == y.eval(env, a) ? 1 : 0;
      case WHERE -> {
        Node otherwise = call.args().get(2).accept(this);
        yield (env, a) -> x.eval(env, a) != 0 ? y.eval(env, a) : otherwise.eval(env, a);
      }
      case SUMSQ, SUM, SUMABS, MAXABS, ROWSUM, COLSUM -> throw new IllegalStateException("a reduction is a pass of its own, not a node: "
          + call);
      case NORMAL -> throw new IllegalStateException("normal() is compiled above");
      case IF -> throw new IllegalStateException("if(...) is resolved per variant, before compiling: " + call);
    };
  }
}
