package org.optikern.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The value of every switch of a spec, in declaration order, the built-in {@code clipped} last. */
public record SwitchSet(Map<String, Boolean> values) {
  public SwitchSet {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Pairs names with values in order: {@code of(List.of("momentum", "clipped"), true, false)}. */
  public static SwitchSet of(java.util.List<String> names, boolean... values) {
    if (names.size() != values.length) {
      throw new IllegalArgumentException(names.size() + " switch names but " + values.length + " values");
    }
    Map<String, Boolean> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(names.get(i), values[i]);
    }
    return new SwitchSet(map);
  }

  /** These values with switch {@code name} (one of them) set to {@code on}. */
  public SwitchSet with(String name, boolean on) {
    isOn(name);
    Map<String, Boolean> changed = new java.util.LinkedHashMap<>(values);
    changed.put(name, on);
    return new SwitchSet(changed);
  }

  /** Whether the spec has switch {@code name} and it is on here. */
  public boolean has(String name) {
    return values.containsKey(name) && values.get(name);
  }

  public boolean isOn(String name) {
    Boolean value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no switch named '" + name + "' in " + values.keySet());
    }
    return value;
  }

  /** For class names: {@code MomentumClipped}, {@code NoMomentumUnclipped}. */
  public String label() {
    StringBuilder out = new StringBuilder();
    values.forEach((name, on) -> out.append(labelOf(name, on)));
    return out.toString();
  }

  static String labelOf(String switchName, boolean on) {
    if (switchName.equals(OptimizerModel.CLIPPED)) {
      return on ? "Clipped" : "Unclipped";
    }
    if (switchName.equals(OptimizerModel.FACTORED)) {
      return on ? "Factored" : "Unfactored";
    }
    String camel = camelCase(switchName);
    return on ? camel : "No" + camel;
  }

  /** The Java accessor for a spec name: {@code wd_lh} becomes {@code wdLh}. */
  public static String accessorName(String name) {
    String camel = camelCase(name);
    return camel.isEmpty() ? camel : Character.toLowerCase(camel.charAt(0)) + camel.substring(1);
  }

  /** {@code wd_lh} becomes {@code WdLh}. */
  public static String camelCase(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    values.forEach((name, on) -> {
      if (out.length() > 0) {
        out.append(" && ");
      }
      out.append(on ? "" : "!").append(name);
    });
    return out.toString();
  }
}
