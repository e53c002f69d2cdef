package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.optikern.optimizers.RandomCases.assertSameBits;
import static org.optikern.optimizers.RandomCases.randomParams;
import static org.optikern.optimizers.RandomCases.randomTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.verify.SingleCallReference;

/**
 * Every built-in optimizer, generated, through the {@link Updater} against the independent oracle
 * ({@link SingleCallReference}: MXNet's bookkeeping written again, the spec's interpreter over each
 * whole tensor in one call). The sizes are drawn on purpose around the boundaries where chunked
 * and blocked code goes wrong (multiples of 64 per chunk plus a remainder, the float16 SIMD block of
 * 2048, +-1), with a low parallel threshold and 1 to 16 chunks, float16 multi-precision included;
 * in this module's test JVM the SIMD twins run. Weights, every state array, master copies, scalar
 * states, counts and the gradient (which must be unchanged) are compared after every call. Half the
 * cases keep the generated side's weights and gradients off the heap, in direct buffers (the
 * reference runs on arrays).
 */
class BuiltInOptimizersMatchSingleCallReferenceProperties {
  /** Chunk counts; 0 keeps the optimizer's default, the JVM's processor count (-XX:ActiveProcessorCount in the pom). */
  private static final int[] PARALLELISM = {0, 0, 1, 2, 3, 4, 7, 16};

  @Provide
  Arbitrary<String> builtInNames() {
    return Arbitraries.of(RandomCases.builtInNames());
  }

  /** A size where chunking or blocking has an edge: an aligned chunk per core plus a remainder, a block multiple +-1. */
  static int boundarySize(Random random, int parallelism) {
    return switch (random.nextInt(5)) {
      case 0 -> parallelism * 64 * (1 + random.nextInt(8)) + random.nextInt(parallelism + 1);
      case 1 -> 2048 * (1 + random.nextInt(3)) + random.nextInt(3) - 1;
      case 2 -> 64 * (1 + random.nextInt(40)) + random.nextInt(3) - 1;
      case 3 -> 1 + random.nextInt(20);
      default -> 1 + random.nextInt(9000);
    };
  }

  @Property(tries = 300)
  void generatedUpdatesMatchTheSingleCallReference(@ForAll("builtInNames") String name, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Object> params = randomParams(name, random);
    Optimizer generated = Optimizer.create(name, params);
    int parallelism = PARALLELISM[random.nextInt(PARALLELISM.length)];
    if (parallelism == 0) {
      parallelism = generated.parallelism();
    }
    generated.setParallelism(parallelism);
    generated.setParallelThreshold(new int[] {1, 64, 1000}[random.nextInt(3)]);
    Updater updater = new Updater(generated);
    SingleCallReference reference =
        new SingleCallReference(InterpretedOptimizer.create(name, Map.of()).model(), params);
    // multipliers by index and by name, on both sides
    if (random.nextBoolean()) {
      Map<Object, Double> lrMult = Map.of(1, 0.5, "out_weight", 2.0);
      Map<Object, Double> wdMult = Map.of("fc_weight", 3.0, 2, 0.0);
      generated.setLrMult(lrMult);
      generated.setWdMult(wdMult);
      reference.setLrMult(lrMult);
      reference.setWdMult(wdMult);
    }
    DType dtype = DType.values()[random.nextInt(DType.values().length)];
    boolean offHeap = random.nextBoolean();
    int[] sizes = {boundarySize(random, parallelism), boundarySize(random, parallelism), 1 + random.nextInt(5)};
    List<Tensor> weightsG = new ArrayList<>();
    List<Tensor> weightsR = new ArrayList<>();
    for (int size : sizes) {
      Tensor w = RandomCases.randomShaped(dtype, size, random);
      weightsG.add(offHeap ? w.offHeap() : w);
      weightsR.add(w.copy());
    }
    String context = name + " " + params + " " + dtype.mxnetName() + ", sizes " + java.util.Arrays.toString(sizes)
        + ", " + parallelism + " chunks, threshold " + generated.parallelThreshold() + (offHeap ? ", off-heap" : "");
    for (int call = 1; call <= 6; call++) {
      int index = random.nextInt(sizes.length);
      Tensor grad = RandomCases.gradFor(weightsR.get(index), random);
      Tensor gradG = offHeap ? grad.offHeap() : grad.copy();
      Tensor gradR = grad.copy();
      updater.update(index, weightsG.get(index), gradG);
      reference.update(index, weightsR.get(index), gradR);
      String at = context + ", call " + call + ", index " + index;
      assertSameBits(at + ": grad after the update", grad, gradG);
      assertSameBits(at + ": weight", weightsR.get(index), weightsG.get(index));
      assertSameState(at, reference.state(index), updater.state(index).orElseThrow());
      assertEquals(reference.updateCount(index), generated.updateCount(index), at + ": update count");
      assertEquals(reference.numUpdate(), generated.numUpdate(), at + ": num_update");
    }
  }

  static void assertSameState(String at, SingleCallReference.ReferenceState expected, OptimizerState actual) {
    assertNotNull(expected, at + ": the reference has no state");
    assertEquals(expected.arrays().keySet(), new java.util.HashSet<>(actual.names()), at + ": state names");
    for (int s = 0; s < actual.names().size(); s++) {
      String name = actual.names().get(s);
      assertSameBits(at + ": state " + name, expected.arrays().get(name), actual.arrays().get(s));
    }
    assertEquals(expected.master() != null, actual.master().isPresent(), at + ": master copy present");
    if (expected.master() != null) {
      assertSameBits(at + ": master", expected.master(), actual.master().orElseThrow());
    }
    for (int s = 0; s < expected.scalarValues().length; s++) {
      assertEquals(Double.doubleToLongBits(expected.scalarValues()[s]), Double.doubleToLongBits(actual.scalar(actual.scalarNames().get(s))),
          at + ": scalar state " + actual.scalarNames().get(s));
    }
  }

  /** Millions of elements, on the core counts that once lost the tail: every element against the reference. */
  @Test
  void largeTensorsMatchTheReferenceOnEveryElement() {
    for (Object[] c : new Object[][] {{"sgd", 2_097_153, 2, false}, {"adam", (1 << 24) + 15, 16, false},
        {"signum", 3_000_001, 3, false}, {"adam", 3_000_001, 3, true},
        // the noise's batches in the SIMD twin, split across chunks at odd places, on and off the heap
        {"sgld", 3_000_001, 3, false}, {"sgld", 1_048_579, 2, true}}) {
      String name = (String) c[0];
      int size = (int) c[1];
      int parallelism = (int) c[2];
      boolean offHeap = (boolean) c[3];
      Map<String, Object> params = Map.of("learning_rate", 0.01, "wd", 1e-4);
      Optimizer generated = Optimizer.create(name, params);
      generated.setParallelism(parallelism);
      Updater updater = new Updater(generated);
      SingleCallReference reference = new SingleCallReference(InterpretedOptimizer.create(name, Map.of()).model(), params);
      Random random = new Random(size);
      Tensor expected = randomTensor(DType.FLOAT32, size, random);
      Tensor weight = offHeap ? expected.offHeap() : expected.copy();
      for (int step = 0; step < 2; step++) {
        Tensor grad = randomTensor(DType.FLOAT32, size, random);
        updater.update(0, weight, offHeap ? grad.offHeap() : grad.copy());
        reference.update(0, expected, grad);
      }
      assertSameBits(name + " on " + size + " elements in " + parallelism + " chunks" + (offHeap ? ", off-heap" : ""),
          expected, weight);
    }
  }
}
