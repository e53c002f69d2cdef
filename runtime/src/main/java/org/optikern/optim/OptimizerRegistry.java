package org.optikern.optim;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Optimizers by lower-cased name: those found by {@link ServiceLoader}, then those registered at run time. */
final class OptimizerRegistry {
  private static final Map<String, OptimizerFactory> FACTORIES = new ConcurrentHashMap<>();

  static {
    for (OptimizerFactory factory : ServiceLoader.load(OptimizerFactory.class, OptimizerRegistry.class.getClassLoader())) {
      register(factory);
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
    if (name == null) {
      throw new IllegalArgumentException("optimizer name is null");
    }
    OptimizerFactory factory = FACTORIES.get(name.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new IllegalArgumentException("Cannot find optimizer " + name + " (registered: "
          + new TreeMap<>(FACTORIES).keySet() + ")");
    }
    return factory.create(params);
  }
}
