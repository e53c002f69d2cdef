package org.optikern.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Parser;
import org.optikern.lang.Span;
import org.optikern.lang.SpecSyntaxException;
import org.optikern.lang.Statement;

/**
 * The formulas of the {@code @Scalar}s, computed once per update before the elementwise phase:
 * they read no arrays, only scalars declared before them, and call no per-element or array
 * function.
 */
final class ScalarFormulaRules {
  private static final Pattern ASSIGNED_NAME = Pattern.compile("\\s*([a-z][a-z0-9_]*)\\s*=(?!=).*", Pattern.DOTALL);

  private final DiagnosticLog log;
  private final SymbolTable symbols;
  private final ClipGradientRule clipGradient;

  ScalarFormulaRules(DiagnosticLog log, SymbolTable symbols, ClipGradientRule clipGradient) {
    this.log = log;
    this.symbols = symbols;
    this.clipGradient = clipGradient;
  }

  /** The scalars in declaration order; every assigned name is noted first, to tell "later" from "unknown". */
  List<ScalarModel> resolve(List<RawSpec.RawScalar> raws) {
    raws.forEach(s -> assignedName(s.formula()).ifPresent(symbols.laterScalarNames::add));
    List<ScalarModel> scalars = new ArrayList<>();
    for (RawSpec.RawScalar s : raws) {
      ScalarModel scalar = resolve(s);
      if (scalar != null) {
        scalars.add(scalar);
      }
    }
    return scalars;
  }

  /** The name a formula assigns, read from its text even when the rest does not parse. */
  private static Optional<String> assignedName(String formula) {
    Matcher matcher = ASSIGNED_NAME.matcher(formula);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /**
   * {@code name = formula}: a new name, and a formula over what is known before the elementwise
   * phase (t, the common scalars, hyperparameters and earlier scalars). The name is declared even
   * when the formula is bad, so that later uses of it do not add a second, misleading error.
   */
  private ScalarModel resolve(RawSpec.RawScalar raw) {
    Statement statement;
    try {
      statement = Parser.parseStatement(raw.formula());
    } catch (SpecSyntaxException e) {
      log.error(e.getMessage(), raw.origin(), "value");
      assignedName(raw.formula()).ifPresent(symbols.reportedNames::add);
      return null;
    }
    if (statement.temporary()) {
      log.error(DiagnosticLog.positioned("a @Scalar is declared without 'let': write '" + statement.target()
          + " = ...'", raw.formula(), new Span(0, statement.targetSpan().start())), raw.origin(), "value");
      symbols.reportedNames.add(statement.target());
      return null;
    }
    List<String> known = new ArrayList<>(symbols.scalarNames);
    known.addAll(symbols.scalarStateNames); // a scalar state reads as its value so far
    known.addAll(symbols.flagNames);
    boolean clipGradientOk = clipGradient.check(statement.value(), raw.formula(), raw.origin(), "value");
    boolean declared = symbols.scalarStateNames.contains(statement.target())
        || symbols.declare(statement.target(), "scalar", raw.origin(), symbols.scalarNames, "value",
            problem -> DiagnosticLog.positioned(problem, raw.formula(), statement.targetSpan()));
    if (!declared) {
      symbols.reportedNames.add(statement.target());
    }
    boolean ok = clipGradientOk & declared;
    Set<Expr.Name> selectors = VariantReducer.selectors(statement.value()); // reported with their if(...)
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      String id = name.id();
      if (selectors.contains(name) || OptimizerModel.COMMON_SCALARS.contains(id) || SymbolTable.isShapeName(id)
          || symbols.hyperparameterNames.contains(id) || known.contains(id)) {
        continue;
      }
      String problem;
      if (id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || symbols.stateNames.contains(id)) {
        problem = "a @Scalar is computed once per update, before the elementwise phase: it cannot read the array '"
            + id + "'";
      } else if (id.equals(statement.target()) || symbols.laterScalarNames.contains(id)) {
        problem = "scalar '" + id + "' is not computed yet here: a @Scalar reads only the scalars declared before it";
      } else {
        List<String> readable = new ArrayList<>(OptimizerModel.COMMON_SCALARS);
        readable.add(OptimizerModel.SIZE);
        readable.add(OptimizerModel.ROWS);
        readable.add(OptimizerModel.COLS);
        readable.addAll(symbols.hyperparameterNames);
        readable.addAll(known);
        problem = NameSuggestions.unknownName(id, readable);
      }
      log.error(DiagnosticLog.positioned(problem, raw.formula(), name.span()), raw.origin(), "value");
      ok = false;
    }
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (call.function() == Function.NORMAL) {
        log.error(DiagnosticLog.positioned("normal() draws one value per element: it belongs in an @Update formula",
            raw.formula(), call.span()), raw.origin(), "value");
        ok = false;
      } else if (call.function().isReduction()) {
        log.error(DiagnosticLog.positioned(call.function().spelling() + "(...) reduces an array: it belongs in an "
            + "@Update, as 'let x = " + call.function().spelling() + "(weight)'", raw.formula(), call.span()),
            raw.origin(), "value");
        ok = false;
      } else if (call.function() == Function.IF) {
        log.error(DiagnosticLog.positioned("if(...) chooses a formula per variant: it belongs in @Update formulas; a "
            + "@Scalar is computed once for every variant (choose by a hyperparameter with where(c, a, b))",
            raw.formula(), call.span()), raw.origin(), "value");
        ok = false;
      } else if (call.function() == Function.CLIP) {
        log.error(DiagnosticLog.positioned("clip belongs in @Update formulas (unclipped variants drop it); a @Scalar "
            + "is the same in every variant", raw.formula(), call.span()), raw.origin(), "value");
        ok = false;
      }
    }
    return ok ? new ScalarModel(statement.target(), statement, raw.doc()) : null;
  }
}
