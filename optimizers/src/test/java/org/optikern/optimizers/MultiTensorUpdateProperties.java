package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.optikern.optimizers.RandomCases.assertSameBits;
import static org.optikern.optimizers.RandomCases.randomParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.optikern.optim.FactorScheduler;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.verify.SingleCallReference;

/**
 * One multi-tensor call ({@code Updater.update(indices, weights, grads)}, {@code Optimizer.updateAll})
 * gives the bits, states and counts of one update per tensor in the list's order: checked against
 * the single-call reference run tensor by tensor, for every built-in optimizer, with mixed sizes
 * (small ones grouped, large ones split) and mixed dtypes, multi-precision float16 included, on 1
 * to 16 cores with a low threshold.
 */
class MultiTensorUpdateProperties {
  @Provide
  Arbitrary<String> builtInNames() {
    return Arbitraries.of(RandomCases.builtInNames());
  }

  @Property(tries = 200)
  void oneCallEqualsOneUpdatePerTensorInOrder(@ForAll("builtInNames") String name, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Object> params = randomParams(name, random);
    Map<String, Object> referenceParams = new java.util.HashMap<>(params);
    if (random.nextBoolean()) {
      // a scheduler makes the learning rate depend on num_update, so on the order of the bookkeeping
      double lr = (Double) params.remove("learning_rate");
      referenceParams.remove("learning_rate");
      params.put("lr_scheduler", new FactorScheduler(1, 0.9, 1e-8, lr, 0, 0, LrScheduler.WarmupMode.LINEAR));
      referenceParams.put("lr_scheduler", new FactorScheduler(1, 0.9, 1e-8, lr, 0, 0, LrScheduler.WarmupMode.LINEAR));
    }
    Optimizer optimizer = Optimizer.create(name, params);
    int parallelism = new int[] {1, 2, 3, 7, 16}[random.nextInt(5)];
    optimizer.setParallelism(parallelism);
    optimizer.setParallelThreshold(new int[] {1, 100, 1 << 20}[random.nextInt(3)]);
    Updater updater = new Updater(optimizer);
    SingleCallReference reference =
        new SingleCallReference(InterpretedOptimizer.create(name, Map.of()).model(), referenceParams);
    int count = 1 + random.nextInt(8);
    List<Integer> indices = new ArrayList<>();
    List<Tensor> weights = new ArrayList<>();
    List<Tensor> expected = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      indices.add(p);
      DType dtype = DType.values()[random.nextInt(DType.values().length)];
      int size = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : BuiltInOptimizersMatchSingleCallReferenceProperties
          .boundarySize(random, parallelism);
      Tensor w = RandomCases.randomShaped(dtype, size, random);
      // mixed storage in one call: each parameter's tensors on the heap or, in direct buffers, off it
      weights.add(random.nextBoolean() ? w.offHeap() : w);
      expected.add(w.copy());
    }
    String context = name + " " + params + ", " + parallelism + " cores, threshold " + optimizer.parallelThreshold();
    for (int step = 0; step < 3; step++) {
      // a random subset, in a random order: the bookkeeping must follow the list's order
      List<Integer> order = new ArrayList<>(indices);
      Collections.shuffle(order, random);
      order = order.subList(0, 1 + random.nextInt(order.size()));
      List<Tensor> stepWeights = new ArrayList<>();
      List<Tensor> grads = new ArrayList<>();
      for (int index : order) {
        Tensor grad = RandomCases.gradFor(expected.get(index), random);
        stepWeights.add(weights.get(index));
        grads.add(weights.get(index).isOffHeap() ? grad.offHeap() : grad.copy());
        reference.update(index, expected.get(index), grad);
      }
      updater.update(order, stepWeights, grads);
      for (int index : order) {
        String at = context + ", step " + step + ", index " + index + " (" + weights.get(index) + ")";
        assertSameBits(at + ": weight", expected.get(index), weights.get(index));
        BuiltInOptimizersMatchSingleCallReferenceProperties.assertSameState(at, reference.state(index),
            updater.state(index).orElseThrow());
        assertEquals(reference.updateCount(index), optimizer.updateCount(index), at + ": count");
      }
      assertEquals(reference.numUpdate(), optimizer.numUpdate(), context + ": num_update");
    }
  }

  @Test
  void oneBadParameterRejectsTheWholeCallBeforeAnythingIsWrittenOrCounted() {
    Updater updater = new Updater(Optimizer.create("adam"));
    Tensor first = Tensor.of(new float[] {1f, 2f, 3f});
    Tensor second = Tensor.of(new float[] {4f, 5f});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> updater.update(List.of(0, 1),
        List.of(first, second), List.of(Tensor.of(new float[] {1f, 1f, 1f}), Tensor.of(new float[] {1f, 1f, 1f}))));
    assertEquals("grad has shape [3] but the weight has shape [2]", e.getMessage());
    assertArrayEquals(new float[] {1f, 2f, 3f}, first.floatData());
    assertEquals(0, updater.optimizer().updateCount(0));
    assertFalse(updater.state(0).isPresent(), "no state is kept from a rejected call");
    assertEquals("index 0 appears twice in one multi-tensor update", assertThrows(IllegalArgumentException.class,
        () -> updater.update(List.of(0, 0), List.of(first, first.copy()), List.of(first.copy(), first.copy())))
        .getMessage());
  }
}
