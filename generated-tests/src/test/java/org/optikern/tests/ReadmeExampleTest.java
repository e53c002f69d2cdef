package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/** The README's usage snippet, verbatim, over the README's spec (compiled here as MomentumSgdSpec). */
class ReadmeExampleTest {
  @Test
  void theReadmeSnippetRunsAsDocumented() {
    Optimizer opt = Optimizer.create("msgd", Map.of("learning_rate", 0.1, "clip_gradient", 5.0));
    Tensor weight = Tensor.of(new float[] {0.5f, -1f, 2f});
    Tensor grad = Tensor.of(new float[] {0.1f, 0.2f, -0.3f});
    OptimizerState state = opt.createState(0, weight);
    opt.update(0, weight, grad, state);          // weight is updated in place

    // mom = 0.9*0 - 0.1*0*w - 0.1*clip(g, 5) = -0.1*g; weight = weight + mom
    float lr = 0.1f;
    assertArrayEquals(new float[] {-(lr * 0.1f), -(lr * 0.2f), -(lr * -0.3f)}, state.get("mom").floatData());
    assertArrayEquals(new float[] {0.5f + -(lr * 0.1f), -1f + -(lr * 0.2f), 2f + -(lr * -0.3f)}, weight.floatData());
  }
}
