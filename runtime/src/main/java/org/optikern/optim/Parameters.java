package org.optikern.optim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reading of MXNet-style keyword parameters, with errors that name the parameter. */
final class Parameters {
  private final String optimizer;
  private final Map<String, ?> values;

  Parameters(String optimizer, Map<String, ?> values) {
    this.optimizer = optimizer;
    this.values = values;
  }

  void rejectUnknown(Set<String> known) {
    for (String key : values.keySet()) {
      if (key == null || !known.contains(key)) {
        String hint = "sym".equals(key) || "param_dict".equals(key)
            ? " (not supported: use setLrMult/setWdMult and param_idx2name)" : "";
        throw new IllegalArgumentException("unknown parameter '" + key + "' for optimizer " + optimizer + hint
            + "; known: " + new TreeSet<>(known));
      }
    }
  }

  /** Given and not null: as in MXNet, None means "not given". */
  boolean has(String key) {
    return values.get(key) != null;
  }

  double finiteDouble(String key, double defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(key + " must be a number, found " + describe(value));
    }
    double d = number.doubleValue();
    Optimizer.requireFinite(key, d);
    return d;
  }

  /**
   * A spec hyperparameter: a finite number, or a boolean for a flag such as RMSProp's
   * {@code centered} (true is 1 and false is 0, as in Python).
   */
  double hyperparameter(String key, double defaultValue) {
    return values.get(key) instanceof Boolean flag ? (flag ? 1.0 : 0.0) : finiteDouble(key, defaultValue);
  }

  int integer(String key, int defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Integer) && !(value instanceof Long && (Long) value == ((Long) value).intValue())
        && !(value instanceof Short) && !(value instanceof Byte)) {
      throw new IllegalArgumentException(key + " must be an integer, found " + describe(value));
    }
    int result = ((Number) value).intValue();
    if (result < 0) {
      throw new IllegalArgumentException(key + " must be >= 0, found " + result);
    }
    return result;
  }

  long longInteger(String key, long defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Long) && !(value instanceof Integer) && !(value instanceof Short) && !(value instanceof Byte)) {
      throw new IllegalArgumentException(key + " must be an integer, found " + describe(value));
    }
    return ((Number) value).longValue();
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(key + " must be true or false, found " + describe(value));
    }
    return b;
  }

  <T> T value(String key, Class<T> type) {
    Object value = values.get(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(key + " must be a " + type.getSimpleName() + ", found " + describe(value));
    }
    return type.cast(value);
  }

  Map<Integer, String> indexNames(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(key + " must be a Map<Integer, String>, found " + describe(value));
    }
    Map<Integer, String> result = new HashMap<>();
    map.forEach((k, v) -> {
      if (!(k instanceof Integer) || !(v instanceof String)) {
        throw new IllegalArgumentException(key + " must map Integer indices to String names, found "
            + describe(k) + " -> " + describe(v));
      }
      result.put((Integer) k, (String) v);
    });
    return Map.copyOf(result);
  }

  private static String describe(Object value) {
    return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
  }
}
