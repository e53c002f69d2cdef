package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Against DJL's MXNet engine's own optimizers, which call MXNet 1.9's update operators
 * ({@code sgd_mom_update}, {@code adam_update}, {@code nag_mom_update}, {@code rmsprop_update}, ...):
 * the Optikern specs follow the same operators, so the same model trained 20 steps from the same
 * weights must end with the same weights. Prints each pair's loss curves and largest weight difference.
 */
class MxnetNativeOptimizersTest {
  private static final int STEPS = 20;

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of("sgd", (Supplier<Optimizer>) () -> Optimizer.sgd()
            .setLearningRateTracker(Tracker.fixed(0.05f)).optMomentum(0.9f).build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("sgd").setLearningRateTracker(Tracker.fixed(0.05f))
                .optParameter("momentum", (double) 0.9f).build()),
        Arguments.of("nag", (Supplier<Optimizer>) () -> Optimizer.nag()
            .setLearningRateTracker(Tracker.fixed(0.05f)).setMomentum(0.9f).build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("nag").setLearningRateTracker(Tracker.fixed(0.05f))
                .optParameter("momentum", (double) 0.9f).build()),
        Arguments.of("adam", (Supplier<Optimizer>) () -> Optimizer.adam()
            .optLearningRateTracker(Tracker.fixed(0.01f)).build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("adam").setLearningRateTracker(Tracker.fixed(0.01f))
                .optParameter("beta1", (double) 0.9f).optParameter("beta2", (double) 0.999f)
                .optParameter("epsilon", (double) 1e-8f).build()),
        Arguments.of("rmsprop", (Supplier<Optimizer>) () -> Optimizer.rmsprop()
            .optLearningRateTracker(Tracker.fixed(0.01f)).build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("rmsprop")
                .setLearningRateTracker(Tracker.fixed(0.01f)).optParameter("gamma1", (double) 0.9f)
                .optParameter("gamma2", (double) 0.9f).optParameter("epsilon", (double) 1e-8f).build()),
        Arguments.of("adagrad", (Supplier<Optimizer>) () -> Optimizer.adagrad()
            .optLearningRateTracker(Tracker.fixed(0.1f)).build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("adagrad")
                .setLearningRateTracker(Tracker.fixed(0.1f)).optParameter("eps", (double) 1e-8f).build()),
        Arguments.of("adadelta", (Supplier<Optimizer>) () -> Optimizer.adadelta().build(),
            (Supplier<Optimizer>) () -> OptikernOptimizer.builder("adadelta")
                .optParameter("rho", (double) 0.9f).optParameter("epsilon", (double) 1e-8f).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void sameWeightsAsDjlsMxnetOptimizer(String name, Supplier<Optimizer> djl, Supplier<Optimizer> optikern) {
    Engine engine = TestEngines.require("MXNet");
    Run djlRun = train(engine, djl.get());
    Run optikernRun = train(engine, optikern.get());
    System.out.println("MXNet " + name + ": step, DJL's loss, Optikern's loss");
    for (int step = 0; step < STEPS; step++) {
      System.out.printf(Locale.ROOT, "  %2d  %.7f  %.7f%n", step + 1, djlRun.losses[step], optikernRun.losses[step]);
    }
    assertTrue(djlRun.losses[STEPS - 1] < djlRun.losses[0], name + ": DJL's run should learn; the comparison is moot");
    double worst = 0;
    for (int p = 0; p < djlRun.weights.size(); p++) {
      float[] a = djlRun.weights.get(p);
      float[] b = optikernRun.weights.get(p);
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
    }
    System.out.println("MXNet " + name + ": largest weight difference after " + STEPS + " steps: " + worst);
    assertTrue(worst == 0, name + ": weights differ from DJL's MXNet optimizer by up to " + worst);
  }

  private record Run(float[] losses, List<float[]> weights) {}

  private static Run train(Engine engine, Optimizer optimizer) {
    float[] losses = new float[STEPS];
    try (TinyNetwork network = new TinyNetwork(engine, DataType.FLOAT32, optimizer, 13)) {
      for (int step = 0; step < STEPS; step++) {
        losses[step] = network.forwardBackward();
        network.trainer().step();
      }
      List<float[]> weights = new ArrayList<>();
      for (byte[] bytes : network.weightBytes().values()) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        weights.add(values);
      }
      return new Run(losses, weights);
    }
  }
}
