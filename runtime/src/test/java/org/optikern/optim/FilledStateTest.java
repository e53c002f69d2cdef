package org.optikern.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/** {@code @State(initial = "<hyperparameter>")}: every element starts as that hyperparameter's value. */
class FilledStateTest {
  @OptimizerSpec(name = "filled_trial")
  @Hyperparameter(name = "initial_value", defaultValue = 1e-6, valid = "initial_value > 0")
  @State(name = "v", initial = "initial_value")
  @State(name = "m")
  @State(name = "start", initial = "weight")
  @Update(formulas = {
      "m = 0.5*m + grad",
      "v = v + grad*grad",
      "weight = weight - lr*m/sqrt(v) + 0*start"})
  interface FilledSpec {}

  private static Tensor state(OptimizerState state, String name) {
    return state.arrays().get(state.names().indexOf(name));
  }

  private static void assertEveryElement(double expected, Tensor tensor) {
    for (int i = 0; i < tensor.size(); i++) {
      assertEquals(expected, tensor.get(i), "element " + i + " of " + tensor);
    }
  }

  @Test
  void theDescriptorNamesTheHyperparameterOfEachFilledState() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of());
    assertEquals(Map.of("v", "initial_value"), optimizer.descriptor().stateFills());
    assertEquals(List.of("start"), optimizer.descriptor().statesCopyingWeight());
  }

  @Test
  void eachDtypeGetsTheValueRoundedToIt() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of("initial_value", 0.1));
    Tensor w64 = Tensor.of(new double[] {1, 2, 3});
    OptimizerState s64 = optimizer.createState(0, w64);
    assertEveryElement(0.1, state(s64, "v"));
    assertEveryElement(0, state(s64, "m"));
    OptimizerState s32 = optimizer.createState(1, w64.astype(DType.FLOAT32));
    assertEveryElement((float) 0.1, state(s32, "v"));
    assertEquals(DType.FLOAT32, state(s32, "v").dtype());
    OptimizerState s16 = optimizer.createState(2, w64.astype(DType.FLOAT16));
    assertEveryElement(Half.toFloat(Half.fromDouble(0.1)), state(s16, "v"));
    assertEquals(DType.FLOAT16, state(s16, "v").dtype());
  }

  @Test
  void theDefaultFillsWhenTheValueIsNotGiven() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of());
    assertEveryElement((float) 1e-6, state(optimizer.createState(0, Tensor.of(new float[] {1, 2})), "v"));
  }

  @Test
  void anOffHeapWeightGetsAnOffHeapFilledState() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of("initial_value", 0.25));
    Tensor weight = Tensor.of(new float[] {1, -2, 3, 4, 5}).offHeap();
    Tensor v = state(optimizer.createState(0, weight), "v");
    assertTrue(v.isOffHeap());
    assertEveryElement(0.25, v);
  }

  @Test
  void aParameterGroupFillsWithItsOwnValue() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of("initial_value", 0.25));
    optimizer.addParameterGroup(List.of(1), Map.of("initial_value", 4.0));
    Tensor weight = Tensor.of(new float[] {1, 2});
    assertEveryElement(0.25, state(optimizer.createState(0, weight), "v"));
    assertEveryElement(4, state(optimizer.createState(1, weight), "v"));
  }

  @Test
  void aMultiPrecisionStateIsFilledInFloat32() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of("multi_precision", true));
    Tensor weight = Tensor.of(new float[] {1, 2, 3}).astype(DType.FLOAT16);
    OptimizerState state = optimizer.createStateMultiPrecision(0, weight);
    assertTrue(state.master().isPresent());
    Tensor v = state.inner().arrays().get(state.inner().names().indexOf("v"));
    assertEquals(DType.FLOAT32, v.dtype());
    assertEveryElement((float) 1e-6, v);
  }

  @Test
  void theUpdateStartsFromTheFilledValue() {
    Optimizer optimizer = InterpretedOptimizer.of(FilledSpec.class, Map.of("initial_value", 4.0, "learning_rate", 1.0));
    Tensor weight = Tensor.of(new float[] {1, 1});
    OptimizerState state = optimizer.createState(0, weight);
    optimizer.update(0, weight, Tensor.of(new float[] {0, 3}), state);
    // v = 4 + g*g: 4 and 13; m = g; weight = 1 - m/sqrt(v)
    assertEquals(4f, state(state, "v").floatData()[0]);
    assertEquals(13f, state(state, "v").floatData()[1]);
    assertEquals(1f, weight.floatData()[0]);
    assertEquals(1f - 3f / (float) Math.sqrt(13f), weight.floatData()[1]);
  }

  @Test
  void aDescriptorRejectsAFillThatIsNoHyperparameter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OptimizerDescriptor("trial",
        List.of(), 0.01, List.of("eps"), List.of(1e-6), List.of(""), List.of(), List.of(), Map.of("v", "epsilon"),
        false, false, List.of(), List.of(), List.of(), List.of(), List.of("_weight"), false, Map.of()));
    assertEquals("state 'v' is filled with 'epsilon', which is not a hyperparameter of trial", e.getMessage());
    assertFalse(new OptimizerDescriptor("hand", List.of(), 0.01, List.of(), List.of()).stateFills().containsKey("v"));
  }
}
