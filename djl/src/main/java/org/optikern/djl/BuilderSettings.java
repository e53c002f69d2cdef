package org.optikern.djl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reconciles what a DJL {@code OptimizerBuilder} was told (rescale grad, weight decay, clip grad, begin
 * num update) with Optikern's MXNet-style parameters, into one parameter map. A setting given in
 * both places must agree; a disagreement is an error naming both values, never a silent choice.
 */
final class BuilderSettings {
  private final Map<String, Object> fromBuilder = new LinkedHashMap<>();

  /** Records a value set through the DJL builder under Optikern's parameter name. */
  void set(String optikernName, Object value) {
    fromBuilder.put(optikernName, value);
  }

  /**
   * {@code params} with every builder setting added.
   *
   * @throws IllegalArgumentException when a builder setting and {@code params} give different values
   */
  Map<String, Object> mergeInto(Map<String, ?> params, String optimizer) {
    Map<String, Object> merged = new LinkedHashMap<>(params);
    for (Map.Entry<String, Object> setting : fromBuilder.entrySet()) {
      String name = setting.getKey();
      Object value = setting.getValue();
      if (value == null) {
        if (merged.containsKey(name)) {
          throw new IllegalArgumentException(optimizer + ": the DJL builder turned " + name + " off but the "
              + "Optikern parameters set " + name + " = " + merged.get(name) + "; set it in one place");
        }
        continue;
      }
      Object given = merged.get(name);
      if (given != null && !sameNumber(given, value)) {
        throw new IllegalArgumentException(optimizer + ": the DJL builder sets " + name + " = " + value
            + " but the Optikern parameters set " + name + " = " + given + "; set it in one place");
      }
      if (given == null) {
        merged.put(name, value);
      }
    }
    return merged;
  }

  /** DJL's builder holds floats: a parameter agrees with it when it rounds to the same float (and is kept). */
  private static boolean sameNumber(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.floatValue() == y.floatValue();
    }
    return a.equals(b);
  }
}
