package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.optimizers.Signum;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.Tensor;
import org.optikern.tests.GeneratedMatchesInterpretedOptimizerProperties.Setup;

/**
 * Stateful equivalence: random chains of actions on the Optimizer API (updates of random indices,
 * learning-rate changes, lr and wd multipliers, rescale_grad, checkpoints swapped between the two)
 * applied to an updater over the generated Signum and one over the interpreter of its spec, under
 * random parameters (schedulers, begin_num_update, multi-precision float16). After every action the
 * weights, states and update counts must be identical. jqwik shrinks a failing chain to a short one.
 */
class OptimizerActionChainProperties {
  private static final int[] SIZES = {5, 1, 9};

  /** The same training twice: generated kernels and the interpreter. */
  static final class Twins {
    final Setup setup;
    final Updater generated;
    Updater interpreted;
    final Tensor[] weightsG = new Tensor[SIZES.length];
    final Tensor[] weightsI = new Tensor[SIZES.length];

    Twins(Setup setup) {
      this.setup = setup;
      this.generated = new Updater(new Signum(setup.params()));
      this.interpreted = new Updater(InterpretedOptimizer.of(SignumSpec.class, setup.params()));
      Random random = new Random(setup.seed());
      for (int p = 0; p < SIZES.length; p++) {
        weightsG[p] = GeneratedMatchesInterpretedOptimizerProperties.randomTensor(setup.dtype(), SIZES[p], random);
        weightsI[p] = weightsG[p].copy();
      }
    }

    void both(java.util.function.Consumer<Optimizer> change) {
      change.accept(generated.optimizer());
      change.accept(interpreted.optimizer());
    }

    void assertSame() {
      Optimizer g = generated.optimizer();
      Optimizer i = interpreted.optimizer();
      assertEquals(i.numUpdate(), g.numUpdate(), "num_update");
      for (int p = 0; p < SIZES.length; p++) {
        String where = "index " + p;
        assertEquals(i.updateCount(p), g.updateCount(p), where + " count");
        GeneratedMatchesInterpretedOptimizerProperties.assertSameBits(where + " weight", weightsI[p], weightsG[p]);
        assertEquals(interpreted.state(p).isPresent(), generated.state(p).isPresent(), where + " has a state");
        if (generated.state(p).isPresent()) {
          OptimizerState sg = generated.state(p).get();
          OptimizerState si = interpreted.state(p).get();
          assertEquals(si.names(), sg.names());
          for (int s = 0; s < sg.arrays().size(); s++) {
            GeneratedMatchesInterpretedOptimizerProperties.assertSameBits(where + " " + sg.names().get(s),
                si.arrays().get(s), sg.arrays().get(s));
          }
          assertEquals(si.master().isPresent(), sg.master().isPresent());
          if (sg.master().isPresent()) {
            GeneratedMatchesInterpretedOptimizerProperties.assertSameBits(where + " master", si.master().get(),
                sg.master().get());
          }
        }
      }
    }

    @Override
    public String toString() {
      return "Twins" + setup;
    }
  }

  private static Action.Independent<Twins> update() {
    return () -> Arbitraries.integers().between(0, SIZES.length - 1).flatMap(index -> Arbitraries.longs().map(seed ->
        Transformer.mutate("update " + index, twins -> {
          Tensor grad = GeneratedMatchesInterpretedOptimizerProperties.randomTensor(twins.setup.dtype(), SIZES[index],
              new Random(seed));
          twins.generated.update(index, twins.weightsG[index], grad);
          twins.interpreted.update(index, twins.weightsI[index], grad.copy());
        })));
  }

  private static Action.Independent<Twins> setLearningRate() {
    return new Action.Independent<>() {
      @Override
      public boolean precondition(Twins twins) {
        return twins.generated.optimizer().lrScheduler() == null;
      }

      @Override
      public Arbitrary<Transformer<Twins>> transformer() {
        return Arbitraries.of(0.0, 1e-3, 0.1, 0.7, -0.05).map(lr ->
            Transformer.mutate("learning rate " + lr, twins -> twins.both(o -> o.setLearningRate(lr))));
      }
    };
  }

  private static Arbitrary<Map<Object, Double>> multipliers() {
    Arbitrary<Object> keys = Arbitraries.of(0, 1, 2, "fc_weight", "fc_bias", "bn_gamma", "unused");
    return Arbitraries.maps(keys, Arbitraries.of(0.0, 0.5, 2.0, 1.0, -1.0)).ofMaxSize(3).map(HashMap::new);
  }

  private static Action.Independent<Twins> setLrMult() {
    return () -> multipliers().map(m -> Transformer.mutate("lr_mult " + m, twins -> twins.both(o -> o.setLrMult(m))));
  }

  private static Action.Independent<Twins> setWdMult() {
    return () -> multipliers().map(m -> Transformer.mutate("wd_mult " + m, twins -> twins.both(o -> o.setWdMult(m))));
  }

  private static Action.Independent<Twins> setRescaleGrad() {
    return () -> Arbitraries.of(1.0, 0.25, 1.0 / 3, 4.0, -1.0).map(r ->
        Transformer.mutate("rescale_grad " + r, twins -> twins.both(o -> o.setRescaleGrad(r))));
  }

  /** Each updater loads the other's checkpoint: the format is shared and nothing is lost. */
  private static Action.Independent<Twins> swapCheckpoints() {
    return Action.just("swap checkpoints", Transformer.mutate("swap checkpoints", twins -> {
      byte[] fromGenerated = save(twins.generated);
      byte[] fromInterpreted = save(twins.interpreted);
      load(twins.generated, fromInterpreted);
      load(twins.interpreted, fromGenerated);
    }));
  }

  private static byte[] save(Updater updater) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      updater.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void load(Updater updater, byte[] checkpoint) {
    try {
      updater.load(new ByteArrayInputStream(checkpoint));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<ActionChain<Twins>> chains() {
    return GeneratedMatchesInterpretedOptimizerProperties.anySetup().flatMap(setup ->
        ActionChain.<Twins>startWith(() -> new Twins(setup))
            .withAction(6, update())
            .withAction(1, setLearningRate())
            .withAction(1, setLrMult())
            .withAction(1, setWdMult())
            .withAction(1, setRescaleGrad())
            .withAction(1, swapCheckpoints())
            .withMaxTransformations(25));
  }

  @Property(tries = 200)
  void generatedAndInterpretedStayIdenticalUnderAnyChainOfCalls(@ForAll("chains") ActionChain<Twins> chain) {
    try (LogCapture quiet = new LogCapture()) {
      chain.withInvariant("identical weights, states and counts", Twins::assertSame).run();
    }
  }

}
