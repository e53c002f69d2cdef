package org.optikern.optim;

import java.util.ArrayList;
import java.util.List;
import org.optikern.model.HyperparameterModel;
import org.optikern.model.OptimizerModel;

/**
 * What an optimizer class needs to know about its spec at run time: its registry keys, its
 * default learning rate and its hyperparameters with defaults. Generated optimizers hold one as
 * a constant; {@link InterpretedOptimizer} derives it from the model.
 */
public record OptimizerDescriptor(String name, List<String> aliases, double defaultLearningRate,
    List<String> hyperparameterNames, List<Double> hyperparameterDefaults) {

  public OptimizerDescriptor {
    aliases = List.copyOf(aliases);
    hyperparameterNames = List.copyOf(hyperparameterNames);
    hyperparameterDefaults = List.copyOf(hyperparameterDefaults);
    if (hyperparameterNames.size() != hyperparameterDefaults.size()) {
      throw new IllegalArgumentException("one default per hyperparameter");
    }
  }

  public static OptimizerDescriptor of(OptimizerModel model) {
    List<String> names = new ArrayList<>();
    List<Double> defaults = new ArrayList<>();
    for (HyperparameterModel h : model.hyperparameters()) {
      names.add(h.name());
      defaults.add(h.defaultValue());
    }
    return new OptimizerDescriptor(model.name(), model.aliases(), model.learningRate(), names, defaults);
  }
}
