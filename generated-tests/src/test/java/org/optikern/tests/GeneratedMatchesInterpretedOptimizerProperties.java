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
import org.optikern.verify.SingleCallReference;

/**
 * The generated Signum and the interpreter of its spec, driven call for call through the
 * Optimizer API with random parameters (momentum on or off, clipping on or off, multipliers,
 * schedulers, begin_num_update, multi-precision float16), both give the weights, states and
 * update counts of the independent {@link SingleCallReference} after every call, at sizes around
 * the chunk and block edges with a low parallel threshold and 1 to 16 chunks.
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
    SingleCallReference reference = new SingleCallReference(SignumSpec.class, setup.params());
    Random random = new Random(setup.seed());
    // a low threshold and 1 to 16 chunks, so that the chunked path runs at sizes around its edges
    int parallelism = new int[] {1, 2, 3, 4, 7, 16}[random.nextInt(6)];
    int threshold = new int[] {1, 64, 100_000}[random.nextInt(3)];
    for (Optimizer opt : List.of(generated, interpreted)) {
      opt.setLrMult(Map.of("fc_bias", setup.biasLrMult()));
      opt.setParallelism(parallelism);
      opt.setParallelThreshold(threshold);
    }
    reference.setLrMult(Map.of("fc_bias", setup.biasLrMult()));
    int[] sizes = {boundarySize(random, parallelism), 3, boundarySize(random, parallelism)};
    List<Tensor> weightsG = new ArrayList<>();
    List<Tensor> weightsI = new ArrayList<>();
    List<Tensor> weightsR = new ArrayList<>();
    List<OptimizerState> statesG = new ArrayList<>();
    List<OptimizerState> statesI = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      Tensor w = randomTensor(setup.dtype(), sizes[p], random);
      weightsG.add(w);
      weightsI.add(w.copy());
      weightsR.add(w.copy());
      statesG.add(generated.createStateMultiPrecision(p, weightsG.get(p)));
      statesI.add(interpreted.createStateMultiPrecision(p, weightsI.get(p)));
    }
    int call = 0;
    for (int index : setup.indices()) {
      Tensor grad = randomTensor(setup.dtype(), sizes[index], random);
      // each side its own copy, made before any call: a kernel that wrote into grad would show
      Tensor gradG = grad.copy();
      Tensor gradI = grad.copy();
      generated.updateMultiPrecision(index, weightsG.get(index), gradG, statesG.get(index));
      interpreted.updateMultiPrecision(index, weightsI.get(index), gradI, statesI.get(index));
      reference.update(index, weightsR.get(index), grad.copy());
      call++;
      String at = "call " + call + " (" + sizes[index] + " elements, " + parallelism + " chunks, threshold " + threshold
          + ")";
      assertSameBits(at + " grad " + index + " after the generated update", grad, gradG);
      assertSameBits(at + " grad " + index + " after the interpreted update", grad, gradI);
      for (Optimizer opt : List.of(generated, interpreted)) {
        String side = opt == generated ? " (generated)" : " (interpreted)";
        OptimizerState state = opt == generated ? statesG.get(index) : statesI.get(index);
        assertSameBits(at + " weight " + index + side, weightsR.get(index),
            opt == generated ? weightsG.get(index) : weightsI.get(index));
        SingleCallReference.ReferenceState expected = reference.state(index);
        assertEquals(expected.arrays().keySet(), new java.util.HashSet<>(state.names()), at + side);
        for (int s = 0; s < state.arrays().size(); s++) {
          assertSameBits(at + " state " + state.names().get(s) + " " + index + side,
              expected.arrays().get(state.names().get(s)), state.arrays().get(s));
        }
        assertEquals(expected.master() != null, state.master().isPresent(), at + side);
        if (expected.master() != null) {
          assertSameBits(at + " master " + index + side, expected.master(), state.master().orElseThrow());
        }
        assertEquals(reference.updateCount(index), opt.updateCount(index), at + side);
        assertEquals(reference.numUpdate(), opt.numUpdate(), at + side);
      }
    }
  }

  /** A size at an edge of chunked or blocked code: an aligned chunk per core plus a remainder, a block multiple +-1. */
  static int boundarySize(Random random, int parallelism) {
    return switch (random.nextInt(4)) {
      case 0 -> parallelism * 64 * (1 + random.nextInt(8)) + random.nextInt(parallelism + 1);
      case 1 -> 2048 * (1 + random.nextInt(3)) + random.nextInt(3) - 1;
      case 2 -> 1 + random.nextInt(20);
      default -> 1 + random.nextInt(5000);
    };
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
      fail(what + "[" + i + "]: " + Bits.describe(actual.data(), i) + ", expected "
          + Bits.describe(expected.data(), i));
    }
  }
}
