package org.optikern.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optikern.model.HyperparameterModel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ParameterFlagModel;
import org.optikern.model.ScalarLayout;
import org.optikern.model.ScalarStateModel;
import org.optikern.model.StateShape;
import org.optikern.model.StateModel;

/**
 * What an optimizer class needs to know about its spec at run time: its registry keys, its default
 * learning rate, its hyperparameters with defaults and validity conditions (the spec's {@code valid}
 * text, empty for any finite value), the names of its per-update scalars ({@code @Scalar}), the
 * states that start as a copy of the weight rather than as zeros, those that start filled with a
 * hyperparameter's value (state name to hyperparameter name), whether a formula reads the
 * parameter's element count ({@code size}: then it has a slot of the scalar vector), whether the update draws noise
 * ({@code normal()}: then the noise key ends the scalar vector), the scalar states (one double per
 * parameter) with their first values, the parameter flags with the name endings that set them, and
 * the name endings that keep weight decay under {@code param_idx2name}. Generated optimizers hold
 * one as a constant; {@link InterpretedOptimizer} derives it from the model.
 */
public record OptimizerDescriptor(String name, List<String> aliases, double defaultLearningRate,
    List<String> hyperparameterNames, List<Double> hyperparameterDefaults, List<String> hyperparameterConditions,
    List<String> derivedScalarNames, List<String> statesCopyingWeight, Map<String, String> stateFills,
    boolean usesSize, boolean usesNoise,
    List<String> scalarStateNames, List<Double> scalarStateInitials, List<String> flagNames,
    List<List<String>> flagSuffixes, List<String> decayedNameSuffixes, boolean usesMatrixShape,
    Map<String, StateShape> stateShapes) {

  public OptimizerDescriptor {
    stateShapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stateShapes));
    aliases = List.copyOf(aliases);
    hyperparameterNames = List.copyOf(hyperparameterNames);
    hyperparameterDefaults = List.copyOf(hyperparameterDefaults);
    hyperparameterConditions = List.copyOf(hyperparameterConditions);
    derivedScalarNames = List.copyOf(derivedScalarNames);
    statesCopyingWeight = List.copyOf(statesCopyingWeight);
    stateFills = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stateFills));
    scalarStateNames = List.copyOf(scalarStateNames);
    scalarStateInitials = List.copyOf(scalarStateInitials);
    flagNames = List.copyOf(flagNames);
    flagSuffixes = flagSuffixes.stream().map(List::copyOf).toList();
    decayedNameSuffixes = List.copyOf(decayedNameSuffixes);
    if (flagNames.size() != flagSuffixes.size()) {
      throw new IllegalArgumentException("one list of name endings per parameter flag");
    }
    if (scalarStateNames.size() != scalarStateInitials.size()) {
      throw new IllegalArgumentException("one initial value per scalar state");
    }
    if (hyperparameterNames.size() != hyperparameterDefaults.size()
        || hyperparameterNames.size() != hyperparameterConditions.size()) {
      throw new IllegalArgumentException("one default and one condition per hyperparameter");
    }
    for (Map.Entry<String, String> fill : stateFills.entrySet()) {
      if (!hyperparameterNames.contains(fill.getValue())) {
        throw new IllegalArgumentException("state '" + fill.getKey() + "' is filled with '" + fill.getValue()
            + "', which is not a hyperparameter of " + name);
      }
    }
  }

  /** For a hand-written optimizer: hyperparameters that accept any finite value, no per-update scalars, zero states. */
  public OptimizerDescriptor(String name, List<String> aliases, double defaultLearningRate,
      List<String> hyperparameterNames, List<Double> hyperparameterDefaults) {
    this(name, aliases, defaultLearningRate, hyperparameterNames, hyperparameterDefaults,
        hyperparameterNames.stream().map(n -> "").toList(), List.of(), List.of(), Map.of(), false, false, List.of(),
        List.of(),
        List.of(), List.of(), List.of("_weight", "_gamma"), false, Map.of());
  }

  /** Whether some state has one value per row or column: then weights of two or more dimensions run the factored variant. */
  public boolean factored() {
    return !stateShapes.isEmpty();
  }

  /** The shape of state {@code name}: the weight's unless it has one value per row or column. */
  public StateShape stateShape(String name) {
    return stateShapes.getOrDefault(name, StateShape.FULL);
  }

  /** The slots of the scalar vector that this optimizer's kernels take. */
  public ScalarLayout scalarLayout() {
    return new ScalarLayout(hyperparameterNames, derivedScalarNames, scalarStateNames, flagNames, usesSize,
        usesMatrixShape, usesNoise);
  }

  public static OptimizerDescriptor of(OptimizerModel model) {
    List<String> names = new ArrayList<>();
    List<Double> defaults = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    Map<String, String> fills = new LinkedHashMap<>();
    model.states().stream().filter(s -> s.filledWith() != null).forEach(s -> fills.put(s.name(), s.filledWith()));
    Map<String, StateShape> shapes = new LinkedHashMap<>();
    model.states().stream().filter(s -> s.shape() != StateShape.FULL).forEach(s -> shapes.put(s.name(), s.shape()));
    for (HyperparameterModel h : model.hyperparameters()) {
      names.add(h.name());
      defaults.add(h.defaultValue());
      conditions.add(h.valid());
    }
    return new OptimizerDescriptor(model.name(), model.aliases(), model.learningRate(), names, defaults, conditions,
        model.newScalarNames(),
        model.states().stream().filter(StateModel::copiesWeight).map(StateModel::name).toList(), fills, model.usesSize(),
        model.usesNoise(),
        model.scalarStates().stream().map(ScalarStateModel::name).toList(),
        model.scalarStates().stream().map(ScalarStateModel::initial).toList(),
        model.parameterFlags().stream().map(ParameterFlagModel::name).toList(),
        model.parameterFlags().stream().map(ParameterFlagModel::suffixes).toList(), model.decayedNameSuffixes(),
        model.scalarLayout().matrixShape(), shapes);
  }
}
