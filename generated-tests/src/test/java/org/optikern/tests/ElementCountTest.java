package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.ParameterUpdate;
import org.optikern.tensor.Tensor;
import org.optikern.tests.specs.ElementCountSpec;
import org.optikern.tests.specs.PerElementScaleSpec;

/**
 * {@code size} is the whole parameter's element count: in a chunked update, in each tensor of a
 * multi-tensor call, in a {@code @Scalar} and next to a reduction. Expected values are worked out
 * here in float arithmetic, then the interpreter must agree bit for bit.
 */
class ElementCountTest {
  private static final float LR = 0.5f;

  private static Tensor filled(int n, float value) {
    float[] data = new float[n];
    java.util.Arrays.fill(data, value);
    return Tensor.of(data);
  }

  /** {@code weight - lr*grad/size} in float, as the kernel groups it: {@code (lr*grad)/size}. */
  private static float scaledStep(float weight, float grad, int size) {
    return weight - LR * grad / (float) size;
  }

  @Test
  void aChunkedUpdateSeesTheWholeTensorsSize() {
    int n = 3_000_003; // above the parallel threshold: updated in chunks
    for (Optimizer optimizer : List.of(Optimizer.create("per_element_scale", Map.of("learning_rate", (double) LR)),
        InterpretedOptimizer.of(PerElementScaleSpec.class, Map.of("learning_rate", (double) LR)))) {
      optimizer.setParallelism(2);
      Tensor weight = filled(n, 1f);
      Tensor grad = filled(n, 3f);
      optimizer.update(0, weight, grad, optimizer.createState(0, weight));
      float expected = scaledStep(1f, 3f, n);
      float[] w = weight.floatData();
      for (int i = 0; i < n; i++) {
        if (Float.floatToRawIntBits(w[i]) != Float.floatToRawIntBits(expected)) {
          throw new AssertionError(optimizer + ": element " + i + " is " + w[i] + ", expected " + expected);
        }
      }
    }
  }

  @Test
  void eachTensorOfAMultiTensorCallSeesItsOwnSize() {
    Optimizer optimizer = Optimizer.create("per_element_scale", Map.of("learning_rate", (double) LR));
    optimizer.setParallelism(3);
    int[] sizes = {5, 2_000_001, 64};
    List<ParameterUpdate> parameters = new java.util.ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      Tensor weight = filled(sizes[p], 1f);
      parameters.add(new ParameterUpdate(p, weight, filled(sizes[p], 3f), optimizer.createState(p, weight)));
    }
    optimizer.updateAll(parameters);
    for (int p = 0; p < sizes.length; p++) {
      float[] w = parameters.get(p).weight().floatData();
      assertEquals(scaledStep(1f, 3f, sizes[p]), w[0]);
      assertEquals(scaledStep(1f, 3f, sizes[p]), w[w.length - 1]);
    }
  }

  @Test
  void aScalarAndAReductionReadSize() {
    int n = 1000;
    float[] generated = null;
    for (Optimizer optimizer : List.of(Optimizer.create("element_count", Map.of("learning_rate", (double) LR)),
        InterpretedOptimizer.of(ElementCountSpec.class, Map.of("learning_rate", (double) LR)))) {
      Tensor weight = filled(n, 1f);
      OptimizerState state = optimizer.createState(0, weight);
      optimizer.update(0, weight, filled(n, 2f), state);
      // rms = sqrt(sumsq(grad)/size): 4000/1000 = 4, exactly
      assertEquals(2f, state.arrays().get(0).floatData()[n - 1]);
      // lr_per_size = lr/sqrt(size) in double, passed to the kernel as float
      assertEquals(1f - (float) (LR / Math.sqrt(n)) * 2f, weight.floatData()[0]);
      if (generated == null) {
        generated = weight.floatData().clone();
      } else {
        assertEquals(java.util.Arrays.toString(generated), java.util.Arrays.toString(weight.floatData()));
      }
    }
  }
}
