package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.ParameterUpdate;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.verify.SingleCallReference;

/**
 * Adafactor's states per row and per column through the optimizer's API: their shapes, the variant
 * each weight runs, checkpoints, bad states refused before anything is written, and large matrices
 * of odd sizes against the single-call reference (the interpreter over the whole tensor).
 */
class AdafactorFactoredStatesTest {
  private static Tensor random(int seed, int... shape) {
    Random random = new Random(seed);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Tensor.of(values, shape);
  }

  @Test
  void aMatrixKeepsARowAndAColumnStatisticAndAVectorTheFullSecondMoment() {
    Optimizer adafactor = Optimizer.create("adafactor", Map.of("beta1", 0.9));
    OptimizerState matrix = adafactor.createState(0, random(1, 4, 6));
    assertEquals(List.of("v_row", "v_col", "m"), matrix.names());
    assertArrayEquals(new int[] {4}, matrix.get("v_row").shape());
    assertArrayEquals(new int[] {6}, matrix.get("v_col").shape());
    assertArrayEquals(new int[] {4, 6}, matrix.get("m").shape());
    // a weight of three dimensions: its 2-D view has 2*3 rows of 5 columns; rows keep the leading shape
    OptimizerState cube = adafactor.createState(1, random(2, 2, 3, 5));
    assertArrayEquals(new int[] {2, 3}, cube.get("v_row").shape());
    assertArrayEquals(new int[] {5}, cube.get("v_col").shape());
    OptimizerState vector = adafactor.createState(2, random(3, 7));
    assertEquals(List.of("v", "m"), vector.names());
    OptimizerState offHeap = adafactor.createState(3, random(4, 4, 6).offHeap());
    assertEquals(true, offHeap.get("v_row").isOffHeap());
  }

