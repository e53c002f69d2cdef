package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.tensor.Tensor;

/**
 * The reproductions of the parallel path's lost tail, through the public API: sizes whose
 * per-core quotient is already a multiple of 64, on the core counts that lost elements. Every
 * element must move.
 */
class ParallelTailTest {
  private static void assertEveryElementUpdated(String name, int size, int parallelism) {
    Optimizer optimizer = Optimizer.create(name, Map.of("learning_rate", 0.5));
    if (parallelism > 0) {
      optimizer.setParallelism(parallelism);
    }
    float[] weight = new float[size];
    Arrays.fill(weight, 1f);
    float[] grad = new float[size];
    Arrays.fill(grad, 1f);
    Tensor w = Tensor.of(weight);
    optimizer.update(0, w, Tensor.of(grad), optimizer.createState(0, w));
    for (int i = size - 1; i >= 0; i--) {
      if (weight[i] == 1f) {
        fail(name + " on " + size + " elements in " + parallelism + " chunks left element " + i + " unchanged");
      }
    }
  }

  @Test
  void sgdUpdatesTheLastElementOnTwoCores() {
    assertEveryElementUpdated("sgd", 2_097_153, 2);
  }

  /** With the JVM's own processor count (the pom runs this class under several -XX:ActiveProcessorCount values). */
  @Test
  void theDefaultParallelismUpdatesTheTail() {
    int cores = Runtime.getRuntime().availableProcessors();
    // an aligned chunk per core and a remainder of cores - 1: the size that lost its tail
    assertEveryElementUpdated("adam", Math.max(1 << 20, cores * 64 * 4096) + Math.max(1, cores - 1), 0);
  }

  @Test
  void adamUpdatesTheLastFifteenOnSixteenCores() {
    assertEveryElementUpdated("adam", (1 << 24) + 15, 16);
  }
}
