package org.optikern.model;

import java.util.ArrayList;
import java.util.List;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;

/**
 * Rewrites a formula for one variant. Unclipped: {@code clip(x, clip_gradient)} becomes {@code x};
 * a clip with any other bound (RMSProp's {@code clip_weights}) stays, since the switch
 * {@code clipped} is about {@code clip_gradient} only.
 * Constants are deliberately not folded: folding in double would round differently from the
 * kernel's float arithmetic, and the grouping as written is what MXNet computes.
 */
final class VariantReducer implements Expr.Visitor<Expr> {
  private final boolean clipped;

  private VariantReducer(boolean clipped) {
    this.clipped = clipped;
  }

  static Expr reduce(Expr expr, boolean clipped) {
    return expr.accept(new VariantReducer(clipped));
  }

  @Override
  public Expr literal(Expr.Literal literal) {
    return literal;
  }

  @Override
  public Expr name(Expr.Name name) {
    return name;
  }

  @Override
  public Expr negate(Expr.Negate negate) {
    return new Expr.Negate(negate.operand().accept(this), negate.span());
  }

  @Override
  public Expr binary(Expr.Binary binary) {
    return new Expr.Binary(binary.op(), binary.left().accept(this), binary.right().accept(this), binary.span());
  }

  static boolean isClipGradient(Expr bound) {
    return bound instanceof Expr.Name name && name.id().equals(OptimizerModel.CLIP_GRADIENT);
  }

  @Override
  public Expr call(Expr.Call call) {
    if (call.function() == Function.CLIP && !clipped && isClipGradient(call.args().get(1))) {
      return call.args().get(0).accept(this);
    }
    List<Expr> args = new ArrayList<>();
    call.args().forEach(a -> args.add(a.accept(this)));
    return new Expr.Call(call.function(), args, call.span());
  }
}
