package org.optikern.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Parser;
import org.optikern.lang.SpecSyntaxException;
import org.optikern.lang.Statement;

/**
 * The formulas of an {@code @Update}: what a statement may assign and read, numbers a float kernel
 * can hold, reductions only as whole {@code let}s, at most one {@code normal()}. Every formula of
 * an update is checked even after one fails, so that one compile shows all its problems.
 */
final class UpdateFormulaRules {
  private final DiagnosticLog log;
  private final SymbolTable symbols;
  private final ConditionRules conditions;
  private final ClipGradientRule clipGradient;
  private final ShapeRules shapes;

  UpdateFormulaRules(DiagnosticLog log, SymbolTable symbols, ConditionRules conditions, ClipGradientRule clipGradient) {
    this.log = log;
    this.symbols = symbols;
    this.conditions = conditions;
    this.clipGradient = clipGradient;
    this.shapes = new ShapeRules(log, symbols);
  }

  /** The update, or null when its {@code when} or any formula is bad (all of them reported). */
  UpdateModel resolve(RawSpec.RawUpdate u) {
    Condition when = conditions.parseSelection(u.when(), u.origin());
    List<Statement> statements = new ArrayList<>();
    boolean ok = u.when().isBlank() || when != null;
    if (u.formulas().isEmpty()) {
      log.error("an @Update needs at least one formula", u.origin(), "formulas");
      ok = false;
    }
    LetTemporaries temporaries = new LetTemporaries(u.formulas(), log, symbols);
    for (String formula : u.formulas()) {
      Statement statement = parseStatement(formula, u.origin(), temporaries, when);
      if (statement == null) {
        ok = false;
      } else {
        statements.add(statement);
      }
    }
    ok &= temporaries.checkAllRead(u.origin());
    ok &= checkOneDraw(u, statements);
    return ok ? new UpdateModel(when, u.when(), statements) : null;
  }

