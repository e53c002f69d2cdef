package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/** A spec that was never compiled by the processor runs through the interpreter, on either engine. */
class SpecClassOptimizerTest {
  private static final float[] START = {0.5f, -1.25f, 3f, 0.001f};
  private static final float[] GRADIENT = {0.1f, -0.2f, 0.3f, 0f};

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void anUnregisteredSpecRunsThroughTheInterpreter(String engineName) {
    Engine engine = TestEngines.require(engineName);
    OptikernOptimizer adapter = OptikernOptimizer.builder(DampedMomentumSpec.class).optWeightDecays(0.01f).build();
    assertEquals(InterpretedOptimizer.class, adapter.optikernOptimizer().getClass());
    InterpretedOptimizer reference = InterpretedOptimizer.of(DampedMomentumSpec.class, Map.of("wd", (double) 0.01f));
    Tensor expected = Tensor.of(START.clone());
    OptimizerState state = reference.createState(0, expected);
    try (NDManager manager = engine.newBaseManager()) {
      NDArray weight = manager.create(START.clone());
      for (int step = 0; step < 3; step++) {
        try (NDArray grad = manager.create(GRADIENT.clone())) {
          adapter.update("w", weight, grad);
        }
        reference.update(0, expected, Tensor.of(GRADIENT.clone()), state);
      }
      assertArrayEquals(expected.floatData(), weight.toFloatArray());
    }
  }
}
