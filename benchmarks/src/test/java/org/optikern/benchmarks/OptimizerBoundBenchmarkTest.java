package org.optikern.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.tensor.Tensor;

/**
 * The benchmark per optimizer covers every registered optimizer, found as the registry finds them
 * (this module's tests add one, {@link HandWrittenAdamFactory}, with no spec); the loops it
 * measures against move the traffic of their kernel plan: each array a pass reads is read, each it
 * writes is written, and nothing else changes; an optimizer whose plan has no same-traffic loop
 * still gets its row, which says why; and the 4096 x 4096 shape computes what the flat one does.
 */
class OptimizerBoundBenchmarkTest {
  private static final int N = 37;

  /** A small matrix: what the benchmark's 4096 x 4096 is to an optimizer whose states follow the shape. */
  private static final String MATRIX = "64x32";

  @Test
  void theBenchmarkRunsEveryRegisteredOptimizerByItsOwnName() {
    java.util.Set<String> own = new java.util.TreeSet<>();
    for (String name : Optimizer.registeredNames()) {
      own.add(OptimizerTraffic.factory(name).orElseThrow().name().toLowerCase(java.util.Locale.ROOT));
    }
    assertEquals(List.copyOf(own), OptimizerBoundBenchmark.optimizers());
    assertTrue(OptimizerBoundBenchmark.optimizers().containsAll(List.of("adam", "lamb", "sgld", "signum",
        HandWrittenAdamFactory.NAME)), OptimizerBoundBenchmark.optimizers().toString());
    assertTrue(OptimizerBoundBenchmark.optimizers().size() >= 23, "22 built-ins and the test's hand-written one");
  }

  /**
   * Every registered optimizer whose states, for a matrix weight, are float32 arrays of the
   * weight's size maps to same-traffic loops; the others (the hand-written one here; a factored
   * second moment, one value per row and column, would be another) have a reason instead.
   */
  @Test
  void everyOptimizerWithStatesOfTheWeightsSizeHasSameTrafficLoopsAndTheOthersAReason() {
    int mapped = 0;
    for (String name : OptimizerBoundBenchmark.optimizers()) {
      OptimizerTraffic.Lookup lookup = OptimizerTraffic.lookup(name).orElseThrow();
      Optimizer optimizer = Optimizer.create(name, lookup.params());
      Tensor weight = Tensor.of(new float[OptimizerBoundBenchmark.size(MATRIX)], OptimizerBoundBenchmark.dims(MATRIX));
      var state = optimizer.createState(0, weight);
      // the states the passes over the elements stream (not Adafactor's per row and column) are the weight's size
      java.util.Set<String> streamed = new java.util.HashSet<>();
      lookup.traffic().ifPresent(t -> t.passes().forEach(p -> {
        streamed.addAll(p.read());
        streamed.addAll(p.written());
      }));
      boolean elementwise = true;
      for (int k = 0; k < state.names().size(); k++) {
        Tensor t = state.arrays().get(k);
        boolean sized = t.dtype() == weight.dtype() && t.size() == weight.size();
        elementwise &= sized || lookup.traffic().isPresent() && !streamed.contains(state.names().get(k));
      }
      String problem = OptimizerBoundBenchmark.sameTrafficProblem(name, MATRIX);
      if (elementwise && lookup.traffic().isPresent()) {
        assertEquals("", problem, name);
        mapped++;
      } else {
        assertFalse(problem.isEmpty(), name);
      }
    }
    assertTrue(mapped >= 23, "the 23 built-ins map: " + mapped);
    assertTrue(OptimizerBoundBenchmark.sameTrafficProblem(HandWrittenAdamFactory.NAME, MATRIX)
        .startsWith("hand-written (no spec)"));
  }

  @Test
  void statesOfAnotherSizeHaveNoSameTrafficLoop() {
    OptimizerTraffic adam = OptimizerTraffic.of("adam").orElseThrow();
    Tensor weight = Tensor.of(new float[64 * 32], 64, 32);
    Optimizer optimizer = Optimizer.create("adam");
    assertEquals("", OptimizerBoundBenchmark.sameTrafficProblem(adam, weight, optimizer.createState(0, weight)));
    String problem = OptimizerBoundBenchmark.sameTrafficProblem(adam, weight,
        optimizer.createState(0, Tensor.of(new float[64], 64)));
    assertTrue(problem.contains("not mean (float32, shape [64]), variance (float32, shape [64])"), problem);
    assertTrue(OptimizerBoundBenchmark.sameTrafficProblem(OptimizerTraffic.of("sgd").orElseThrow(), weight,
        optimizer.createState(0, weight)).contains("keeps the states [mean, variance]"));
  }

