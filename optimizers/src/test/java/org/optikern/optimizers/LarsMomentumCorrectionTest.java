package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * LARS's momentum correction, worked by hand on an exempt parameter (a bias: plain learning rate):
 * after the learning rate doubles, the momentum is scaled by 2 for that update.
 */
class LarsMomentumCorrectionTest {
  private static float[] twoUpdates(Optimizer lars) {
    Tensor weight = Tensor.of(new float[] {1f, -2f});
    OptimizerState state = lars.createState(0, weight);
    lars.update(0, weight, Tensor.of(new float[] {0.5f, 0.25f}), state);
    lars.setLearningRate(0.2);
    lars.update(0, weight, Tensor.of(new float[] {0.5f, 0.25f}), state);
    return weight.floatData();
  }

  @Test
  void theMomentumFollowsTheLearningRate() {
    Map<String, Object> params = Map.of("learning_rate", 0.1, "momentum", 0.5, "param_idx2name", Map.of(0, "fc_bias"));
    float[] g = {0.5f, 0.25f};
    float[] w = {1f, -2f};
    float[] expected = new float[2];
    for (int i = 0; i < 2; i++) {
      float lr1 = 0.1f;
      float mom1 = ((0.5f * 0f) - (lr1 * 0f) * w[i]) - (lr1 * 1f) * g[i];
      float w1 = w[i] + mom1;
      float lr2 = 0.2f;
      float corrected = (float) (0.5 * (0.2 / 0.1)); // in double, as MXNet's Python
      float mom2 = ((corrected * mom1) - (lr2 * 0f) * w1) - (lr2 * 1f) * g[i];
      expected[i] = w1 + mom2;
    }
    float[] generated = twoUpdates(Optimizer.create("lars", params));
    float[] interpreted = twoUpdates(InterpretedOptimizer.create("lars", params));
    for (int i = 0; i < 2; i++) {
      // bits, not a zero tolerance: assertEquals(float, float, 0f) takes -0 for +0
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(generated[i]), "generated, element " + i);
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(interpreted[i]), "interpreted, element " + i);
    }
    // without the correction the second step uses momentum 0.5 and differs
    Map<String, Object> uncorrected = Map.of("learning_rate", 0.1, "momentum", 0.5, "momentum_correction", false,
        "param_idx2name", Map.of(0, "fc_bias"));
    float[] plain = twoUpdates(Optimizer.create("lars", uncorrected));
    assertEquals(false, plain[0] == generated[0], "the correction changes the step");
  }
}