  @Test
  void aStateOfAnotherShapeIsRefusedBeforeAnythingIsWritten() {
    Optimizer adafactor = Optimizer.create("adafactor");
    Tensor weight = random(5, 4, 6);
    OptimizerState wrong = adafactor.createState(0, random(6, 6, 4)); // rows and columns swapped
    float[] before = weight.floatData().clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adafactor.update(0, weight, random(7, 4, 6), wrong));
    assertEquals("state 'v_row' has shape [6] but holds one value per row of a weight of shape [4, 6]: [4]",
        e.getMessage());
    assertArrayEquals(before, weight.floatData());
    OptimizerState ofAVector = adafactor.createState(0, random(8, 24));
    e = assertThrows(IllegalArgumentException.class, () -> adafactor.update(0, weight, random(7, 4, 6), ofAVector));
    assertEquals("state [v] of optimizer 'adafactor' does not fit adafactor with these hyperparameters, which needs "
        + "[v_row, v_col]", e.getMessage());
    assertArrayEquals(before, weight.floatData());
  }

  @Test
  void aCheckpointKeepsTheStatesPerRowAndColumnAndTrainingGoesOnIdentically() throws IOException {
    Updater straight = new Updater(Optimizer.create("adafactor", Map.of("beta1", 0.9)));
    Updater resumed = new Updater(Optimizer.create("adafactor", Map.of("beta1", 0.9)));
    List<Tensor> straightWeights = List.of(random(9, 5, 7), random(10, 11));
    List<Tensor> resumedWeights = List.of(random(9, 5, 7), random(10, 11));
    for (int step = 0; step < 3; step++) {
      List<Tensor> grads = List.of(random(100 + step, 5, 7), random(200 + step, 11));
      straight.update(List.of(0, 1), straightWeights, grads);
      resumed.update(List.of(0, 1), resumedWeights, List.of(grads.get(0).copy(), grads.get(1).copy()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    resumed.save(bytes);
    Updater loaded = new Updater(Optimizer.create("adafactor", Map.of("beta1", 0.9)));
    loaded.load(new ByteArrayInputStream(bytes.toByteArray()));
    assertArrayEquals(new int[] {5}, loaded.state(0).orElseThrow().get("v_row").shape());
    assertEquals(List.of("v", "m"), loaded.state(1).orElseThrow().names());
    for (int step = 3; step < 6; step++) {
      List<Tensor> grads = List.of(random(100 + step, 5, 7), random(200 + step, 11));
      straight.update(List.of(0, 1), straightWeights, grads);
      loaded.update(List.of(0, 1), resumedWeights, List.of(grads.get(0).copy(), grads.get(1).copy()));
    }
    for (int p = 0; p < 2; p++) {
      assertArrayEquals(straightWeights.get(p).floatData(), resumedWeights.get(p).floatData());
    }
  }

  /**
   * Matrices of millions of elements with odd sides, a prime number of columns, a whole number of
   * vectors of columns, and a single row or column, weights of three dimensions and a long vector,
   * updated together in one multi-tensor call on 1 to 3 cores: each the interpreter's bits over its
   * whole tensor in one call.
   */
  @Test
  void largeOddMatricesOnSeveralCoresMatchTheSingleCallReference() {
    // 1024 and 48 columns: rows of whole vectors, which the SIMD twins run in lanes; the others run scalar kernels
    int[][] shapes = {{1021, 1031}, {1023, 1024}, {1, 4099}, {4099, 1}, {3, 5, 127}, {3, 7, 48}, {1_000_003}};
    Map<String, Object> params = Map.of("beta1", 0.5, "wd", 0.01);
    for (int cores = 1; cores <= 3; cores++) {
      Optimizer adafactor = Optimizer.create("adafactor", params);
      adafactor.setParallelism(cores);
      SingleCallReference reference = new SingleCallReference(AdafactorSpec.class, params);
      List<Tensor> weights = new ArrayList<>();
      List<Tensor> referenceWeights = new ArrayList<>();
      List<OptimizerState> states = new ArrayList<>();
      for (int p = 0; p < shapes.length; p++) {
        weights.add(random(p, shapes[p]));
        referenceWeights.add(weights.get(p).copy());
        states.add(adafactor.createState(p, weights.get(p)));
      }
      for (int step = 0; step < 2; step++) {
        List<ParameterUpdate> updates = new ArrayList<>();
        for (int p = 0; p < shapes.length; p++) {
          Tensor grad = random(1000 * (step + 1) + p, shapes[p]);
          updates.add(new ParameterUpdate(p, weights.get(p), grad.copy(), states.get(p)));
          reference.update(p, referenceWeights.get(p), grad);
        }
        adafactor.updateAll(updates);
        for (int p = 0; p < shapes.length; p++) {
          assertArrayEquals(referenceWeights.get(p).floatData(), weights.get(p).floatData(),
              "shape " + Arrays.toString(shapes[p]) + ", " + cores + " cores, update " + (step + 1));
        }
      }
    }
  }

  @Test
  void anOffHeapMatrixIsUpdatedWhereItIsWithTheHeapBits() {
    for (DType dtype : DType.values()) {
      // one optimizer each: each counts its own updates of each index
      Optimizer onHeap = Optimizer.create("adafactor", Map.of("beta1", 0.9));
      Optimizer outside = Optimizer.create("adafactor", Map.of("beta1", 0.9));
      // 41 columns run the scalar kernels; 48, whole vectors, the SIMD twins where they are
      for (int columns : new int[] {41, 48}) {
        Tensor heap = random(13, 37, columns).astype(dtype);
        Tensor offHeap = heap.offHeap();
        OptimizerState heapState = onHeap.createState(columns, heap);
        OptimizerState offHeapState = outside.createState(columns, offHeap);
        for (int step = 0; step < 3; step++) {
          Tensor grad = random(14 + step, 37, columns).astype(dtype);
          onHeap.update(columns, heap, grad, heapState);
          outside.update(columns, offHeap, grad.offHeap(), offHeapState);
        }
        RandomCases.assertSameBits(dtype + " weight, " + columns + " columns", heap, offHeap);
        for (String name : heapState.names()) {
          RandomCases.assertSameBits(dtype + " " + name + ", " + columns + " columns", heapState.get(name),
              offHeapState.get(name));
        }
      }
    }
  }

  @Test
  void float16WeightsRunTheFactoredVariantInFloat16OrWithAMasterCopy() {
    Tensor weight = random(11, 6, 8).astype(DType.FLOAT16);
    Optimizer plain = Optimizer.create("adafactor");
    OptimizerState state = plain.createState(0, weight);
    assertEquals(DType.FLOAT16, state.get("v_row").dtype());
    Optimizer multi = Optimizer.create("adafactor", Map.of("multi_precision", true));
    OptimizerState withMaster = multi.createStateMultiPrecision(0, weight);
    assertEquals(DType.FLOAT32, withMaster.get("v_col").dtype());
    assertArrayEquals(new int[] {8}, withMaster.get("v_col").shape());
    multi.updateMultiPrecision(0, weight, random(12, 6, 8).astype(DType.FLOAT16), withMaster);
  }
}
