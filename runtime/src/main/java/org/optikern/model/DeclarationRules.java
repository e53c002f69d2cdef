package org.optikern.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.optikern.lang.Condition;
import org.optikern.lang.Parser;

/**
 * The spec's declarations other than formulas: its registry names, learning rate, hyperparameters,
 * switches, states and parameter flags. Each one declared well enters the {@link SymbolTable}; a bad
 * one is reported and left out of the model.
 */
final class DeclarationRules {
  /** Each switch doubles the kernels; past this the generated code would be unreasonably large. */
  static final int MAX_SWITCHES = 5;

  private final RawSpec raw;
  private final DiagnosticLog log;
  private final SymbolTable symbols;
  private final ConditionRules conditions;

  DeclarationRules(RawSpec raw, DiagnosticLog log, SymbolTable symbols, ConditionRules conditions) {
    this.raw = raw;
    this.log = log;
    this.symbols = symbols;
    this.conditions = conditions;
  }

  /** The name, the aliases (distinct registry keys) and the learning rate. */
  void checkRegistration() {
    checkRegistryName(raw.name(), "optimizer name", "name");
    Set<String> keys = new LinkedHashSet<>();
    keys.add(raw.name().toLowerCase(Locale.ROOT));
    for (String alias : raw.aliases()) {
      checkRegistryName(alias, "alias", "aliases");
      if (!keys.add(alias.toLowerCase(Locale.ROOT))) {
        log.error("alias '" + alias + "' repeats a registry key of this optimizer (keys are case-insensitive)",
            raw.origin(), "aliases");
      }
    }
    if (!(raw.learningRate() >= 0) || Double.isInfinite(raw.learningRate())) {
      log.error("learningRate must be a finite number >= 0, found " + raw.learningRate(), raw.origin(), "learningRate");
    }
  }

  private void checkRegistryName(String name, String what, String attribute) {
    if (!NameRules.REGISTRY_NAME.matcher(name).matches()) {
      log.error(what + " '" + name + "' is not a valid name (a letter, then letters, digits or '_')", raw.origin(),
          attribute);
    }
  }

  /** All names first, then the validity conditions: a condition may read a hyperparameter declared after it. */
  List<HyperparameterModel> resolveHyperparameters() {
    List<HyperparameterModel> hyperparameters = new ArrayList<>();
    for (RawSpec.RawHyperparameter h : raw.hyperparameters()) {
      if (symbols.declare(h.name(), "hyperparameter", h.origin(), symbols.hyperparameterNames)) {
        if (Double.isNaN(h.defaultValue()) || Double.isInfinite(h.defaultValue())) {
          log.error("hyperparameter '" + h.name() + "' needs a finite default, found " + h.defaultValue(), h.origin(),
              "defaultValue");
        }
        hyperparameters.add(new HyperparameterModel(h.name(), h.defaultValue(), h.doc(), h.valid().strip()));
      }
    }
    for (RawSpec.RawHyperparameter h : raw.hyperparameters()) {
      conditions.checkValidity(h, raw.hyperparameters());
    }
    return hyperparameters;
  }

  /**
   * The declared switches, then the built-in {@code factored} (in a spec with a state of one value
   * per row or column) and {@code clipped}, whose names are reserved from the start.
   */
  List<SwitchModel> resolveSwitches() {
    List<SwitchModel> switches = new ArrayList<>();
    symbols.switchNames.add(OptimizerModel.CLIPPED);
    boolean factored = raw.states().stream().anyMatch(s -> !s.scalar() && !s.shape().isBlank());
    if (factored) {
      symbols.switchNames.add(OptimizerModel.FACTORED);
    }
    for (RawSpec.RawSwitch s : raw.switches()) {
      boolean named = symbols.declare(s.name(), "switch", s.origin(), symbols.switchNames);
      Condition when = conditions.parseCondition(s.when(), s.origin());
      if (when != null && conditions.checkSwitchCondition(when, s.when(), s.origin()) && named) {
        switches.add(new SwitchModel(s.name(), when, s.when()));
      }
    }
    if (raw.switches().size() > MAX_SWITCHES) {
      log.error("a spec may declare at most " + MAX_SWITCHES + " switches (each doubles the generated kernels), found "
          + raw.switches().size(), raw.origin(), "name");
    }
    if (factored) {
      switches.add(new SwitchModel(OptimizerModel.FACTORED, null, "the weight has two or more dimensions"));
    }
    switches.add(new SwitchModel(OptimizerModel.CLIPPED,
        Parser.parseCondition(OptimizerModel.CLIP_GRADIENT + " > 0"), OptimizerModel.CLIP_GRADIENT + " > 0"));
    return switches;
  }

