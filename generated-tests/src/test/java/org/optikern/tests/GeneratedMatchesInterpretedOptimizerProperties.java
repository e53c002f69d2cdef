package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.optikern.optim.CosineScheduler;
import org.optikern.optim.FactorScheduler;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optimizers.Signum;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/**
 * The generated Signum and the interpreter of its spec, driven call for call through the
 * Optimizer API with random parameters (momentum on or off, clipping on or off, multipliers,
 * schedulers, begin_num_update, multi-precision float16), give identical weights, states and
 * update counts after every call.
 */
class GeneratedMatchesInterpretedOptimizerProperties {
  record Setup(double momentum, Double clip, double wd, double wdLh, double rescale, double lr, int begin,
      String scheduler, DType dtype, boolean multiPrecision, double biasLrMult, List<Integer> indices, long seed) {

    Map<String, Object> params() {
      Map<String, Object> p = new HashMap<>();
      p.put("momentum", momentum);
      p.put("clip_gradient", clip);
      p.put("wd", wd);
      p.put("wd_lh", wdLh);
      p.put("rescale_grad", rescale);
      p.put("begin_num_update", begin);
      p.put("multi_precision", multiPrecision);
      p.put("param_idx2name", Map.of(0, "fc_weight", 1, "fc_bias", 2, "bn_gamma"));
      switch (scheduler) {
        case "factor" -> p.put("lr_scheduler", new FactorScheduler(3, 0.5, 1e-8, lr, 2, 0, LrScheduler.WarmupMode.LINEAR));
        case "cosine" -> p.put("lr_scheduler", new CosineScheduler(20, lr, 0, 0, 0, LrScheduler.WarmupMode.LINEAR));
        default -> p.put("learning_rate", lr);
      }
      return p;
    }
  }

  @Provide
  Arbitrary<Setup> setups() {
    return anySetup();
  }

  /** Random Signum parameters: momentum and clipping on and off, schedulers, dtypes, multi-precision. */
  static Arbitrary<Setup> anySetup() {
    return Builders.withBuilder(() -> new Object[13])
        .use(Arbitraries.of(0.0, 0.9, 0.5, 0.99, -0.3)).in((a, v) -> set(a, 0, v))
        .use(Arbitraries.of(0.0, -1.0, 0.01, 0.5, 3.0).injectNull(0.3)).in((a, v) -> set(a, 1, v))
        .use(Arbitraries.of(0.0, 1e-4, 0.05)).in((a, v) -> set(a, 2, v))
        .use(Arbitraries.of(0.0, 0.01)).in((a, v) -> set(a, 3, v))
        .use(Arbitraries.of(1.0, 1.0 / 32, -0.5)).in((a, v) -> set(a, 4, v))
        .use(Arbitraries.doubles().between(1e-4, 1).ofScale(8)).in((a, v) -> set(a, 5, v))
        .use(Arbitraries.integers().between(0, 3)).in((a, v) -> set(a, 6, v))
        .use(Arbitraries.of("none", "factor", "cosine")).in((a, v) -> set(a, 7, v))
        .use(Arbitraries.of(DType.values())).in((a, v) -> set(a, 8, v))
        .use(Arbitraries.of(true, false)).in((a, v) -> set(a, 9, v))
        .use(Arbitraries.of(1.0, 0.5, 2.0)).in((a, v) -> set(a, 10, v))
        .use(Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(12)).in((a, v) -> set(a, 11, v))
        .use(Arbitraries.longs()).in((a, v) -> set(a, 12, v))
        .build(a -> new Setup((Double) a[0], (Double) a[1], (Double) a[2], (Double) a[3], (Double) a[4],
            (Double) a[5], (Integer) a[6], (String) a[7], (DType) a[8], (Boolean) a[9], (Double) a[10],
            castList(a[11]), (Long) a[12]));
  }

  private static Object[] set(Object[] array, int i, Object value) {
    array[i] = value;
    return array;
  }

  @SuppressWarnings("unchecked")
  private static List<Integer> castList(Object o) {
    return (List<Integer>) o;
  }

  @Property(tries = 300)
  void sameWeightsStatesAndCountsAfterEveryCall(@ForAll("setups") Setup setup) {
    Optimizer generated = new Signum(setup.params());
    Optimizer interpreted = InterpretedOptimizer.of(SignumSpec.class, setup.params());
    for (Optimizer opt : List.of(generated, interpreted)) {
      opt.setLrMult(Map.of("fc_bias", setup.biasLrMult()));
    }
    Random random = new Random(setup.seed());
    int[] sizes = {5, 3, 7};
    List<Tensor> weightsG = new ArrayList<>();
    List<Tensor> weightsI = new ArrayList<>();
    List<OptimizerState> statesG = new ArrayList<>();
    List<OptimizerState> statesI = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      Tensor w = randomTensor(setup.dtype(), sizes[p], random);
      weightsG.add(w);
      weightsI.add(w.copy());
      statesG.add(generated.createStateMultiPrecision(p, weightsG.get(p)));
      statesI.add(interpreted.createStateMultiPrecision(p, weightsI.get(p)));
    }
    int call = 0;
    for (int index : setup.indices()) {
      Tensor grad = randomTensor(setup.dtype(), sizes[index], random);
      generated.updateMultiPrecision(index, weightsG.get(index), grad, statesG.get(index));
      interpreted.updateMultiPrecision(index, weightsI.get(index), grad.copy(), statesI.get(index));
      call++;
      assertSameBits("call " + call + " weight " + index, weightsI.get(index), weightsG.get(index));
      for (int s = 0; s < statesG.get(index).arrays().size(); s++) {
        assertSameBits("call " + call + " state " + index, statesI.get(index).arrays().get(s),
            statesG.get(index).arrays().get(s));
      }
      if (statesG.get(index).master().isPresent()) {
        assertSameBits("call " + call + " master " + index, statesI.get(index).master().orElseThrow(),
            statesG.get(index).master().orElseThrow());
      }
      assertEquals(interpreted.updateCount(index), generated.updateCount(index));
      assertEquals(interpreted.numUpdate(), generated.numUpdate());
    }
  }

  static Tensor randomTensor(DType dtype, int n, Random random) {
    return switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) random.nextGaussian();
        }
        yield Tensor.of(a);
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = random.nextGaussian();
        }
        yield Tensor.of(a);
      }
      case FLOAT16 -> {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
          a[i] = Half.fromFloat((float) random.nextGaussian());
        }
        yield Tensor.ofHalf(a);
      }
    };
  }

  static void assertSameBits(String what, Tensor expected, Tensor actual) {
    int i = Bits.firstDifference(expected.data(), actual.data());
    if (i >= 0) {
      fail(what + "[" + i + "]: generated " + Bits.describe(actual.data(), i) + ", interpreted "
          + Bits.describe(expected.data(), i));
    }
  }
}
