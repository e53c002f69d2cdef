package org.optikern.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Whether an engine can run the tests' model forward and backward in float16 on the CPU, found by trying once. */
final class Float16Support {
  private static final Map<String, String> REASONS = new ConcurrentHashMap<>();
  private static final String SUPPORTED = "";

  private Float16Support() {}

  /** Null when it can, else the engine's error. */
  static String whyNot(Engine engine) {
    String reason = REASONS.computeIfAbsent(engine.getEngineName(), name -> probe(engine));
    return reason.equals(SUPPORTED) ? null : reason;
  }

  private static String probe(Engine engine) {
    Optimizer unused = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build();
    try (TinyNetwork network = new TinyNetwork(engine, DataType.FLOAT16, unused, 1)) {
      network.forwardBackward();
      network.gradientBytes();
      return SUPPORTED;
    } catch (RuntimeException e) {
      String message = e.toString();
      System.out.println("float16 is not available on " + engine.getEngineName() + ": " + message);
      return message;
    }
  }
}
