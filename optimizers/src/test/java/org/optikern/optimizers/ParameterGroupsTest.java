package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.optikern.optimizers.BuiltInOptimizersMatchSingleCallReferenceProperties.assertSameState;
import static org.optikern.optimizers.RandomCases.assertSameBits;
import static org.optikern.optimizers.RandomCases.randomTensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Parameter groups as torch.optim has them: some parameters with their own hyperparameters. The
 * oracle: an independent {@link SingleCallReference} per group, made with the group's parameters
 * merged into the optimizer's, each updating only its group's indices (counts are per index, and
 * without a scheduler nothing else is shared).
 */
class ParameterGroupsTest {
  private static final Map<String, Object> ADAM = Map.of("learning_rate", 0.01, "wd", 1e-3, "beta1", 0.8);
  private static final Map<String, Object> NO_DECAY_FAST = Map.of("wd", 0.0, "learning_rate", 0.05, "beta2", 0.9);

  @Test
  void aGroupsIndicesAreUpdatedWithItsHyperparametersBitForBit() {
    checkAgainstReferences("adam", ADAM, NO_DECAY_FAST, false);
    checkAgainstReferences("adam", ADAM, NO_DECAY_FAST, true);
  }

  /** The README's snippet: no decay for the group, the optimizer's decay for the rest. */
  @Test
  void theReadmeSnippetTakesTheDecayOffItsGroup() {
    Optimizer adamw = Optimizer.create("adamw", Map.of("learning_rate", 1e-3, "wd", 0.01));
    adamw.addParameterGroup(List.of(1, 3, 5), Map.of("wd", 0.0));   // biases and norms: no decay
    Tensor decayed = Tensor.of(new float[] {1f});
    Tensor kept = Tensor.of(new float[] {1f});
    Tensor zero = Tensor.of(new float[] {0f});
    adamw.update(0, decayed, zero, adamw.createState(0, decayed));
    adamw.update(1, kept, zero.copy(), adamw.createState(1, kept));
    assertEquals(1.0, kept.get(0), "a zero gradient and no decay leave the weight");
    assertEquals(true, decayed.get(0) < 1.0, "the decay moves the weight of index 0");
  }

  /** SGD's momentum 0 selects the variant without a state: the group's indices get its kernel and states. */
  @Test
  void aGroupMaySelectAnotherVariant() {
    Map<String, Object> sgd = Map.of("learning_rate", 0.1, "momentum", 0.9);
    checkAgainstReferences("sgd", sgd, Map.of("momentum", 0.0), false);
    Optimizer optimizer = Optimizer.create("sgd", sgd);
    optimizer.addParameterGroup(List.of(1), Map.of("momentum", 0.0));
    assertEquals(List.of("mom"), optimizer.createState(0, Tensor.zeros(DType.FLOAT32, 2)).names());
    assertEquals(List.of(), optimizer.createState(1, Tensor.zeros(DType.FLOAT32, 2)).names());
    assertEquals(0.0, optimizer.hyperparameters(1).get("momentum"));
    assertEquals(0.9, optimizer.hyperparameters(0).get("momentum"));
  }

  @Test
  void theInterpretedOptimizerHasTheSameGroups() {
    Optimizer generated = Optimizer.create("adam", ADAM);
    Optimizer interpreted = InterpretedOptimizer.create("adam", ADAM);
    generated.addParameterGroup(List.of(1), NO_DECAY_FAST);
    interpreted.addParameterGroup(List.of(1), NO_DECAY_FAST);
    Updater g = new Updater(generated);
    Updater i = new Updater(interpreted);
    Random random = new Random(3);
    Tensor wg = randomTensor(DType.FLOAT32, 300, random);
    Tensor wi = wg.copy();
    for (int step = 0; step < 3; step++) {
      Tensor grad = randomTensor(DType.FLOAT32, 300, random);
      g.update(1, wg, grad.copy());
      i.update(1, wi, grad.copy());
    }
    assertSameBits("weight", wi, wg);
  }

  @Test
  void aGroupThatCannotBeIsRefusedByName() {
    Optimizer adam = Optimizer.create("adam", ADAM);
    assertEquals("a parameter group of adam may set [beta1, beta2, epsilon, learning_rate, wd], not 'rescale_grad' "
        + "(it is shared by every parameter)", assertThrows(IllegalArgumentException.class,
            () -> adam.addParameterGroup(List.of(0), Map.of("rescale_grad", 2.0))).getMessage());
    assertEquals("beta1 = 1.5 is not valid for adam: it must satisfy beta1 >= 0 && beta1 < 1",
        assertThrows(IllegalArgumentException.class,
            () -> adam.addParameterGroup(List.of(0), Map.of("beta1", 1.5))).getMessage());
    assertEquals("a parameter group needs at least one index", assertThrows(IllegalArgumentException.class,
        () -> adam.addParameterGroup(List.of(), Map.of("wd", 0.0))).getMessage());
    adam.addParameterGroup(List.of(0, 1), Map.of("wd", 0.0));
    assertEquals("index 1 is already in a parameter group {wd=0.0}", assertThrows(IllegalArgumentException.class,
        () -> adam.addParameterGroup(List.of(2, 1), Map.of("beta1", 0.5))).getMessage());
    assertEquals(1, adam.parameterGroups().size(), "a refused group leaves nothing behind");
    assertEquals(0.8, adam.hyperparameters(2).get("beta1"), "not even for its indices that were free");
    LrScheduler scheduler = new FactorScheduler(10, 0.5, 1e-8, 0.01, 0, 0, LrScheduler.WarmupMode.LINEAR);
    Optimizer scheduled = Optimizer.create("adam", Map.of("lr_scheduler", scheduler));
    assertEquals("a parameter group cannot set learning_rate while an lr_scheduler sets the rate of every parameter; "
        + "give the group an lr multiplier (setLrMult) instead", assertThrows(IllegalArgumentException.class,
            () -> scheduled.addParameterGroup(List.of(0), Map.of("learning_rate", 0.1))).getMessage());
  }

