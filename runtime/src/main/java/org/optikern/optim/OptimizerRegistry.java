package org.optikern.optim;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optimizers by lower-cased name: those found by {@link ServiceLoader}, then those registered at
 * run time. Two optimizers found under one name never depend on the class path's order: one that
 * {@link OptimizerFactory#replaces() replaces} on purpose wins; otherwise the name is ambiguous and
 * using it is an error that names both. Registering at run time replaces, with a warning (MXNet's
 * {@code Optimizer.register}).
 */
final class OptimizerRegistry {
  private static final Map<String, OptimizerFactory> FACTORIES = new ConcurrentHashMap<>();
  /** Names found more than once on the class path with no factory replacing the others: the candidates. */
  private static final Map<String, List<OptimizerFactory>> AMBIGUOUS = new ConcurrentHashMap<>();

  static {
    Resolution found = resolve(loadAll());
    FACTORIES.putAll(found.factories());
    AMBIGUOUS.putAll(found.ambiguous());
    found.ambiguous().forEach((name, candidates) -> Optimizer.LOG.log(Level.WARNING, ambiguity(name, candidates)));
  }

  private OptimizerRegistry() {}

  /** Every factory ServiceLoader finds; one broken entry (a stale services line, a class that fails to load) is skipped. */
  private static List<OptimizerFactory> loadAll() {
    List<OptimizerFactory> all = new ArrayList<>();
    Iterator<OptimizerFactory> factories =
        ServiceLoader.load(OptimizerFactory.class, OptimizerRegistry.class.getClassLoader()).iterator();
    for (int failures = 0; failures < 100; ) {
      try {
        if (!factories.hasNext()) {
          break;
        }
        all.add(factories.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        failures++;
        Optimizer.LOG.log(Level.WARNING, "skipping an optimizer that cannot be loaded: " + e.getMessage());
      }
    }
    return all;
  }

  /** The outcome of the class path's factories: a winner per name, or the candidates of an ambiguous name. */
  record Resolution(Map<String, OptimizerFactory> factories, Map<String, List<OptimizerFactory>> ambiguous) {}

  /**
   * Decides every name, in an order-free way: one candidate (one factory class; the same class
   * found twice counts once) wins; among several, the only one that replaces wins; else the name
   * is ambiguous.
   */
  static Resolution resolve(List<OptimizerFactory> found) {
    Map<String, Map<String, OptimizerFactory>> byName = new TreeMap<>();
    Map<OptimizerFactory, Boolean> replacing = new java.util.IdentityHashMap<>();
    for (OptimizerFactory factory : found) {
      List<String> names;
      try {
        // a factory whose names or spec cannot be read is skipped, as one that fails to load is
        names = namesOf(factory);
        replacing.put(factory, factory.replaces());
      } catch (RuntimeException | LinkageError e) {
        Optimizer.LOG.log(Level.WARNING, "skipping optimizer " + factory.getClass().getName() + ": " + e);
        continue;
      }
      for (String name : names) {
        byName.computeIfAbsent(name, n -> new TreeMap<>()).putIfAbsent(factory.getClass().getName(), factory);
      }
    }
    Map<String, OptimizerFactory> winners = new LinkedHashMap<>();
    Map<String, List<OptimizerFactory>> ambiguous = new LinkedHashMap<>();
    byName.forEach((name, candidates) -> {
      List<OptimizerFactory> all = List.copyOf(candidates.values());
      List<OptimizerFactory> replacers = all.stream().filter(replacing::get).toList();
      if (all.size() == 1) {
        winners.put(name, all.get(0));
      } else if (replacers.size() == 1) {
        winners.put(name, replacers.get(0));
        Optimizer.LOG.log(Level.INFO, replacers.get(0).getClass().getName() + " replaces " + all.stream()
            .filter(f -> f != replacers.get(0)).map(f -> f.getClass().getName()).toList() + " as '" + name
            + "' (it says replaces = true)");
      } else {
        ambiguous.put(name, all);
      }
    });
    return new Resolution(winners, ambiguous);
  }

  private static List<String> namesOf(OptimizerFactory factory) {
    List<String> names = new ArrayList<>();
    names.add(factory.name().toLowerCase(Locale.ROOT));
    factory.aliases().forEach(alias -> names.add(alias.toLowerCase(Locale.ROOT)));
    return names;
  }

  static String ambiguity(String name, List<OptimizerFactory> candidates) {
    List<String> classes = candidates.stream().map(f -> f.getClass().getName()).toList();
    return "optimizer name '" + name + "' is claimed by " + classes.size() + " optimizers on the class path: "
        + String.join(" and ", classes) + "; mark the one to use with @OptimizerSpec(replaces = true), rename the "
        + "other, or register one explicitly with Optimizer.register";
  }

  static synchronized void register(OptimizerFactory factory) {
    for (String name : namesOf(factory)) {
      OptimizerFactory previous = FACTORIES.put(name, factory);
      AMBIGUOUS.remove(name);
      if (previous != null && previous != factory) {
        Optimizer.LOG.log(Level.WARNING, "New optimizer " + factory.getClass().getName()
            + " is overriding existing optimizer " + previous.getClass().getName() + " for the name '" + name + "'");
      }
    }
  }

  static Optimizer create(String name, Map<String, ?> params) {
    return factory(name).create(params);
  }

  static OptimizerFactory factory(String name) {
    if (name == null) {
      throw new IllegalArgumentException("optimizer name is null");
    }
    String key = name.toLowerCase(Locale.ROOT);
    // the factories first: register() adds a factory before it clears the name's ambiguity
    OptimizerFactory factory = FACTORIES.get(key);
    if (factory != null) {
      return factory;
    }
    List<OptimizerFactory> candidates = AMBIGUOUS.get(key);
    if (candidates != null) {
      throw new IllegalStateException(ambiguity(key, candidates));
    }
    throw new IllegalArgumentException("Cannot find optimizer " + name + " (registered: " + names() + ")");
  }

  /** Every registry key, lower-cased, sorted; ambiguous ones included (using them names the candidates). */
  static SortedSet<String> names() {
    SortedSet<String> names = new TreeSet<>(FACTORIES.keySet());
    names.addAll(AMBIGUOUS.keySet());
    return names;
  }
}
