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
   * replaced by the text of its chosen branch, and in unclipped variants each
   * {@code clip(x, clip_gradient)} by {@code x}, in parentheses where it is an operand.
   */
  static String reduceSource(String source, Expr value, SwitchSet switches) {
    return textWithChoices(source, new Span(0, source.length()), value, switches, false);
  }

  /**
   * The text of {@code span}, with the outermost calls inside {@code node} that this variant resolves
   * ({@link #chosenArgument}) replaced by their chosen argument's text; {@code operand}: {@code node}
   * is an operand of the formula around it.
   */
  private static String textWithChoices(String source, Span span, Expr node, SwitchSet switches, boolean operand) {
    List<Expr.Call> choices = new ArrayList<>();
    Exprs.walk(node, (Expr child) -> {
      boolean resolved = child instanceof Expr.Call call && chosenArgument(call, switches) >= 0;
      if (resolved) {
        choices.add((Expr.Call) child);
      }
      return !resolved;
    });
    StringBuilder text = new StringBuilder();
    int at = span.start();
    for (Expr.Call choice : choices) {
      text.append(source, at, choice.span().start());
      int k = chosenArgument(choice, switches);
      Expr chosen = choice.args().get(k);
      boolean chosenIsOperand = operand || choice != node;
      String chosenText = textWithChoices(source, writtenArgument(source, choice, k), chosen, switches,
          chosenIsOperand).strip();
      text.append(chosenIsOperand && chosen instanceof Expr.Binary ? "(" + chosenText + ")" : chosenText);
      at = choice.span().end();
    }
    return text.append(source, at, span.end()).toString();
  }

  /**
   * The argument a call becomes in this variant: {@code if(s, a, b)}'s {@code a} or {@code b}, and
   * {@code clip(x, clip_gradient)}'s {@code x} when unclipped; -1 for a call that stays.
   */
  private static int chosenArgument(Expr.Call call, SwitchSet switches) {
    if (call.function() == Function.IF) {
      return switches.isOn(((Expr.Name) call.args().get(0)).id()) ? 1 : 2;
    }
    boolean dropsClip = call.function() == Function.CLIP && isClipGradient(call.args().get(1))
        && !switches.isOn(OptimizerModel.CLIPPED);
    return dropsClip ? 0 : -1;
  }

  /**
   * Where argument {@code k} is written: from after the '(' or comma before it to the comma after it
   * or the call's ')' (its span stops inside any closing parentheses of its own).
   */
  private static Span writtenArgument(String source, Expr.Call call, int k) {
    List<Expr> args = call.args();
    int start = k == 0 ? source.indexOf('(', call.span().start()) + 1
        : source.indexOf(',', args.get(k - 1).span().end()) + 1;
    int end = k == args.size() - 1 ? call.span().end() - 1 : source.indexOf(',', args.get(k).span().end());
    return new Span(start, end);
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
