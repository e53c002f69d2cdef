package org.optikern.benchmarks;

import java.util.Map;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerFactory;

/**
 * A test-only optimizer without a spec, registered through this module's test resources as any
 * optimizer on the class path is: its update is Adam's, but there is no kernel plan to read its
 * traffic off, so the benchmark must measure it on its own and the report must say why.
 */
public final class HandWrittenAdamFactory implements OptimizerFactory {
  static final String NAME = "test-handwritten-adam";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optimizer create(Map<String, ?> params) {
    return Optimizer.create("adam", params);
  }
}
