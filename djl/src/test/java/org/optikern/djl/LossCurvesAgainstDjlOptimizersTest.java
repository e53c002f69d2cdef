package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Against DJL's own native optimizers on PyTorch, where both exist: same model, same seed, same data,
 * loss curves printed side by side. SGD with momentum and no weight decay is the same arithmetic
 * (DJL's native {@code state = m*state + lr*g; w -= state}, Optikern's MXNet rule
 * {@code mom = m*mom - lr*g; w += mom} with {@code mom = -state} exactly), so the weights must end
 * bit for bit equal. Adam is the same math in another order (DJL: {@code w -= m*lr_t / (sqrt(v) + eps)}
 * with {@code 1 - beta} rounded to float; Optikern, as MXNet: {@code w -= lr_t * (m / (sqrt(v) + eps))}),
 * so its curve must agree to a small relative tolerance.
 */
class LossCurvesAgainstDjlOptimizersTest {
  private static final int STEPS = 40;
  /** Relative difference of the losses allowed at each step: Adam's rounding (measured: at most 2.5e-7). */
  private static final double TOLERANCE = 1e-5;

  @Test
  void sgdWithMomentum() {
    Run[] runs = compare("sgd (momentum 0.9, lr 0.05)",
        () -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build(),
        () -> OptikernOptimizer.builder("sgd").setLearningRateTracker(Tracker.fixed(0.05f))
            .optParameter("momentum", (double) 0.9f).build());
    runs[0].weights.forEach((id, bytes) -> assertArrayEquals(bytes, runs[1].weights.get(id),
        () -> "sgd: parameter " + id + " differs from DJL's after " + STEPS + " steps"));
  }

  @Test
  void adam() {
    compare("adam (lr 0.01)",
        () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build(),
        () -> OptikernOptimizer.builder("adam").setLearningRateTracker(Tracker.fixed(0.01f))
            .optParameter("beta1", (double) 0.9f).optParameter("beta2", (double) 0.999f)
            .optParameter("epsilon", (double) 1e-8f).build());
  }

  /** One training run: the loss before each step and the weights at the end. */
  private record Run(float[] losses, Map<String, byte[]> weights) {}

  private static Run[] compare(String what, Supplier<Optimizer> djl, Supplier<Optimizer> optikern) {
    Engine engine = TestEngines.require("PyTorch");
    Run djlRun = train(engine, djl.get());
    Run optikernRun = train(engine, optikern.get());
    float[] djlLosses = djlRun.losses;
    float[] optikernLosses = optikernRun.losses;
    System.out.println("PyTorch " + what + ": step, DJL's loss, Optikern's loss, relative difference");
    double worst = 0;
    for (int step = 0; step < STEPS; step++) {
      double relative = Math.abs(djlLosses[step] - optikernLosses[step]) / Math.abs(djlLosses[step]);
      worst = Math.max(worst, relative);
      System.out.printf(Locale.ROOT, "  %2d  %.7f  %.7f  %.1e%n", step + 1, djlLosses[step], optikernLosses[step],
          relative);
    }
    assertTrue(djlLosses[STEPS - 1] < djlLosses[0] / 2, what + ": DJL's run should learn; the comparison is moot");
    assertTrue(worst <= TOLERANCE, what + ": the loss curves differ by up to " + worst + " relative");
    return new Run[] {djlRun, optikernRun};
  }

  private static Run train(Engine engine, Optimizer optimizer) {
    float[] losses = new float[STEPS];
    try (TinyNetwork network = new TinyNetwork(engine, DataType.FLOAT32, optimizer, 11)) {
      for (int step = 0; step < STEPS; step++) {
        losses[step] = network.forwardBackward();
        network.trainer().step();
      }
      // the parameter ids are new per model: key by position in the block instead
      Map<String, byte[]> weights = new java.util.LinkedHashMap<>();
      int position = 0;
      for (byte[] bytes : network.weightBytes().values()) {
        weights.put("#" + position++, bytes);
      }
      return new Run(losses, weights);
    }
  }
}
