package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.tests.specs.ReductionOrderSpec;

/**
 * The reductions' order, on values where it decides the result: element j of the tensor joins
 * partial j mod 16, each in element order; the partials are added pairwise, 8, 4, 2 and 1 apart.
 * Worked out here by hand for 33 elements, {@code grad = [big, 1, 1, ..., 1]}: partial 0 holds
 * elements 0, 16 and 32, partials 1 to 15 two ones each. Generated kernels over arrays and over
 * buffers, and the interpreter, must give exactly these.
 */
class ReductionOrderTest {
  private static final int N = 33;

  /** The four states after one update from {@code weight = 0} and {@code grad = [big, 1, ..., 1]}. */
  private static double[] reduce(Optimizer optimizer, DType dtype, float big, boolean offHeap) {
    Tensor weight = offHeap ? Tensor.zerosOffHeap(dtype, N) : Tensor.zeros(dtype, N);
    Tensor grad = offHeap ? Tensor.zerosOffHeap(dtype, N) : Tensor.zeros(dtype, N);
    Tensor filled = Tensor.zeros(DType.FLOAT64, N);
    double[] values = filled.doubleData();
    java.util.Arrays.fill(values, 1);
    values[0] = big;
    filled.castInto(grad);
    OptimizerState state = optimizer.createState(0, weight);
    optimizer.update(0, weight, grad, state);
    double[] result = new double[4];
    for (int k = 0; k < 4; k++) {
      Tensor s = state.arrays().get(k);
      for (int i = 1; i < N; i++) {
        assertEquals(s.get(0), s.get(i), "every element holds the reduction");
      }
      result[k] = s.get(0);
    }
    return result;
  }

  private static List<Optimizer> optimizers() {
    return List.of(Optimizer.create("reduction_order", Map.of()),
        InterpretedOptimizer.of(ReductionOrderSpec.class, Map.of()));
  }

  @Test
  void floatSumsKeepWhatOneRunningSumWouldLose() {
    float big = 16_777_216f; // 2^24: from here float loses a 1 added to it
    for (Optimizer optimizer : optimizers()) {
      for (boolean offHeap : new boolean[] {false, true}) {
        double[] r = reduce(optimizer, DType.FLOAT32, big, offHeap);
        String where = optimizer + (offHeap ? " off heap" : " on the heap");
        // partial 0: 2^24 + 1 + 1 = 2^24 (each 1 lost); the others 2; then + 2, + 4, + 8, + 16 into partial 0
        assertEquals(big + 30, r[0], where + ": sum"); // one running sum: 2^24
        // the same for 2*grad at 2^25, where float's spacing is 4: 2^25 + 2 + 2 = 2^25; then + 4, 8, 16, 32
        assertEquals(2 * big + 60, r[1], where + ": sumabs(2*grad)");
        assertEquals(2 * big, r[2], where + ": maxabs(2*grad - weight)");
        // 2^48 swallows every 1 and every partial: float's spacing there is 2^25
        assertEquals(big * big, r[3], where + ": sumsq");
      }
    }
  }

  @Test
  void doubleSumsAreExactHere() {
    for (Optimizer optimizer : optimizers()) {
      for (boolean offHeap : new boolean[] {false, true}) {
        double[] r = reduce(optimizer, DType.FLOAT64, 16_777_216f, offHeap);
        assertEquals(16_777_216d + 32, r[0]);
        assertEquals(33_554_432d + 64, r[1]);
        assertEquals(33_554_432d, r[2]);
        assertEquals(16_777_216d * 16_777_216d + 32, r[3]);
      }
    }
  }

  @Test
  void halfStorageSumsInFloatAndRoundsWhenStored() {
    for (Optimizer optimizer : optimizers()) {
      for (boolean offHeap : new boolean[] {false, true}) {
        double[] r = reduce(optimizer, DType.FLOAT16, 1024f, offHeap);
        assertEquals(1056, r[0]); // exact in float, and in half (spacing 1 below 2048)
        assertEquals(2112, r[1]); // spacing 2 from 2048
        assertEquals(2048, r[2]);
        assertEquals(Double.POSITIVE_INFINITY, r[3]); // 1048608 is over half's largest, 65504
      }
    }
  }
}