  @Test
  void everyRegisteredOptimizerHasARowThatSaysWhatWasMeasured() {
    String ok = OptimizerBoundReport.row("adam", Optional.of(new OptimizerBoundReport.Measured(1.5, 1.0)), "",
        Optional.empty());
    assertTrue(ok.startsWith("| adam | defaults: unclipped | loop 4r/3w | 1.500 | 1.000 | 1.50x | <= 1.2x | no |"), ok);
    String noLoop = OptimizerBoundReport.row(HandWrittenAdamFactory.NAME,
        Optional.of(new OptimizerBoundReport.Measured(1.5, 0.0)), "hand-written (no spec)", Optional.empty());
    assertTrue(noLoop.contains("| 1.500 | - | - | - | no same-traffic loop, the update alone measured: hand-written"),
        noLoop);
    String failed = OptimizerBoundReport.row("lamb", Optional.empty(), "", Optional.empty());
    assertTrue(failed.contains("not measured: no result, its benchmark failed"), failed);
  }

  @Test
  void aHandWrittenOptimizerIsMeasuredOnItsOwn() {
    OptimizerBoundBenchmark.OwnBound pair = new OptimizerBoundBenchmark.OwnBound();
    pair.optimizer = HandWrittenAdamFactory.NAME;
    pair.cores = "1";
    pair.shape = MATRIX;
    pair.setUp();
    pair.subject.run();
    pair.reference.run();
    pair.checkValues();
    pair.stopPool();
  }

  @Test
  void theMatrixShapeComputesTheBitsOfTheFlatOne() {
    java.util.Random random = new java.util.Random(7);
    int size = OptimizerBoundBenchmark.size(MATRIX);
    int compared = 0;
    for (String name : OptimizerBoundBenchmark.optimizers()) {
      OptimizerTraffic.Lookup lookup = OptimizerTraffic.lookup(name).orElseThrow();
      float[] w = new float[size];
      float[] g = new float[size];
      for (int i = 0; i < size; i++) {
        w[i] = (float) random.nextGaussian();
        g[i] = (float) random.nextGaussian();
      }
      Tensor flatWeight = Tensor.of(w.clone());
      Tensor matrixWeight = Tensor.of(w.clone(), OptimizerBoundBenchmark.dims(MATRIX));
      Optimizer flat = Optimizer.create(name, lookup.params());
      Optimizer matrix = Optimizer.create(name, lookup.params());
      var flatState = flat.createState(0, flatWeight);
      var matrixState = matrix.createState(0, matrixWeight);
      if (!flatState.names().equals(matrixState.names())
          || !matrixState.arrays().stream().allMatch(t -> t.size() == size)) {
        continue; // an update that follows the shape: not elementwise, so not bound to the flat one's bits
      }
      for (int step = 0; step < 3; step++) {
        float sign = step % 2 == 0 ? 1 : -1;
        float[] grad = g.clone();
        for (int i = 0; i < size; i++) {
          grad[i] *= sign;
        }
        flat.update(0, flatWeight, Tensor.of(grad.clone()), flatState);
        matrix.update(0, matrixWeight, Tensor.of(grad.clone(), OptimizerBoundBenchmark.dims(MATRIX)), matrixState);
      }
      assertArrayEquals(bits(flatWeight.floatData()), bits(matrixWeight.floatData()), name + "'s weight");
      for (int k = 0; k < flatState.names().size(); k++) {
        if (flatState.arrays().get(k).dtype() == org.optikern.tensor.DType.FLOAT32) {
          assertArrayEquals(bits(flatState.arrays().get(k).floatData()), bits(matrixState.arrays().get(k).floatData()),
              name + "'s " + flatState.names().get(k));
        }
      }
      compared++;
    }
    assertTrue(compared >= 22, "compared " + compared);
  }

