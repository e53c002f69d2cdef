package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.FactorScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * The learning rate comes from a DJL tracker, asked with DJL's update count on every update, or from
 * Optikern's own scheduler: either way the steps equal Optikern's heap kernels run at those rates.
 */
class LearningRateSourcesTest {
  private static final float[] START = {0.5f, -1.25f, 3f, 0.001f};
  private static final float[] GRADIENT = {0.1f, -0.2f, 0.3f, 0f};
  private static final int UPDATES = 4;

  @Test
  void aDjlTrackerIsAskedWithTheUpdateCount() {
    Tracker halving = Tracker.factor().setBaseValue(0.1f).setFactor(0.5f).build();
    float[] actual = adapterSteps(OptikernOptimizer.builder("sgd").setLearningRateTracker(halving)
        .optParameter("momentum", 0.9).build());
    Optimizer reference = Optimizer.create("sgd", Map.of("momentum", 0.9));
    float[] expected = referenceSteps(reference, t -> reference.setLearningRate(halving.getNewValue(t)));
    assertArrayEquals(expected, actual);
  }

  @Test
  void optikernsOwnSchedulerDrivesTheRateWithoutATracker() {
    float[] actual = adapterSteps(OptikernOptimizer.builder("adam")
        .optParameters(Map.of("learning_rate", 0.1, "lr_scheduler", new FactorScheduler(1, 0.5))).build());
    Optimizer reference = Optimizer.create("adam",
        Map.of("learning_rate", 0.1, "lr_scheduler", new FactorScheduler(1, 0.5)));
    float[] expected = referenceSteps(reference, t -> { });
    assertArrayEquals(expected, actual);
  }

  private static float[] adapterSteps(OptikernOptimizer optimizer) {
    Engine engine = TestEngines.require("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      NDArray weight = manager.create(START.clone());
      for (int t = 1; t <= UPDATES; t++) {
        try (NDArray grad = manager.create(GRADIENT.clone())) {
          optimizer.update("w", weight, grad);
        }
      }
      return weight.toFloatArray();
    }
  }

  private static float[] referenceSteps(Optimizer reference, java.util.function.IntConsumer beforeUpdate) {
    Tensor weight = Tensor.of(START.clone());
    OptimizerState state = reference.createState(0, weight);
    for (int t = 1; t <= UPDATES; t++) {
      beforeUpdate.accept(t);
      reference.update(0, weight, Tensor.of(GRADIENT.clone()), state);
    }
    return weight.floatData();
  }
}
