package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.optikern.optimizers.RandomCases.assertSameBits;
import static org.optikern.optimizers.RandomCases.randomParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Every built-in optimizer, generated and interpreted, driven call for call through the Optimizer
 * API: random hyperparameters (every switch on and off), weight decay, rescaling, clipping,
 * {@code begin_num_update}, dtype and multi-precision, and updates of interleaved indices, so each
 * index has its own update count {@code t} for the per-update scalars. Weights, states, master
 * copies and counts must be identical after every call.
 */
class BuiltInOptimizersMatchInterpreterProperties {
  @Provide
  Arbitrary<String> builtInNames() {
    return Arbitraries.of(RandomCases.builtInNames());
  }

  @Property(tries = 400)
  void generatedAndInterpretedAgreeAfterEveryCall(@ForAll("builtInNames") String name, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Object> params = randomParams(name, random);
    Optimizer generated = Optimizer.create(name, params);
    Optimizer interpreted = InterpretedOptimizer.create(name, params);
    DType dtype = DType.values()[random.nextInt(DType.values().length)];
    int[] sizes = {5, 1, 8};
    List<Tensor> weightsG = new ArrayList<>();
    List<Tensor> weightsI = new ArrayList<>();
    List<OptimizerState> statesG = new ArrayList<>();
    List<OptimizerState> statesI = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      Tensor w = RandomCases.randomShaped(dtype, sizes[p], random);
      weightsG.add(w);
      weightsI.add(w.copy());
      statesG.add(generated.createStateMultiPrecision(p, weightsG.get(p)));
      statesI.add(interpreted.createStateMultiPrecision(p, weightsI.get(p)));
    }
    String context = name + " " + params + " " + dtype.mxnetName();
    for (int call = 1; call <= 8; call++) {
      int index = random.nextInt(sizes.length);
      Tensor grad = RandomCases.gradFor(weightsI.get(index), random);
      // each side its own copy, made before either call: a kernel that wrote into grad would show
      Tensor gradG = grad.copy();
      Tensor gradI = grad.copy();
      generated.updateMultiPrecision(index, weightsG.get(index), gradG, statesG.get(index));
      interpreted.updateMultiPrecision(index, weightsI.get(index), gradI, statesI.get(index));
      String at = context + ", call " + call + ", index " + index;
      assertSameBits(at + ": grad after the generated update", grad, gradG);
      assertSameBits(at + ": grad after the interpreted update", grad, gradI);
      assertSameBits(at + ": weight", weightsI.get(index), weightsG.get(index));
      for (int s = 0; s < statesG.get(index).arrays().size(); s++) {
        assertSameBits(at + ": state " + statesG.get(index).names().get(s), statesI.get(index).arrays().get(s),
            statesG.get(index).arrays().get(s));
      }
      if (statesG.get(index).master().isPresent()) {
        assertSameBits(at + ": master", statesI.get(index).master().orElseThrow(),
            statesG.get(index).master().orElseThrow());
      }
      assertEquals(interpreted.updateCount(index), generated.updateCount(index), at);
    }
  }
}
