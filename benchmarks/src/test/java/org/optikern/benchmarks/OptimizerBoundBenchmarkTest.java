package org.optikern.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.tensor.Tensor;

/**
 * The benchmark per optimizer covers every registered optimizer, and the loops it measures
 * against move the traffic of their kernel plan: each array a pass reads is read, each it writes
 * is written, and nothing else changes.
 */
class OptimizerBoundBenchmarkTest {
  private static final int N = 37;

  @Test
  void everyRegisteredOptimizerIsListed() {
    assertEquals(java.util.Set.of(), OptimizerBoundBenchmark.unlistedOptimizers(),
        "add these to OptimizerBoundBenchmark.OwnBound's @Param list");
  }

  @Test
  void everyRegisteredOptimizerRunsTheVariantWithTheMostArraysAndItsPlanHasLoops() {
    for (String name : OptimizerTraffic.registeredOptimizers()) {
      OptimizerTraffic traffic = OptimizerTraffic.of(name).orElseThrow();
      assertEquals("", traffic.note(), name);
      Optimizer optimizer = Optimizer.create(name, traffic.params());
      assertEquals(traffic.states(), optimizer.createState(0, Tensor.of(new float[N])).names(), name);
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
  void aListedNameNotRegisteredIsSkippedNotACrash() {
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
