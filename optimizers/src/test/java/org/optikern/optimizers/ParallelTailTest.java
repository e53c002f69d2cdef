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
    optimizer.setParallelism(parallelism);
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

  @Test
  void adamUpdatesTheLastFifteenOnSixteenCores() {
    assertEveryElementUpdated("adam", (1 << 24) + 15, 16);
  }
}
