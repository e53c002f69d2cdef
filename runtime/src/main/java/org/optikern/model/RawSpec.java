package org.optikern.model;

import java.util.List;

/**
 * A spec exactly as written, before any checking: what the processor reads from annotation
 * mirrors and what {@link SpecReader} reads by reflection. Every part carries an opaque
 * {@code origin} so that a {@link Diagnostic} can point back at the annotation it came from.
 */
public record RawSpec(
    String packageName,
    String typeName,
    String name,
    List<String> aliases,
    double learningRate,
    List<String> decayedNameSuffixes,
    Object origin,
    List<RawHyperparameter> hyperparameters,
    List<RawSwitch> switches,
    List<RawState> states,
    List<RawScalar> scalars,
    List<RawParameterFlag> flags,
    List<RawUpdate> updates) {

  public RawSpec {
    aliases = List.copyOf(aliases);
    hyperparameters = List.copyOf(hyperparameters);
    switches = List.copyOf(switches);
    states = List.copyOf(states);
    scalars = List.copyOf(scalars);
    flags = List.copyOf(flags);
    decayedNameSuffixes = List.copyOf(decayedNameSuffixes);
    updates = List.copyOf(updates);
  }

  public record RawHyperparameter(String name, double defaultValue, String doc, String valid, Object origin) {}

  public record RawSwitch(String name, String when, Object origin) {}

  public record RawState(String name, String when, String initial, boolean scalar, String shape, Object origin) {}

  public record RawScalar(String formula, String doc, Object origin) {}

  public record RawParameterFlag(String name, List<String> suffixes, Object origin) {
    public RawParameterFlag {
      suffixes = List.copyOf(suffixes);
    }
  }

  public record RawUpdate(String when, List<String> formulas, Object origin) {
    public RawUpdate {
      formulas = List.copyOf(formulas);
    }
  }
}
