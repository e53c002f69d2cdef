package org.optikern.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Span;

/**
 * Rewrites a formula for one variant: {@code if(s, a, b)} becomes {@code a} where switch {@code s}
 * is on and {@code b} where it is off. Unclipped: {@code clip(x, clip_gradient)} becomes {@code x};
 * a clip with any other bound (RMSProp's {@code clip_weights}) stays, since the switch
 * {@code clipped} is about {@code clip_gradient} only.
 * Constants are deliberately not folded: folding in double would round differently from the
 * kernel's float arithmetic, and the grouping as written is what MXNet computes.
 */
final class VariantReducer implements Expr.Visitor<Expr> {
  private final SwitchSet switches;

  private VariantReducer(SwitchSet switches) {
    this.switches = switches;
  }

  static Expr reduce(Expr expr, SwitchSet switches) {
    return expr.accept(new VariantReducer(switches));
  }

  /**
   * The switch names that choose in {@code if(...)} calls of {@code expr}, by identity: they name a
   * switch, not a value, so the checks of what a formula may read skip them.
   */
  static Set<Expr.Name> selectors(Expr expr) {
    Set<Expr.Name> selectors = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Expr.Call call : Exprs.all(expr, Expr.Call.class)) {
      if (call.function() == Function.IF && call.args().get(0) instanceof Expr.Name name) {
        selectors.add(name);
      }
    }
    return selectors;
  }

  /**
   * A formula's text as the variant runs it, for the comments of its kernels: each {@code if(...)}
   * replaced by the text of its chosen branch, in parentheses where it is an operand. Other
   * reductions (dropping {@code clip_gradient}) leave the text as written, as before.
   */
  static String reduceSource(String source, Expr value, SwitchSet switches) {
    return textWithChoices(source, new Span(0, source.length()), value, switches, false);
  }

  /**
   * The text of {@code span}, with the outermost {@code if(...)} calls inside {@code node} replaced;
   * {@code operand}: {@code node} is an operand of the formula around it.
   */
  private static String textWithChoices(String source, Span span, Expr node, SwitchSet switches, boolean operand) {
    List<Expr.Call> choices = new ArrayList<>();
    collectOutermostChoices(node, choices);
    StringBuilder text = new StringBuilder();
    int at = span.start();
    for (Expr.Call choice : choices) {
      text.append(source, at, choice.span().start());
      boolean on = switches.isOn(((Expr.Name) choice.args().get(0)).id());
      Expr chosen = choice.args().get(on ? 1 : 2);
      // the argument's text runs to its comma or to the call's ')': a span stops inside closing parentheses
      int afterFirst = source.indexOf(',', choice.args().get(0).span().end()) + 1;
      int afterSecond = source.indexOf(',', choice.args().get(1).span().end()) + 1;
      Span written = on ? new Span(afterFirst, afterSecond - 1) : new Span(afterSecond, choice.span().end() - 1);
      boolean chosenIsOperand = operand || choice != node;
      String chosenText = textWithChoices(source, written, chosen, switches, chosenIsOperand).strip();
      text.append(chosenIsOperand && chosen instanceof Expr.Binary ? "(" + chosenText + ")" : chosenText);
      at = choice.span().end();
    }
    return text.append(source, at, span.end()).toString();
  }

  /** The {@code if(...)} calls of {@code node} that are inside no other, in order. */
  private static void collectOutermostChoices(Expr node, List<Expr.Call> into) {
    Exprs.walk(node, (Expr child) -> {
      boolean choice = child instanceof Expr.Call call && call.function() == Function.IF;
      if (choice) {
        into.add((Expr.Call) child);
      }
      return !choice;
    });
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
    if (call.function() == Function.IF) {
      String selector = ((Expr.Name) call.args().get(0)).id();
      return call.args().get(switches.isOn(selector) ? 1 : 2).accept(this);
    }
    if (call.function() == Function.CLIP && !switches.isOn(OptimizerModel.CLIPPED)
        && isClipGradient(call.args().get(1))) {
      return call.args().get(0).accept(this);
    }
    List<Expr> args = new ArrayList<>();
    call.args().forEach(a -> args.add(a.accept(this)));
    return new Expr.Call(call.function(), args, call.span());
  }
}
