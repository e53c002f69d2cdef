package org.optikern.optim;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.SortedSet;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Optimizers by lower-cased name: those found by {@link ServiceLoader}, then those registered at run time. */
final class OptimizerRegistry {
  private static final Map<String, OptimizerFactory> FACTORIES = new ConcurrentHashMap<>();

  static {
    // one broken entry (a stale services line, a class that fails to load) must not disable the registry
    Iterator<OptimizerFactory> factories =
        ServiceLoader.load(OptimizerFactory.class, OptimizerRegistry.class.getClassLoader()).iterator();
    for (int failures = 0; failures < 100; ) {
      try {
        if (!factories.hasNext()) {
          break;
        }
        register(factories.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        failures++;
        Optimizer.LOG.log(Level.WARNING, "skipping an optimizer that cannot be loaded: " + e.getMessage());
      }
    }
  }

  private OptimizerRegistry() {}

  static synchronized void register(OptimizerFactory factory) {
    register(factory.name(), factory);
    for (String alias : factory.aliases()) {
      register(alias, factory);
    }
  }

  private static void register(String name, OptimizerFactory factory) {
    String key = name.toLowerCase(Locale.ROOT);
    OptimizerFactory previous = FACTORIES.put(key, factory);
    if (previous != null && previous != factory) {
      Optimizer.LOG.log(Level.WARNING, "New optimizer " + factory.getClass().getName()
          + " is overriding existing optimizer " + previous.getClass().getName() + " for the name '" + key + "'");
    }
  }

  static Optimizer create(String name, Map<String, ?> params) {
    return factory(name).create(params);
  }

  static OptimizerFactory factory(String name) {
    if (name == null) {
      throw new IllegalArgumentException("optimizer name is null");
    }
    OptimizerFactory factory = FACTORIES.get(name.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new IllegalArgumentException("Cannot find optimizer " + name + " (registered: "
          + new TreeMap<>(FACTORIES).keySet() + ")");
    }
    return factory;
  }

  /** Every registry key, lower-cased, sorted. */
  static SortedSet<String> names() {
    return new TreeSet<>(FACTORIES.keySet());
  }
}
