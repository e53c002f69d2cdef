package org.optikern.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.ParameterFlag;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Reads a spec by reflection, for the interpreter and the test suites: the same model the
 * processor builds from annotation mirrors at compile time.
 */
public final class SpecReader {
  private SpecReader() {}

  /** The validated model of {@code specType}; throws {@link InvalidSpecException} listing every problem. */
  public static OptimizerModel model(Class<?> specType) {
    return SpecResolver.resolve(read(specType)).orThrow();
  }

  public static RawSpec read(Class<?> specType) {
    OptimizerSpec spec = specType.getAnnotation(OptimizerSpec.class);
    if (spec == null) {
      throw new IllegalArgumentException(specType.getName() + " is not annotated with @OptimizerSpec");
    }
    String where = specType.getName();
    List<RawSpec.RawHyperparameter> hyperparameters = new ArrayList<>();
    for (Hyperparameter h : specType.getAnnotationsByType(Hyperparameter.class)) {
      hyperparameters.add(new RawSpec.RawHyperparameter(h.name(), h.defaultValue(), h.doc(), h.valid(),
          where + " @Hyperparameter(name = \"" + h.name() + "\")"));
    }
    List<RawSpec.RawSwitch> switches = new ArrayList<>();
    for (Switch s : specType.getAnnotationsByType(Switch.class)) {
      switches.add(new RawSpec.RawSwitch(s.name(), s.when(), where + " @Switch(name = \"" + s.name() + "\")"));
    }
    List<RawSpec.RawState> states = new ArrayList<>();
    for (State s : specType.getAnnotationsByType(State.class)) {
      states.add(new RawSpec.RawState(s.name(), s.when(), s.initial(), s.scalar(), s.shape(),
          where + " @State(name = \"" + s.name() + "\")"));
    }
    List<RawSpec.RawScalar> scalars = new ArrayList<>();
    for (Scalar s : specType.getAnnotationsByType(Scalar.class)) {
      scalars.add(new RawSpec.RawScalar(s.value(), s.doc(), where + " @Scalar(\"" + s.value() + "\")"));
    }
    List<RawSpec.RawParameterFlag> flags = new ArrayList<>();
    for (ParameterFlag f : specType.getAnnotationsByType(ParameterFlag.class)) {
      flags.add(new RawSpec.RawParameterFlag(f.name(), Arrays.asList(f.suffixes()),
          where + " @ParameterFlag(name = \"" + f.name() + "\")"));
    }
    List<RawSpec.RawUpdate> updates = new ArrayList<>();
    for (Update u : specType.getAnnotationsByType(Update.class)) {
      updates.add(new RawSpec.RawUpdate(u.when(), Arrays.asList(u.formulas()),
          where + " @Update(when = \"" + u.when() + "\")"));
    }
    Package pkg = specType.getPackage();
    return new RawSpec(pkg == null ? "" : pkg.getName(), specType.getSimpleName(), spec.name(),
        Arrays.asList(spec.aliases()), spec.learningRate(), Arrays.asList(spec.decayedNameSuffixes()), where,
        hyperparameters, switches, states, scalars, flags, updates);
  }
}
