package org.optikern.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Parser;
import org.optikern.lang.SpecSyntaxException;

/**
 * The two kinds of condition a spec writes and what each may contain: a switch's or a
 * hyperparameter's {@code valid} compares hyperparameters; an update's or state's {@code when}
 * selects switches by name. Each walker collects all the problems of one condition before
 * reporting them, so that a condition is either fully accepted or not used.
 */
final class ConditionRules {
  private final DiagnosticLog log;
  private final SymbolTable symbols;

  ConditionRules(DiagnosticLog log, SymbolTable symbols) {
    this.log = log;
    this.symbols = symbols;
  }

  Condition parseCondition(String source, Object origin) {
    return parseCondition(source, origin, "when");
  }

  private Condition parseCondition(String source, Object origin, String attribute) {
    try {
      return Parser.parseCondition(source);
    } catch (SpecSyntaxException e) {
      log.error(e.getMessage(), origin, attribute);
      return null;
    }
  }

  /**
   * A hyperparameter's {@code valid}: a condition over hyperparameters, like a switch's, which the
   * defaults must satisfy.
   */
  void checkValidity(RawSpec.RawHyperparameter h, List<RawSpec.RawHyperparameter> all) {
    if (h.valid().isBlank()) {
      return;
    }
    Condition valid = parseCondition(h.valid(), h.origin(), "valid");
    if (valid == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    walkSwitchCondition(valid, h.valid(), problems, "a validity condition");
    problems.forEach(p -> log.error(p, h.origin(), "valid"));
    if (!problems.isEmpty()) {
      return;
    }
    Map<String, Double> defaults = new HashMap<>();
    all.forEach(other -> defaults.put(other.name(), other.defaultValue()));
    if (!Conditions.holds(valid, defaults::get)) {
      log.error("the default " + h.defaultValue() + " of '" + h.name() + "' does not satisfy its condition '"
          + h.valid().strip() + "'", h.origin(), "defaultValue");
    }
  }

  /** A switch condition compares arithmetic over hyperparameters; it may not use arrays or functions. */
  boolean checkSwitchCondition(Condition condition, String source, Object origin) {
    List<String> problems = new ArrayList<>();
    walkSwitchCondition(condition, source, problems, "a switch condition");
    problems.forEach(p -> log.error(p, origin, "when"));
    return problems.isEmpty();
  }

  private void walkSwitchCondition(Condition c, String source, List<String> problems, String kind) {
    if (c instanceof Condition.Compare compare) {
      for (Expr side : List.of(compare.left(), compare.right())) {
        for (Expr.Name name : Exprs.all(side, Expr.Name.class)) {
          if (!symbols.hyperparameterNames.contains(name.id())) {
            String problem = symbols.isReadable(name.id())
                ? kind + " may only use hyperparameters, and '" + name.id() + "' is not one"
                    + " (it is decided when the optimizer is created)"
                : NameSuggestions.unknownName(name.id(), new ArrayList<>(symbols.hyperparameterNames)) + " in " + kind;
            problems.add(DiagnosticLog.positioned(problem, source, name.span()));
          }
        }
        for (Expr.Call call : Exprs.all(side, Expr.Call.class)) {
          problems.add(DiagnosticLog.positioned(kind + " may not call functions", source, call.span()));
        }
      }
    } else if (c instanceof Condition.Not not) {
      walkSwitchCondition(not.operand(), source, problems, kind);
    } else if (c instanceof Condition.And and) {
      walkSwitchCondition(and.left(), source, problems, kind);
      walkSwitchCondition(and.right(), source, problems, kind);
    } else if (c instanceof Condition.Or or) {
      walkSwitchCondition(or.left(), source, problems, kind);
      walkSwitchCondition(or.right(), source, problems, kind);
    } else if (c instanceof Condition.Flag flag) {
      problems.add(DiagnosticLog.positioned(kind + " compares hyperparameters, e.g. '" + flag.name()
          + " != 0'; a bare name is not a condition here", source, flag.span()));
    }
  }

  /** An update's or state's {@code when}: switch names combined with {@code !}, {@code &&}, {@code ||}. */
  Condition parseSelection(String source, Object origin) {
    if (source.isBlank()) {
      return null;
    }
    Condition condition = parseCondition(source, origin);
    if (condition == null) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    walkSelection(condition, source, problems);
    problems.forEach(p -> log.error(p, origin, "when"));
    return problems.isEmpty() ? condition : null;
  }

  private void walkSelection(Condition c, String source, List<String> problems) {
    if (c instanceof Condition.Flag flag) {
      if (!symbols.switchNames.contains(flag.name()) && !flag.name().equals(OptimizerModel.CLIPPED)) {
        List<String> known = new ArrayList<>(symbols.switchNames);
        if (!known.contains(OptimizerModel.CLIPPED)) {
          known.add(OptimizerModel.CLIPPED);
        }
        problems.add(DiagnosticLog.positioned(
            NameSuggestions.unknownName(flag.name(), known).replace("unknown name", "unknown switch"),
            source, flag.span()));
      }
    } else if (c instanceof Condition.Not not) {
      walkSelection(not.operand(), source, problems);
    } else if (c instanceof Condition.And and) {
      walkSelection(and.left(), source, problems);
      walkSelection(and.right(), source, problems);
    } else if (c instanceof Condition.Or or) {
      walkSelection(or.left(), source, problems);
      walkSelection(or.right(), source, problems);
    } else {
      problems.add(DiagnosticLog.positioned("'when' selects switches by name (e.g. 'momentum && !clipped'); "
          + "put comparisons of hyperparameters in a @Switch", source, c.span()));
    }
  }
}
