package org.optikern.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterServer;
import ai.djl.training.tracker.Tracker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optikern.examples.ModelShapes;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.ParameterUpdate;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Paired timing of one optimizer step over ResNet-50's 161 parameter tensors (25.6M floats,
 * {@link ModelShapes#resnet50}, as the multi-tensor benchmarks use), and over the digits demo's MLP
 * (4 tensors, 2410 floats),
 * on DJL's PyTorch engine, as {@code Trainer.step()} runs it:
 * DJL's {@code LocalParameterServer} takes each gradient, duplicates it and calls the optimizer once per
 * parameter. Compared: DJL's native PyTorch Adam, Optikern's Adam, Signum and LAMB through the adapter,
 * the adapter's Adam called directly per parameter (no server, so no gradient duplicate), and Optikern's
 * Adam as one {@code updateAll} over views of all 161 tensors (what a whole-step call would cost if DJL
 * offered one). Rounds alternate the contenders; the report gives each one's median
 * and its ratio to DJL's Adam. Not a test: run it with the command in BENCHMARKS.md.
 */
public final class OptimizerStepBenchmark {
  private static final int WARMUP_ROUNDS = 3;
  private static final int ROUNDS = 12;

  private OptimizerStepBenchmark() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    run(engine, "ResNet-50's tensors", ModelShapes.resnet50(), 1);
    // the demo's MLP (64-32-10): steps so small that each round times 500 of them
    run(engine, "the digits MLP's tensors", List.of(64 * 32, 32, 32 * 10, 10), 500);
  }

  private static void run(Engine engine, String what, List<Integer> sizes, int stepsPerRound) {
    try (NDManager manager = engine.newBaseManager()) {
      List<NDArray> weights = new ArrayList<>();
      List<NDArray> slopes = new ArrayList<>();
      for (int p = 0; p < sizes.size(); p++) {
        weights.add(smooth(manager, sizes.get(p), p, 1f));
        slopes.add(smooth(manager, sizes.get(p), p + 1000, 1e-3f));
        weights.get(p).setRequiresGradient(true);
      }
      Map<String, Runnable> steps = new LinkedHashMap<>();
      steps.put("DJL Adam (native PyTorch)", serverStep(ai.djl.training.optimizer.Optimizer.adam()
          .optLearningRateTracker(Tracker.fixed(1e-3f)).build(), weights));
      steps.put("Optikern Adam (adapter)", serverStep(OptikernOptimizer.builder("adam")
          .setLearningRateTracker(Tracker.fixed(1e-3f)).build(), weights));
      steps.put("Optikern Adam (adapter, direct)", directStep(OptikernOptimizer.builder("adam")
          .setLearningRateTracker(Tracker.fixed(1e-3f)).build(), weights));
      steps.put("Optikern Adam (one updateAll)", updateAllStep(Optimizer.create("adam",
          Map.of("learning_rate", (double) 1e-3f)), weights));
      steps.put("Optikern Signum (adapter)", serverStep(OptikernOptimizer.builder("signum").build(), weights));
      steps.put("Optikern LAMB (adapter)", serverStep(OptikernOptimizer.builder("lamb").build(), weights));

      Map<String, long[]> times = new LinkedHashMap<>();
      steps.keySet().forEach(name -> times.put(name, new long[ROUNDS]));
      for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
        for (Map.Entry<String, Runnable> step : steps.entrySet()) {
          // every contender zeroes the gradients; a step over zeros costs what any other does, so the
          // gradients are set once per round (for the large list, that is once per step)
          setGradients(weights, slopes);
          long start = System.nanoTime();
          for (int s = 0; s < stepsPerRound; s++) {
            step.getValue().run();
          }
          long elapsed = (System.nanoTime() - start) / stepsPerRound;
          if (round >= 0) {
            times.get(step.getKey())[round] = elapsed;
          }
        }
      }
      report(engine, what, sizes, times);
    }
  }

  /** Trainer.step()'s path: the local parameter server, once per parameter, gradients duplicated. */
  private static Runnable serverStep(ai.djl.training.optimizer.Optimizer optimizer, List<NDArray> weights) {
    ParameterServer server = new LocalParameterServer(optimizer);
    return () -> {
      for (int p = 0; p < weights.size(); p++) {
        server.update("p" + p, new NDArray[] {weights.get(p)});
      }
    };
  }

  /**
   * The adapter called once per parameter with the weight's own gradient, without the server's
   * duplicate: the per-parameter calls alone, to set against one updateAll.
   */
  private static Runnable directStep(ai.djl.training.optimizer.Optimizer optimizer, List<NDArray> weights) {
    return () -> {
      for (int p = 0; p < weights.size(); p++) {
        try (NDArray gradient = weights.get(p).getGradient()) {
          optimizer.update("p" + p, weights.get(p), gradient);
        }
      }
    };
  }

  /** All tensors in one Optikern call over views of the weights and gradients, then the gradients zeroed. */
  private static Runnable updateAllStep(Optimizer optimizer, List<NDArray> weights) {
    List<OptimizerState> states = new ArrayList<>();
    return () -> {
      List<ParameterUpdate> updates = new ArrayList<>();
      List<NDArray> gradients = new ArrayList<>();
      for (int p = 0; p < weights.size(); p++) {
        NDArray weight = weights.get(p);
        NDArray gradient = weight.getGradient();
        gradients.add(gradient);
        Tensor w = Tensor.wrap(weight.toByteBuffer(true), DType.FLOAT32);
        Tensor g = Tensor.wrap(gradient.toByteBuffer(true), DType.FLOAT32);
        if (states.size() <= p) {
          states.add(optimizer.createState(p, w));
        }
        updates.add(new ParameterUpdate(p, w, g, states.get(p)));
      }
      optimizer.updateAll(updates);
      for (int p = 0; p < weights.size(); p++) {
        PyTorchViews.zeroGradientOf(weights.get(p));
        gradients.get(p).close();
      }
    };
  }

  /** Makes each weight's gradient its slope (every optimizer zeroes the gradients after its step). */
  private static void setGradients(List<NDArray> weights, List<NDArray> slopes) {
    for (int p = 0; p < weights.size(); p++) {
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        collector.backward(weights.get(p).mul(slopes.get(p)).sum());
      }
    }
  }

  private static NDArray smooth(NDManager manager, int size, int phase, float scale) {
    ByteBuffer buffer = manager.allocateDirect(4 * size);
    for (int i = 0; i < size; i++) {
      buffer.putFloat(scale * (float) Math.sin(0.001 * i + phase));
    }
    buffer.rewind();
    return manager.create(buffer.asFloatBuffer(), new Shape(size));
  }

  private static void report(Engine engine, String what, List<Integer> sizes, Map<String, long[]> times) {
    long elements = sizes.stream().mapToLong(Integer::longValue).sum();
    System.out.printf(Locale.ROOT, "%s: %d tensors, %,d floats; %s %s, %d cores, JDK %s; median of %d rounds%n",
        what, sizes.size(), elements, engine.getEngineName(), engine.getVersion(),
        Runtime.getRuntime().availableProcessors(), Runtime.version(), ROUNDS);
    double reference = median(times.values().iterator().next());
    for (Map.Entry<String, long[]> entry : times.entrySet()) {
      double median = median(entry.getValue());
      System.out.printf(Locale.ROOT, "  %-32s %10.3f ms  %5.2fx DJL's Adam%n", entry.getKey(), median / 1e6,
          median / reference);
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

}