  private Statement parseStatement(String formula, Object origin, LetTemporaries temporaries, Condition when) {
    Statement statement;
    try {
      statement = Parser.parseStatement(formula);
    } catch (SpecSyntaxException e) {
      log.error(e.getMessage(), origin, "formulas");
      temporaries.unparsed(formula);
      return null;
    }
    temporaries.beginStatement(statement);
    boolean ok;
    if (statement.temporary()) {
      ok = true; // declared after its value is checked: 'let g = g' reads no g
    } else if (temporaries.contains(statement.target())) {
      log.error(DiagnosticLog.positioned("cannot assign to temporary '" + statement.target() + "': a temporary is "
          + "assigned once, by its 'let'", formula, statement.targetSpan()), origin, "formulas");
      ok = false;
    } else {
      ok = checkTarget(statement, origin);
    }
    for (Expr.Literal literal : Exprs.all(statement.value(), Expr.Literal.class)) {
      if (Float.isInfinite((float) literal.value())) {
        log.error(DiagnosticLog.positioned("number '" + literal.text() + "' is too large for float32 and float16 "
            + "kernels: it would become Infinity (largest float: " + Float.MAX_VALUE + ")", formula, literal.span()),
            origin, "formulas");
        ok = false;
      } else if ((float) literal.value() == 0 && literal.value() != 0) {
        log.error(DiagnosticLog.positioned("number '" + literal.text() + "' is too small for float32 and float16 "
            + "kernels: it would become 0.0 (smallest float: " + Float.MIN_VALUE + ")", formula, literal.span()),
            origin, "formulas");
        ok = false;
      }
    }
    ok &= checkReductions(statement, formula, origin);
    ok &= checkChoices(statement, formula, origin);
    ok &= clipGradient.check(statement.value(), formula, origin, "formulas");
    Set<Expr.Name> selectors = VariantReducer.selectors(statement.value());
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      if (selectors.contains(name)) {
        continue; // a switch, checked by checkChoices
      } else if (temporaries.contains(name.id()) && temporaries.isFromEarlierPass(name.id())) {
        temporaries.markRead(name.id());
        log.error(DiagnosticLog.positioned("temporary '" + name.id() + "' holds one value per element of the pass "
            + "before a reduction (let ... = sumsq(...)); after it, those values are gone: store it in a @State, or "
            + "compute it again", formula, name.span()), origin, "formulas");
        ok = false;
      } else if (temporaries.contains(name.id())) {
        temporaries.markRead(name.id());
      } else if (temporaries.isReported(name.id())) {
        ok = false; // its let was reported already
      } else if (!symbols.isReadable(name.id()) && temporaries.isDeclaredLater(name.id())) {
        temporaries.markRead(name.id()); // one error is enough: not also "never read"
        log.error(DiagnosticLog.positioned("temporary '" + name.id() + "' is read before its 'let'", formula,
            name.span()), origin, "formulas");
        ok = false;
      } else if (!symbols.isReadable(name.id())) {
        List<String> known = symbols.readableNames();
        known.addAll(temporaries.declaredNames());
        log.error(DiagnosticLog.positioned(NameSuggestions.unknownName(name.id(), known), formula, name.span()),
            origin, "formulas");
        ok = false;
      }
    }
    if (symbols.scalarStateNames.contains(statement.target()) && !statement.temporary()) {
      ok &= checkScalarState(statement, formula, origin, temporaries);
    }
    if (ok) {
      ok = shapes.check(statement, when, origin, temporaries);
    }
    if (statement.temporary()) {
      ok &= temporaries.declare(statement, origin);
    }
    temporaries.recordReads(statement);
    return ok ? statement : null;
  }

  /**
   * A scalar state assigned in an update is one number per parameter, computed once per pass, before
   * its loop: from scalars, reductions and the temporaries computed from them, never from a value
   * per element; and no formula of the pass before it may read it per element, since the kernels
   * compute it before any element.
   */
  private boolean checkScalarState(Statement statement, String formula, Object origin, LetTemporaries temporaries) {
    String target = statement.target();
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      if (temporaries.isPerElement(name.id())) {
        log.error(DiagnosticLog.positioned("scalar state '" + target + "' is one number per parameter: its formula "
            + "may read scalars, reductions and temporaries computed from them, not '" + name.id() + "', which has "
            + temporaries.extentOf(name.id()).describe() + "; reduce it first, e.g. 'let s = sum(" + name.id() + ")'",
            formula, name.span()),
            origin, "formulas");
        return false;
      }
    }
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (call.function() == Function.NORMAL) {
        log.error(DiagnosticLog.positioned("scalar state '" + target + "' is one number per parameter: normal() "
            + "draws one value per element", formula, call.span()), origin, "formulas");
        return false;
      }
    }
    if (temporaries.isReadPerElementInPass(target)) {
      log.error(DiagnosticLog.positioned("scalar state '" + target + "' is read per element earlier in this pass, "
          + "but the kernels compute it once, before the pass's loop: assign it before those formulas, or after a "
          + "reduction that ends the pass", formula, statement.targetSpan()), origin, "formulas");
      return false;
    }
    return true;
  }

  /** Only the weight and the array states are assigned; every other name is read-only, each for its own reason. */
  private boolean checkTarget(Statement statement, Object origin) {
    String target = statement.target();
    String problem = null;
    if (target.equals(OptimizerModel.GRAD)) {
      problem = "cannot assign to 'grad': the gradient is read-only";
    } else if (symbols.hyperparameterNames.contains(target)) {
      problem = "cannot assign to hyperparameter '" + target + "': hyperparameters are read-only in formulas";
    } else if (OptimizerModel.COMMON_SCALARS.contains(target)) {
      problem = "cannot assign to '" + target + "': it is a scalar every optimizer passes to its kernels";
    } else if (target.equals(OptimizerModel.SIZE)) {
      problem = "cannot assign to 'size': it is the parameter's number of elements";
    } else if (target.equals(OptimizerModel.ROWS) || target.equals(OptimizerModel.COLS)) {
      problem = "cannot assign to '" + target + "': it is the number of " + (target.equals(OptimizerModel.ROWS)
          ? "rows" : "columns") + " of the parameter's 2-D view";
    } else if (symbols.scalarNames.contains(target)) {
      problem = "cannot assign to scalar '" + target + "': a @Scalar is computed once per update, before the "
          + "elementwise phase";
    } else if (symbols.flagNames.contains(target)) {
      problem = "cannot assign to parameter flag '" + target + "': it comes from the parameter's name";
    } else if (symbols.scalarStateNames.contains(target)) {
      return true; // one number per parameter: checked with its value (checkScalarState)
    } else if (!target.equals(OptimizerModel.WEIGHT) && !symbols.stateNames.contains(target)) {
      List<String> assignable = new ArrayList<>();
      assignable.add(OptimizerModel.WEIGHT);
      assignable.addAll(symbols.stateNames);
      problem = NameSuggestions.unknownName(target, assignable) + ": only 'weight' and declared @State arrays can be "
          + "assigned; a per-element temporary is declared with 'let " + target + " = ...'";
    }
    if (problem != null) {
      log.error(DiagnosticLog.positioned(problem, statement.source(), statement.targetSpan()), origin, "formulas");
      return false;
    }
    return true;
  }

  /**
   * A reduction is the whole value of a {@code let}: the kernels compute it at the end of a pass,
   * from its argument's value at each element. The argument is per element: it may not reduce again.
   */
  private boolean checkReductions(Statement statement, String formula, Object origin) {
    boolean ok = true;
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (!call.function().isReduction()) {
        continue;
      }
      String name = call.function().spelling();
      if (!statement.isReduction() || call != statement.value()) {
        String nested = statement.isReduction() ? " inside another reduction" : "";
        log.error(DiagnosticLog.positioned(name + "(...) reduces over the whole tensor" + nested + ": write it as the "
            + "whole value of a 'let', e.g. 'let s = " + name + "(grad)', and use that name", formula,
            call.span()), origin, "formulas");
        ok = false;
      }
    }
    return ok;
  }

  /** Each {@code if(s, a, b)} chooses by a switch: a declared {@code @Switch} or {@code clipped}. */
  private boolean checkChoices(Statement statement, String formula, Object origin) {
    boolean ok = true;
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (call.function() != Function.IF) {
        continue;
      }
      Expr selector = call.args().get(0);
      if (selector instanceof Expr.Name name && symbols.switchNames.contains(name.id())) {
        continue; // a declared switch or the built-in clipped
      }
      List<String> switches = new ArrayList<>(symbols.switchNames);
      switches.remove(OptimizerModel.CLIPPED);
      switches.add(OptimizerModel.CLIPPED); // the declared ones first
      String found = selector instanceof Expr.Name name ? "'" + name.id() + "'" : "an expression";
      log.error(DiagnosticLog.positioned("if(...) chooses a formula per variant, when the kernels are generated: "
          + "its first argument is a switch, one of " + switches + ", not " + found + "; a choice per element "
          + "is where(c, a, b)", formula, selector.span()), origin, "formulas");
      ok = false;
    }
    return ok;
  }

  /**
   * One {@code normal()} per update: every call draws the value of its element, so a second call
   * would repeat the first rather than draw anew; a {@code let} names the draw for reuse.
   */
  private boolean checkOneDraw(RawSpec.RawUpdate update, List<Statement> statements) {
    int draws = 0;
    for (Statement s : statements) {
      for (Expr.Call call : Exprs.all(s.value(), Expr.Call.class)) {
        if (call.function() == Function.NORMAL && ++draws == 2) {
          log.error(DiagnosticLog.positioned("a second normal() in one @Update would repeat the first draw of the "
              + "element: write 'let z = normal()' and use z", s.source(), call.span()), update.origin(), "formulas");
          return false;
        }
      }
    }
    return true;
  }
}
