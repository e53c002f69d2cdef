package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optikern.optimizers.SignumSpec;
import org.optikern.optim.Optimizer;

/**
 * Wrong optimizers, settings and arrays fail with a message naming the problem, and an update that
 * is refused leaves the weight's bits and Optikern's update count as they were. (GPU tensors are
 * refused by the same device check as {@code whyNotADirectView}; this machine has no GPU to test it.)
 */
class BadInputIsRejectedBeforeWritingTest {

  @Test
  void unknownOptimizerNameListsTheRegisteredNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptikernOptimizer.builder("signumm").build());
    assertTrue(e.getMessage().contains("signumm"), e.getMessage());
    for (String name : Optimizer.registeredNames()) {
      assertTrue(e.getMessage().contains(name), () -> "the message should list " + name + ": " + e.getMessage());
    }
  }

  @Test
  void weightDecaySetDifferentlyInTheBuilderAndTheParametersIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptikernOptimizer.builder("adam").optWeightDecays(0.01f).optParameter("wd", 0.02).build());
    assertTrue(e.getMessage().contains("wd = 0.02") && e.getMessage().contains("0.0099999"), e.getMessage());
  }

  @Test
  void clippingTurnedOffInTheBuilderButSetInTheParametersIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptikernOptimizer.builder("sgd").optClipGrad(-1f).optParameter("clip_gradient", 2.0).build());
    assertTrue(e.getMessage().contains("clip_gradient"), e.getMessage());
  }

  @Test
  void aSettingGivenAlikeInBothPlacesIsAcceptedWithTheParametersValue() {
    OptikernOptimizer adam = OptikernOptimizer.builder("adam").optWeightDecays(0.01f).optParameter("wd", 0.01)
        .setRescaleGrad(0.25f).optBeginNumUpdate(3).build();
    assertEquals(0.01, adam.optikernOptimizer().wd());
    assertEquals(0.25, adam.optikernOptimizer().rescaleGrad());
    assertEquals(3, adam.optikernOptimizer().beginNumUpdate());
  }

  @Test
  void aTrackerAndAnOptikernLearningRateTogetherAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptikernOptimizer.builder("lamb").setLearningRateTracker(Tracker.fixed(0.1f))
            .optParameter("learning_rate", 0.1).build());
    assertTrue(e.getMessage().contains("learning_rate") && e.getMessage().contains("tracker"), e.getMessage());
  }

  @Test
  void anUnknownOptikernParameterIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptikernOptimizer.builder("signum").optParameter("momentun", 0.9).build());
    assertTrue(e.getMessage().contains("momentun"), e.getMessage());
  }

  @Test
  void aSpecClassSelectsItsGeneratedOptimizer() {
    OptikernOptimizer signum = OptikernOptimizer.builder(SignumSpec.class).optParameter("momentum", 0.5).build();
    assertEquals("org.optikern.optimizers.Signum", signum.optikernOptimizer().getClass().getName());
    assertThrows(IllegalArgumentException.class, () -> OptikernOptimizer.builder(Runnable.class).build());
  }

  @Test
  void aNonContiguousPyTorchWeightIsRefusedUntouched() {
    Engine engine = TestEngines.require("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      NDArray base = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray transposed = base.transpose();
      NDArray grad = manager.ones(new Shape(3, 2));
      OptikernOptimizer signum = OptikernOptimizer.builder("signum").build();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> signum.update("w", transposed, grad));
      assertTrue(e.getMessage().contains("not contiguous") && e.getMessage().contains("w"), e.getMessage());
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, base.toFloatArray());
      assertEquals(0, signum.optikernOptimizer().numUpdate(), "nothing may be counted");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void anIntegerWeightIsRefusedUntouched(String engineName) {
    Engine engine = TestEngines.require(engineName);
    try (NDManager manager = engine.newBaseManager()) {
      NDArray weight = manager.create(new int[] {1, 2, 3});
      NDArray grad = manager.create(new int[] {1, 1, 1});
      OptikernOptimizer adam = OptikernOptimizer.builder("adam").build();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.update("b", weight, grad));
      assertTrue(e.getMessage().contains("is int32") && e.getMessage().contains("float32, float64 and float16"),
          e.getMessage());
      assertArrayEquals(new int[] {1, 2, 3}, weight.toIntArray());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void aGradientOfAnotherShapeIsRefusedUntouched(String engineName) {
    Engine engine = TestEngines.require(engineName);
    try (NDManager manager = engine.newBaseManager()) {
      NDArray weight = manager.create(new float[] {1, 2, 3, 4});
      NDArray grad = manager.ones(new Shape(2, 2));
      OptikernOptimizer lion = OptikernOptimizer.builder("lion").build();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lion.update("v", weight, grad));
      assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("(4)"), e.getMessage());
      assertArrayEquals(new float[] {1, 2, 3, 4}, weight.toFloatArray());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void float64WeightsUpdateLikeTheHeapKernels(String engineName) {
    Engine engine = TestEngines.require(engineName);
    try (NDManager manager = engine.newBaseManager()) {
      double[] start = {0.5, -1.25, 3.0, 1e-3};
      double[] gradient = {0.1, -0.2, 0.3, 0.0};
      NDArray weight = manager.create(start.clone());
      NDArray grad = manager.create(gradient.clone());
      assertEquals(DataType.FLOAT64, weight.getDataType());
      OptikernOptimizer adam = OptikernOptimizer.builder("adam").optParameter("learning_rate", 0.1).build();
      Optimizer reference = Optimizer.create("adam", Map.of("learning_rate", 0.1));
      org.optikern.tensor.Tensor expected = org.optikern.tensor.Tensor.of(start.clone());
      var state = reference.createState(0, expected);
      for (int step = 0; step < 2; step++) {
        adam.update("w", weight, grad);
        reference.update(0, expected, org.optikern.tensor.Tensor.of(gradient.clone()), state);
      }
      assertArrayEquals(expected.doubleData(), weight.toDoubleArray());
    }
  }
}
