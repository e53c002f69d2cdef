package com.example;

import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Example;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

class UsageExampleTest {
  @Example
  void theGeneratedOptimizerIsRegisteredAndUpdatesInPlace() {
    Optimizer opt = Optimizer.create("msgd", Map.of("learning_rate", 0.1, "clip_gradient", 5.0));
    Tensor weight = Tensor.of(new float[] {0.5f, -1f, 2f});
    Tensor grad = Tensor.of(new float[] {0.1f, 0.2f, -0.3f});
    OptimizerState state = opt.createState(0, weight);
    opt.update(0, weight, grad, state);          // weight is updated in place

    float[] expected = {0.5f - 0.1f * 0.1f, -1f - 0.1f * 0.2f, 2f + 0.1f * 0.3f};
    if (!Arrays.equals(expected, weight.floatData())) {
      throw new AssertionError(Arrays.toString(weight.floatData()) + ", expected " + Arrays.toString(expected));
    }
  }
}