  /**
   * The array and scalar states, in declaration order (their names share one namespace).
   *
   * @param keptStates receives the raw array states that made it into the model, for the usage check
   */
  void resolveStates(List<StateModel> states, List<ScalarStateModel> scalarStates, List<RawSpec.RawState> keptStates,
      List<SwitchModel> switches) {
    for (RawSpec.RawState s : raw.states()) {
      if (s.scalar() && !s.shape().isBlank()) {
        log.error("a scalar state is one number per parameter: it has no shape; drop shape = \"" + s.shape() + "\" or "
            + "scalar = true", s.origin(), "shape");
        continue;
      }
      if (s.scalar()) {
        ScalarStateModel scalarState = resolveScalarState(s);
        if (scalarState != null) {
          scalarStates.add(scalarState);
        }
        continue;
      }
      boolean named = symbols.declare(s.name(), "state", s.origin(), symbols.stateNames);
      Condition when = conditions.parseSelection(s.when(), s.origin());
      String initial = s.initial().strip();
      boolean filled = symbols.hyperparameterNames.contains(initial);
      boolean initialOk = initial.equals(StateModel.ZEROS) || initial.equals(StateModel.WEIGHT) || filled;
      if (!initialOk) {
        log.error("a state starts as zeros (initial = \"0\"), as a copy of the weight (initial = \"weight\") or "
            + "filled with the value of a @Hyperparameter (initial = \"its name\"), found '" + s.initial() + "'"
            + nearestHyperparameter(initial), s.origin(), "initial");
      }
      StateShape shape = resolveShape(s, initial, when, switches);
      if (named && initialOk && shape != null && (s.when().isBlank() || when != null)) {
        states.add(new StateModel(s.name(), when, s.when(), initial.equals(StateModel.WEIGHT), filled ? initial : null,
            shape));
        if (shape != StateShape.FULL) {
          symbols.stateShapes.put(s.name(), shape);
        }
        keptStates.add(s);
      }
    }
  }

  /**
   * The state's shape, or null when reported: {@code "rows"} or {@code "columns"} only in variants
   * where {@code factored} is on (a weight of one dimension has no rows and columns), and not a
   * copy of the weight, whose shape it does not have.
   */
  private StateShape resolveShape(RawSpec.RawState s, String initial, Condition when, List<SwitchModel> switches) {
    StateShape shape = StateShape.spelled(s.shape()).orElse(null);
    if (shape == null) {
      log.error("a state's shape is the weight's (leave it out), \"rows\" (one value per row of the weight's 2-D "
          + "view) or \"columns\" (one per column), found '" + s.shape() + "'", s.origin(), "shape");
      return null;
    }
    if (shape == StateShape.FULL) {
      return shape;
    }
    String per = shape == StateShape.ROWS ? "row" : "column";
    if (initial.equals(StateModel.WEIGHT)) {
      log.error("a state of one value per " + per + " cannot start as a "
          + "copy of the weight, which has another shape: start it as zeros or with a hyperparameter's value",
          s.origin(), "initial");
      return null;
    }
    if (s.when().isBlank() || when != null && !Conditions.selectsOnlyWhereOn(when, switches.stream().map(SwitchModel::name).toList(),
        OptimizerModel.FACTORED)) {
      log.error("state '" + s.name() + "' has one value per " + per + " of the weight's 2-D view, which only weights of two or more dimensions have: declare it when = "
          + "\"factored\"" + (s.when().isBlank() ? "" : " && ..., not when = \"" + s.when() + "\""), s.origin(),
          "when");
      return null;
    }
    return shape;
  }

  /** " (did you mean 'eps'?)" when {@code initial} looks like a misspelt hyperparameter name, else nothing. */
  private String nearestHyperparameter(String initial) {
    String message = NameSuggestions.unknownName(initial, new ArrayList<>(symbols.hyperparameterNames));
    int hint = message.indexOf(" (did you mean");
    return hint < 0 ? "" : message.substring(hint);
  }

  /** A scalar state: a name of its own, a finite number to start from, and no {@code when} (it always exists). */
  private ScalarStateModel resolveScalarState(RawSpec.RawState s) {
    boolean ok = symbols.declare(s.name(), "scalar state", s.origin(), symbols.scalarStateNames);
    if (!s.when().isBlank()) {
      log.error("a scalar state exists in every variant: drop its when", s.origin(), "when");
      ok = false;
    }
    double initial = Double.NaN;
    try {
      initial = Double.parseDouble(s.initial().strip());
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    if (!Double.isFinite(initial)) {
      log.error("a scalar state starts as a number, e.g. initial = \"1\", found '" + s.initial() + "'", s.origin(),
          "initial");
      ok = false;
    }
    return ok ? new ScalarStateModel(s.name(), initial) : null;
  }

  List<ParameterFlagModel> resolveFlags() {
    List<ParameterFlagModel> flags = new ArrayList<>();
    for (RawSpec.RawParameterFlag f : raw.flags()) {
      boolean named = symbols.declare(f.name(), "parameter flag", f.origin(), symbols.flagNames);
      boolean suffixesOk = !f.suffixes().isEmpty() && f.suffixes().stream().noneMatch(String::isEmpty);
      if (!suffixesOk) {
        log.error("a parameter flag needs name endings to look for, none of them empty", f.origin(), "suffixes");
      }
      if (named && suffixesOk) {
        flags.add(new ParameterFlagModel(f.name(), f.suffixes()));
      }
    }
    return flags;
  }
}
