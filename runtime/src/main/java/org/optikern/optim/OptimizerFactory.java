package org.optikern.optim;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.optikern.spec.OptimizerSpec;

/**
 * Creates one kind of optimizer. The processor generates one per spec and lists it in
 * {@code META-INF/services/org.optikern.optim.OptimizerFactory}, so {@link java.util.ServiceLoader}
 * finds every optimizer on the class path.
 */
public interface OptimizerFactory {
  /** The registry key, matched case-insensitively. */
  String name();

  default List<String> aliases() {
    return List.of();
  }

  Optimizer create(Map<String, ?> params);

  /** The {@code @OptimizerSpec} interface the optimizer was generated from; empty for a hand-written one. */
  default Optional<Class<?>> spec() {
    return Optional.empty();
  }

  /**
   * Whether this optimizer takes its names from others found on the class path under them: its
   * spec's {@link OptimizerSpec#replaces()}, false for a hand-written factory unless it says so.
   */
  default boolean replaces() {
    return spec().map(s -> s.getAnnotation(OptimizerSpec.class)).map(OptimizerSpec::replaces).orElse(false);
  }
}