  /** A checkpoint keeps the groups: loaded into an updater of a plain optimizer, training goes on as before. */
  @Test
  void checkpointsKeepTheGroups() throws Exception {
    Map<String, Object> sgd = Map.of("learning_rate", 0.1, "momentum", 0.9);
    Optimizer grouped = Optimizer.create("sgd", sgd);
    grouped.addParameterGroup(List.of(1), Map.of("momentum", 0.0, "wd", 0.01, "learning_rate", 0.5));
    Updater original = new Updater(grouped);
    Random random = new Random(8);
    Tensor w0 = randomTensor(DType.FLOAT32, 40, random);
    Tensor w1 = randomTensor(DType.FLOAT32, 40, random);
    original.update(List.of(0, 1), List.of(w0, w1), List.of(randomTensor(DType.FLOAT32, 40, random),
        randomTensor(DType.FLOAT32, 40, random)));
    java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
    original.save(saved);
    Optimizer plain = Optimizer.create("sgd", sgd);
    Updater resumed = new Updater(plain);
    resumed.load(new java.io.ByteArrayInputStream(saved.toByteArray()));
    assertEquals(1, plain.parameterGroups().size());
    assertEquals(List.of(1), plain.parameterGroups().get(0).indices());
    assertEquals(0.0, plain.hyperparameters(1).get("momentum"));
    Tensor r0 = w0.copy();
    Tensor r1 = w1.copy();
    Tensor g0 = randomTensor(DType.FLOAT32, 40, random);
    Tensor g1 = randomTensor(DType.FLOAT32, 40, random);
    original.update(List.of(0, 1), List.of(w0, w1), List.of(g0.copy(), g1.copy()));
    resumed.update(List.of(0, 1), List.of(r0, r1), List.of(g0, g1));
    assertSameBits("index 0", w0, r0);
    assertSameBits("index 1, in the group", w1, r1);
    // a checkpoint whose group the optimizer cannot take is refused whole, before anything changes
    LrScheduler scheduler = new FactorScheduler(10, 0.5, 1e-8, 0.1, 0, 0, LrScheduler.WarmupMode.LINEAR);
    Optimizer scheduled = Optimizer.create("sgd", Map.of("momentum", 0.9, "lr_scheduler", scheduler));
    Updater target = new Updater(scheduled);
    org.optikern.optim.InvalidCheckpointException e = assertThrows(org.optikern.optim.InvalidCheckpointException.class,
        () -> target.load(new java.io.ByteArrayInputStream(saved.toByteArray())));
    assertEquals("parameter group {learning_rate=0.5, momentum=0.0, wd=0.01} of indices [1] does not fit sgd: a "
        + "parameter group cannot set learning_rate while an lr_scheduler sets the rate of every parameter; give the "
        + "group an lr multiplier (setLrMult) instead", e.getMessage());
    assertEquals(List.of(), scheduled.parameterGroups());
    assertEquals(0, scheduled.updateCount(1));
  }

  /**
   * Indices 0 and 3 with the optimizer's parameters, 1 and 2 in the group; each side of the oracle
   * is a reference made with that side's parameters. Through one update per tensor, or one
   * multi-tensor call per step.
   */
  private static void checkAgainstReferences(String name, Map<String, Object> params, Map<String, Object> groupParams,
      boolean multiTensor) {
    Optimizer optimizer = Optimizer.create(name, params);
    optimizer.setParallelThreshold(64);
    optimizer.addParameterGroup(List.of(1, 2), groupParams);
    Map<String, Object> merged = new HashMap<>(params);
    merged.putAll(groupParams);
    Updater updater = new Updater(optimizer);
    SingleCallReference outside = new SingleCallReference(InterpretedOptimizer.create(name, Map.of()).model(), params);
    SingleCallReference inside = new SingleCallReference(InterpretedOptimizer.create(name, Map.of()).model(), merged);
    Random random = new Random(name.length() + (multiTensor ? 1 : 0));
    int[] sizes = {5, 1000, 70, 129};
    List<Tensor> weights = new ArrayList<>();
    List<Tensor> expected = new ArrayList<>();
    for (int size : sizes) {
      Tensor w = randomTensor(DType.FLOAT32, size, random);
      weights.add(w);
      expected.add(w.copy());
    }
    for (int step = 0; step < 3; step++) {
      List<Tensor> grads = new ArrayList<>();
      for (int index = 0; index < sizes.length; index++) {
        Tensor grad = randomTensor(DType.FLOAT32, sizes[index], random);
        grads.add(grad.copy());
        (index == 1 || index == 2 ? inside : outside).update(index, expected.get(index), grad);
      }
      if (multiTensor) {
        updater.update(List.of(0, 1, 2, 3), weights, grads);
      } else {
        for (int index = 0; index < sizes.length; index++) {
          updater.update(index, weights.get(index), grads.get(index));
        }
      }
      for (int index = 0; index < sizes.length; index++) {
        String at = name + " " + params + " group " + groupParams + (multiTensor ? ", multi-tensor" : "") + ", step "
            + step + ", index " + index;
        assertSameBits(at + ": weight", expected.get(index), weights.get(index));
        assertSameState(at, (index == 1 || index == 2 ? inside : outside).state(index),
            updater.state(index).orElseThrow());
      }
    }
  }
}
