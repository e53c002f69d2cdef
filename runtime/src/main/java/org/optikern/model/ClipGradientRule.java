package org.optikern.model;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;

/**
 * {@code clip_gradient} is read only as the bound of {@code clip(x, clip_gradient)}: unclipped
 * variants drop that clip, and there its value is -1 or not positive, so any other use of it
 * would silently compute with that. Both {@code @Update} and {@code @Scalar} formulas obey it.
 */
final class ClipGradientRule {
  private final DiagnosticLog log;

  ClipGradientRule(DiagnosticLog log) {
    this.log = log;
  }

  boolean check(Expr value, String formula, Object origin, String attribute) {
    Set<Expr> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Expr.Call call : Exprs.all(value, Expr.Call.class)) {
      if (call.function() == Function.CLIP && VariantReducer.isClipGradient(call.args().get(1))) {
        bounds.add(call.args().get(1));
      }
    }
    boolean ok = true;
    for (Expr.Name name : Exprs.all(value, Expr.Name.class)) {
      if (name.id().equals(OptimizerModel.CLIP_GRADIENT) && !bounds.contains(name)) {
        log.error(DiagnosticLog.positioned("clip_gradient is read only as the bound of clip(x, clip_gradient): "
            + "unclipped variants drop that clip, and there clip_gradient is -1 or not positive", formula,
            name.span()), origin, attribute);
        ok = false;
      }
    }
    return ok;
  }
}