  private static int[] bits(float[] a) {
    int[] bits = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      bits[i] = Float.floatToRawIntBits(a[i]);
    }
    return bits;
  }

  @Test
  void shapesParse() {
    assertArrayEquals(new int[] {4096, 4096}, OptimizerBoundBenchmark.dims(OptimizerBoundBenchmark.SHAPE));
    assertEquals(OptimizerBoundBenchmark.SIZE, OptimizerBoundBenchmark.size(OptimizerBoundBenchmark.SHAPE));
    assertArrayEquals(new int[] {16_777_216}, OptimizerBoundBenchmark.dims("16777216"));
    assertThrows(IllegalArgumentException.class, () -> OptimizerBoundBenchmark.dims("65536x65536"));
    assertThrows(IllegalArgumentException.class, () -> OptimizerBoundBenchmark.dims("0x4"));
  }

  @Test
  void everyMappedOptimizerRunsTheVariantWithTheMostArraysAndItsPlanHasLoops() {
    for (String name : OptimizerTraffic.registeredOptimizers()) {
      Optional<OptimizerTraffic> found = OptimizerTraffic.lookup(name).orElseThrow().traffic();
      if (found.isEmpty()) {
        continue; // its reason: everyOptimizerWithStatesOfTheWeightsSizeHasSameTrafficLoopsAndTheOthersAReason
      }
      OptimizerTraffic traffic = found.get();
      assertEquals("", traffic.note(), name);
      Optimizer optimizer = Optimizer.create(name, traffic.params());
      // a matrix, as the benchmark's: Adafactor's factored variant
      assertEquals(traffic.states(), optimizer.createState(0, Tensor.of(new float[N], 1, N)).names(), name);
      for (OptimizerTraffic.Pass pass : traffic.passes()) {
        checkPass(name, pass);
      }
    }
  }

  /**
   * A NaN in each read-only array reaches every written array (so the loop reads it and writes
   * them); ones elsewhere stay ones in read arrays, and write-only arrays get the loop's zeros.
   */
  private static void checkPass(String optimizer, OptimizerTraffic.Pass pass) {
    List<String> readOnly = pass.readOnly();
    for (String poisoned : readOnly) {
      Map<String, float[]> arrays = arrays(pass);
      Arrays.fill(arrays.get(poisoned), Float.NaN);
      SameTrafficLoops.sink = 0f;
      run(pass, arrays);
      for (String written : pass.written()) {
        assertTrue(Float.isNaN(arrays.get(written)[N - 1]), optimizer + " " + pass + ": " + written);
      }
      if (pass.written().isEmpty()) {
        assertTrue(Float.isNaN(SameTrafficLoops.sink), optimizer + " " + pass + ": the sum must read " + poisoned);
      }
    }
    Map<String, float[]> arrays = arrays(pass);
    run(pass, arrays);
    for (String name : pass.readWritten()) {
      assertTrue(allEqual(arrays.get(name), 1f), optimizer + " " + pass + ": " + name + " must keep its values");
    }
    for (String name : pass.writeOnly()) {
      assertTrue(allEqual(arrays.get(name), 0f), optimizer + " " + pass + ": " + name + " must be written");
    }
  }

  private static Map<String, float[]> arrays(OptimizerTraffic.Pass pass) {
    Map<String, float[]> arrays = new LinkedHashMap<>();
    for (String name : pass.read()) {
      float[] a = new float[N];
      Arrays.fill(a, 1f);
      arrays.put(name, a);
    }
    for (String name : pass.writeOnly()) {
      float[] a = new float[N];
      Arrays.fill(a, 5f);
      arrays.put(name, a);
    }
    return arrays;
  }

  private static void run(OptimizerTraffic.Pass pass, Map<String, float[]> arrays) {
    OptimizerTraffic one = new OptimizerTraffic("test", Map.of(), new org.optikern.model.SwitchSet(Map.of()),
        List.of(), List.of(pass), "");
    one.loops(arrays).forEach(loop -> loop.run(0, N));
  }

  private static boolean allEqual(float[] a, float value) {
    for (float v : a) {
      if (Float.compare(v, value) != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void passesFollowTheKernelPlans() {
    OptimizerTraffic adam = OptimizerTraffic.of("adam").orElseThrow();
    assertEquals(List.of(new OptimizerTraffic.Pass("loop", List.of("weight", "grad", "mean", "variance"),
        List.of("mean", "variance", "weight"))), adam.passes());
    assertEquals("defaults: unclipped", adam.variant());

    OptimizerTraffic lamb = OptimizerTraffic.of("lamb").orElseThrow();
    assertEquals("loop with sumsq(weight), sumsq(direction) 4r/3w, loop 2r/1w", lamb.passText());
    assertTrue(lamb.reduces());

    OptimizerTraffic lars = OptimizerTraffic.of("lars").orElseThrow();
    assertEquals("loop with sumsq(weight), sumsq(grad) 2r/0w, loop 3r/2w", lars.passText());

    OptimizerTraffic lbsgd = OptimizerTraffic.of("lbsgd").orElseThrow();
    assertEquals("batch_scale 2, momentum 0.9, warmup_strategy 0: momentum, accumulate, lars, unclipped",
        lbsgd.variant());
    assertEquals(List.of("mom", "cum_grad"), lbsgd.states());

    OptimizerTraffic sgd = OptimizerTraffic.of("sgd").orElseThrow();
    assertEquals(Map.of("momentum", 0.9), sgd.params());
    assertEquals("momentum 0.9: momentum, unclipped", sgd.variant());
    assertEquals(List.of("mom"), sgd.states());

    OptimizerTraffic rmsprop = OptimizerTraffic.of("rmsprop").orElseThrow();
    assertEquals(List.of("n", "g", "delta"), rmsprop.states());
  }

  @Test
  void anUnregisteredNameIsEmptyNotAnError() {
    assertTrue(OptimizerTraffic.of("no-such-optimizer").isEmpty());
  }

  @Test
  void theDefaultNameIsForTheReportToExpand() {
    OptimizerBoundBenchmark.OwnBound pair = new OptimizerBoundBenchmark.OwnBound();
    pair.optimizer = OptimizerBoundBenchmark.EVERY;
    pair.cores = "1";
    IllegalStateException e = assertThrows(IllegalStateException.class, pair::setUp);
    assertTrue(e.getMessage().contains("-p optimizer=adabelief,adadelta,"), e.getMessage());
  }

  @Test
  void aNameNotRegisteredIsSkippedNotACrash() {
    OptimizerBoundBenchmark.OwnBound pair = new OptimizerBoundBenchmark.OwnBound();
    pair.optimizer = "no-such-optimizer";
    pair.cores = "1";
    pair.setUp();
    pair.subject.run();
    pair.reference.run();
    pair.checkValues();
  }

  @Test
  void readOnlyPassesReadEveryElementScalarAndVector() {
    for (int n : new int[] {0, 7, 37, 1000}) {
      float[] r = new float[n];
      float[] q = new float[n];
      Arrays.fill(r, 1f);
      Arrays.fill(q, 2f);
      assertEquals(n, SameTrafficLoops.read(r, 0, n), "scalar, " + n);
      assertEquals(3 * n, SameTrafficLoops.read(r, q, 0, n), "scalar, two arrays, " + n);
      if (SameTrafficLoops.VECTOR_READS) {
        assertEquals(n, VectorReads.read(r, 0, n), "vector, " + n);
        assertEquals(3 * n, VectorReads.read(r, q, 0, n), "vector, two arrays, " + n);
      }
      if (n > 0) {
        q[n - 1] = Float.NaN;
        assertTrue(Float.isNaN(SameTrafficLoops.read(q, 0, n)));
        assertTrue(Float.isNaN(SameTrafficLoops.read(r, q, 0, n)));
        if (SameTrafficLoops.VECTOR_READS) {
          assertTrue(Float.isNaN(VectorReads.read(q, 0, n)));
          assertTrue(Float.isNaN(VectorReads.read(r, q, 0, n)));
        }
      }
    }
  }

  @Test
  void theVectorModuleIsHereSoTheVectorReadsAreTested() {
    assertTrue(SameTrafficLoops.VECTOR_READS, "surefire's argLine adds jdk.incubator.vector in this module");
  }

  @Test
  void sharesCoverTheRange() {
    float[] r = new float[N];
    float[] a = new float[N];
    Arrays.fill(r, Float.NaN);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      OptimizerBoundBenchmark.inShares(List.of(SameTrafficLoops.of(List.of(r), List.of(a), List.of())), N, 3, pool);
    } finally {
      pool.shutdown();
    }
    for (float v : a) {
      assertTrue(Float.isNaN(v));
    }
  }
}
