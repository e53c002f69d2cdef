package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.FactorScheduler;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerFactory;
import org.optikern.optim.OptimizerState;
import org.optikern.optimizers.Signum;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;
import org.optikern.tests.specs.MomentumSgd;
import org.optikern.tests.specs.PrimitivesSpec;

/** The MXNet 1.x Optimizer API, through the generated Signum. */
class OptimizerApiTest {
  private static Map<String, Object> params(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  // ---- registry ----

  @Test
  void createFindsGeneratedOptimizersCaseInsensitively() {
    assertInstanceOf(Signum.class, Optimizer.create("signum"));
    assertInstanceOf(Signum.class, Optimizer.create("Signum", Map.of()));
    assertInstanceOf(Signum.class, Optimizer.create("SIGNUM", Map.of("momentum", 0.5)));
    assertInstanceOf(MomentumSgd.class, Optimizer.create("MSGD"), "aliases are registry keys too");
    assertInstanceOf(MomentumSgd.class, Optimizer.create("momentum_sgd"));
  }

  @Test
  void unknownNameIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.create("sigmun"));
    assertTrue(e.getMessage().startsWith("Cannot find optimizer sigmun (registered: ["), e.getMessage());
    assertTrue(e.getMessage().contains("signum"), e.getMessage());
  }

  @Test
  void registeringAnExistingNameWarnsAndOverrides() {
    OptimizerFactory custom = new OptimizerFactory() {
      @Override
      public String name() {
        return "SIGNUM";
      }

      @Override
      public Optimizer create(Map<String, ?> params) {
        return new MomentumSgd(params);
      }
    };
    try (LogCapture log = new LogCapture()) {
      Optimizer.register(custom);
      assertInstanceOf(MomentumSgd.class, Optimizer.create("signum"));
      assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("WARNING") && m.contains("overriding existing")),
          log.messages().toString());
    } finally {
      Optimizer.register(new Signum.Factory());
    }
    assertInstanceOf(Signum.class, Optimizer.create("signum"));
  }

  // ---- parameters ----

  @Test
  void defaultsAreMxnets() {
    Signum signum = new Signum();
    assertEquals(0.01, signum.getLearningRate());
    assertEquals(0.9, signum.momentum());
    assertEquals(0.0, signum.wdLh());
    assertEquals(0.0, signum.wd());
    assertEquals(1.0, signum.rescaleGrad());
    assertTrue(signum.clipGradient().isEmpty());
    assertFalse(signum.multiPrecision());
    assertEquals(0, signum.numUpdate());
    assertEquals(Map.of("momentum", 0.9, "wd_lh", 0.0), signum.hyperparameters());
  }

  @Test
  void badParametersAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Signum(params("momentun", 0.5)))
        .getMessage().startsWith("unknown parameter 'momentun' for optimizer signum"));
    assertEquals("learning_rate must be a number, found fast (String)", assertThrows(IllegalArgumentException.class,
        () -> new Signum(params("learning_rate", "fast"))).getMessage());
    assertEquals("wd must be a finite number, found NaN",
        assertThrows(IllegalArgumentException.class, () -> new Signum(params("wd", Double.NaN))).getMessage());
    assertEquals("momentum must be a finite number, found Infinity", assertThrows(IllegalArgumentException.class,
        () -> new Signum(params("momentum", Double.POSITIVE_INFINITY))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Signum(params("param_dict", Map.of())))
        .getMessage().contains("not supported"));
    assertEquals("begin_num_update must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
        () -> new Signum(params("begin_num_update", -1))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new Signum(params("param_idx2name", Map.of("0", "fc_weight")))).getMessage()
        .startsWith("param_idx2name must map Integer indices to String names"));
  }

  // ---- state ----

  @Test
  void hyperparametersOutsideTheirSpecsConditionAreRejected() {
    assertEquals("eps = 0.0 is not valid for primitives_check: it must satisfy eps > 0",
        assertThrows(IllegalArgumentException.class, () -> Optimizer.create("primitives_check", params("eps", 0.0)))
            .getMessage());
    assertEquals("beta = -0.5 is not valid for primitives_check: it must satisfy beta >= 0 && beta <= 1",
        assertThrows(IllegalArgumentException.class,
            () -> InterpretedOptimizer.of(PrimitivesSpec.class, params("beta", -0.5))).getMessage());
    assertEquals("eps must be a finite number, found NaN",
        assertThrows(IllegalArgumentException.class, () -> Optimizer.create("primitives_check", params("eps", Double.NaN)))
            .getMessage());
    assertEquals(1.0, Optimizer.create("primitives_check", params("beta", 1.0)).hyperparameters().get("beta"));
  }

  @Test
  void createStateMakesZerosLikeTheWeightOrNothingWithoutMomentum() {
    Tensor weight = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    OptimizerState state = new Signum().createState(0, weight);
    assertEquals(List.of("mom"), state.names());
    Tensor mom = state.get("mom");
    assertEquals(DType.FLOAT64, mom.dtype());
    assertArrayEquals(new int[] {2, 3}, mom.shape());
    assertArrayEquals(new double[6], mom.doubleData());
    assertTrue(new Signum(params("momentum", 0.0)).createState(0, weight).isEmpty(), "signSGD has no state");
  }

  @Test
  void multiPrecisionStateHoldsAFloat32MasterCopy() {
    Tensor weight = Tensor.ofHalf(new short[] {Half.fromFloat(1.5f), Half.fromFloat(-2f)});
    OptimizerState state = new Signum(params("multi_precision", true)).createStateMultiPrecision(0, weight);
    Tensor master = state.master().orElseThrow();
    assertEquals(DType.FLOAT32, master.dtype());
    assertArrayEquals(new float[] {1.5f, -2f}, master.floatData());
    assertEquals(DType.FLOAT32, state.get("mom").dtype());
  }

  @Test
  void float16WithoutMultiPrecisionWarnsAsMxnetDoes() {
    try (LogCapture log = new LogCapture()) {
      OptimizerState state = new Signum().createStateMultiPrecision(0, Tensor.ofHalf(new short[2]));
      assertEquals(DType.FLOAT16, state.get("mom").dtype());
      assertTrue(state.master().isEmpty());
      assertTrue(log.messages().contains("WARNING Accumulating with float16 in optimizer can lead to poor accuracy or "
          + "slow convergence. Consider using multi_precision=True option of the optimizer"), log.messages().toString());
    }
  }

  // ---- update counts, learning rates, multipliers (observed through signSGD: weight moves by exactly lr) ----

  private static double step(Optimizer opt, int index, Tensor weight) {
    double before = weight.get(0);
    opt.update(index, weight, Tensor.of(new double[] {-1}), null);
    return weight.get(0) - before;
  }

  @Test
  void updateCountsStartAtBeginNumUpdateAndAreTakenBeforeTheLearningRate() {
    // FactorScheduler(step 2): lr halves once num_update exceeds 2, 4, ...
    FactorScheduler scheduler = new FactorScheduler(2, 0.5, 1e-8, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
    Optimizer opt = new Signum(params("momentum", 0.0, "lr_scheduler", scheduler, "begin_num_update", 1));
    Tensor w0 = Tensor.of(new double[] {0});
    Tensor w1 = Tensor.of(new double[] {0});
    assertEquals(1.0, step(opt, 0, w0), "index 0's count becomes 2: not past the step yet");
    assertEquals(2, opt.updateCount(0));
    assertEquals(1.0, step(opt, 1, w1));
    assertEquals(0.5, step(opt, 0, w0), "count 3 > 2: the scheduler sees the count after incrementing");
    assertEquals(3, opt.numUpdate());
    assertEquals(0.5, step(opt, 1, w1));
    assertEquals(3, opt.updateCount(1));
    assertEquals(1, opt.updateCount(7), "an index never updated reports begin_num_update");
  }

  @Test
  void multipliersByIndexAndByName() {
    Optimizer opt = new Signum(params("momentum", 0.0, "learning_rate", 0.5, "wd", 0.5,
        "param_idx2name", Map.of(0, "fc_weight", 1, "fc_bias", 2, "bn_gamma")));
    opt.setLrMult(Map.of(0, 2.0, "fc_bias", 0.5));
    // signSGD: w <- (1 - lr*wd)*w - lr*sign(g), with w = 1, g = -1: w + lr - lr*wd
    Tensor w0 = Tensor.of(new double[] {1});
    opt.update(0, w0, Tensor.of(new double[] {-1}), null);
    assertEquals((1 - 1.0 * 0.5) * 1 + 1.0, w0.get(0), "lr 0.5 * 2; wd 0.5 (names ending _weight keep wd)");
    Tensor w1 = Tensor.of(new double[] {1});
    opt.update(1, w1, Tensor.of(new double[] {-1}), null);
    assertEquals(1 + 0.25, w1.get(0), "lr 0.5 * 0.5 by name; wd_mult 0 for a bias");
    Tensor w2 = Tensor.of(new double[] {1});
    opt.update(2, w2, Tensor.of(new double[] {-1}), null);
    assertEquals((1 - 0.25) + 0.5, w2.get(0), "_gamma keeps its wd");
    opt.setWdMult(Map.of("fc_bias", 2.0));
    Tensor w1b = Tensor.of(new double[] {1});
    opt.update(1, w1b, Tensor.of(new double[] {-1}), null);
    assertEquals((1 - 0.25 * 1.0) + 0.25, w1b.get(0), "an explicit wd_mult overrides the bias default");
    assertThrows(IllegalArgumentException.class, () -> opt.setLrMult(Map.of(1.5, 2.0)));
  }

  @Test
  void learningRateWithAndWithoutScheduler() {
    Signum plain = new Signum(params("learning_rate", 0.1));
    plain.setLearningRate(0.2);
    assertEquals(0.2, plain.getLearningRate());
    assertThrows(IllegalArgumentException.class, () -> plain.setLearningRate(Double.NaN));
    Signum scheduled = new Signum(params("lr_scheduler", new FactorScheduler(10, 0.5)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> scheduled.setLearningRate(0.2));
    assertTrue(e.getMessage().startsWith("LRScheduler of the optimizer has already been defined."));
    assertEquals(0.01, scheduled.getLearningRate(), "the scheduler's base_lr, kept when learning_rate is not given");
  }

  @Test
  void explicitLearningRateOverwritesTheSchedulersBaseWithAWarning() {
    FactorScheduler scheduler = new FactorScheduler(10, 0.5);
    try (LogCapture log = new LogCapture()) {
      new Signum(params("lr_scheduler", scheduler, "learning_rate", 0.3));
      assertEquals(0.3, scheduler.baseLr());
      assertTrue(log.messages().stream().anyMatch(m -> m.contains("overwritten by learning_rate")));
    }
  }

  @Test
  void rescaleGradCanBeSetAsTrainersDo() {
    Signum signum = new Signum(params("momentum", 0.5));
    signum.setRescaleGrad(0.25);
    assertEquals(0.25, signum.rescaleGrad());
    assertEquals(-0.5f * 0.25f * 8f, momAfterOneStep(signum, 8f), "mom = -(1-m)*rescale_grad*grad");
    assertThrows(IllegalArgumentException.class, () -> signum.setRescaleGrad(Double.POSITIVE_INFINITY));
  }

  @Test
  @SuppressWarnings("deprecation")
  void setLrScaleIsDeprecatedAndThrows() {
    assertThrows(UnsupportedOperationException.class, () -> new Signum().setLrScale(Map.of(0, 1.0)));
  }

  @Test
  void clipGradientIsOnOnlyWhenSetAndPositive() {
    for (Object clip : new Object[] {null, 0.0, -1.0}) {
      Signum signum = new Signum(params("clip_gradient", clip, "momentum", 0.5));
      assertEquals(-0.5f * 10f, momAfterOneStep(signum), "clip_gradient " + clip + " does not clip");
    }
    assertEquals(-0.5f * 2f, momAfterOneStep(new Signum(params("clip_gradient", 2.0, "momentum", 0.5))));
  }

  private static float momAfterOneStep(Signum signum) {
    return momAfterOneStep(signum, 10f);
  }

  private static float momAfterOneStep(Signum signum, float grad) {
    Tensor weight = Tensor.of(new float[] {0});
    OptimizerState state = signum.createState(0, weight);
    signum.update(0, weight, Tensor.of(new float[] {grad}), state);
    return state.get("mom").floatData()[0];
  }

  // ---- bad arguments: a clear exception, and nothing written or counted ----

  private static void assertRejectedUntouched(Runnable update, Optimizer opt, Tensor weight, OptimizerState state,
      String messagePart) {
    double[] before = new double[weight.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = weight.get(i);
    }
    float[] momBefore = state == null || state.isEmpty() ? null : state.arrays().get(0).copy().floatData();
    int count = opt.numUpdate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, update::run);
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], weight.get(i));
    }
    if (momBefore != null) {
      assertArrayEquals(momBefore, state.arrays().get(0).floatData());
    }
    assertEquals(count, opt.numUpdate(), "a rejected update is not counted");
  }

  @Test
  void mismatchesThrowBeforeAnythingIsWritten() {
    Signum signum = new Signum();
    Tensor weight = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    OptimizerState state = signum.createState(0, weight);
    state.get("mom").floatData()[0] = 7f;
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new float[] {1, 1, 1, 1}, 4, 1), state), signum,
        weight, state, "grad has shape [4, 1] but the weight has shape [2, 2]");
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new double[] {1, 1, 1, 1}, 2, 2), state), signum,
        weight, state, "grad is float64 but the weight is float32");
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new float[4], 2, 2), null), signum, weight, null,
        "signum needs the states [mom]");
    OptimizerState wrongShape = signum.createState(0, Tensor.of(new float[4], 4));
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new float[4], 2, 2), wrongShape), signum, weight,
        wrongShape, "state 'mom' has shape [4]");
    OptimizerState stateless = new Signum(params("momentum", 0.0)).createState(0, weight);
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new float[4], 2, 2), stateless), signum, weight,
        stateless, "does not fit signum with these hyperparameters, which needs [mom]");
    OptimizerState foreign = new MomentumSgd().createState(0, weight);
    assertRejectedUntouched(() -> signum.update(0, weight, Tensor.of(new float[4], 2, 2), foreign), signum, weight,
        foreign, "of optimizer 'momentum_sgd' does not fit signum");
    Signum signSgd = new Signum(params("momentum", 0.0));
    assertRejectedUntouched(() -> signSgd.update(0, weight, Tensor.of(new float[4], 2, 2), state), signSgd, weight,
        state, "does not fit signum with these hyperparameters, which needs []");
    assertEquals(7f, state.get("mom").floatData()[0]);
  }

  @Test
  void parallelChunksGiveTheSameBitsAsOneCall() {
    java.util.Random random = new java.util.Random(7);
    float[] w = new float[100_003];
    float[] g = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
      g[i] = (float) random.nextGaussian();
    }
    Signum chunked = new Signum(params("clip_gradient", 0.5));
    chunked.setParallelThreshold(1000);
    Optimizer single = org.optikern.optim.InterpretedOptimizer.of(org.optikern.optimizers.SignumSpec.class,
        params("clip_gradient", 0.5));
    single.setParallelThreshold(Integer.MAX_VALUE);
    Tensor wc = Tensor.of(w.clone());
    Tensor ws = Tensor.of(w.clone());
    OptimizerState sc = chunked.createState(0, wc);
    OptimizerState ss = single.createState(0, ws);
    for (int step = 0; step < 3; step++) {
      chunked.update(0, wc, Tensor.of(g), sc);
      single.update(0, ws, Tensor.of(g), ss);
    }
    assertEquals(-1, Bits.firstDifference(ws.floatData(), wc.floatData()));
    assertEquals(-1, Bits.firstDifference(ss.get("mom").floatData(), sc.get("mom").floatData()));
    assertThrows(IllegalArgumentException.class, () -> chunked.setParallelThreshold(0));
  }

  @Test
  void kernelsCheckTheirRangeBeforeWriting() {
    var kernel = org.optikern.optimizers.SignumKernels.select(DType.FLOAT32, true, false);
    float[] weight = {1, 2, 3};
    float[] mom = {0, 0, 0};
    double[] scalars = {0.1, 0, 1, -1, 1, 0.9, 0};
    assertThrows(IndexOutOfBoundsException.class,
        () -> kernel.update(weight, new float[2], new Object[] {mom}, 0, 3, scalars));
    assertThrows(IndexOutOfBoundsException.class,
        () -> kernel.update(weight, new float[3], new Object[] {mom}, -1, 0, scalars));
    assertThrows(IllegalArgumentException.class, () -> kernel.update(weight, new float[3], new Object[0], 0, 3, scalars));
    assertThrows(IllegalArgumentException.class,
        () -> kernel.update(weight, new float[3], new Object[] {mom}, 0, 3, new double[6]));
    assertArrayEquals(new float[] {1, 2, 3}, weight);
    assertArrayEquals(new float[] {0, 0, 0}, mom);
  }

  @Test
  void multiPrecisionStatesAndPlainUpdatesDoNotMix() {
    Signum mp = new Signum(params("multi_precision", true));
    Tensor weight = Tensor.ofHalf(new short[] {Half.fromFloat(1f)});
    OptimizerState mpState = mp.createStateMultiPrecision(0, weight);
    assertRejectedUntouched(() -> mp.update(0, weight, Tensor.ofHalf(new short[1]), mpState), mp, weight, null,
        "update it with updateMultiPrecision");
    OptimizerState plain = mp.createState(0, weight);
    assertRejectedUntouched(() -> mp.updateMultiPrecision(0, weight, Tensor.ofHalf(new short[1]), plain), mp, weight,
        null, "needs the state from createStateMultiPrecision");
    assertRejectedUntouched(() -> mp.updateMultiPrecision(0, weight, Tensor.ofHalf(new short[2]), mpState), mp, weight,
        null, "grad has shape [2] but the weight has shape [1]");
  }

  @Test
  void nullArgumentsAreNamed() {
    Optimizer signum = Optimizer.create("signum");
    assertEquals("multipliers (use an empty map for none)",
        assertThrows(NullPointerException.class, () -> signum.setLrMult(null)).getMessage());
    assertEquals("multipliers (use an empty map for none)",
        assertThrows(NullPointerException.class, () -> signum.setWdMult(null)).getMessage());
    assertEquals("factory", assertThrows(NullPointerException.class, () -> Optimizer.register(null)).getMessage());
    assertEquals("weight", assertThrows(NullPointerException.class, () -> signum.createState(0, null)).getMessage());
  }

  @Test
  void parallelismIsAtLeastOne() {
    Optimizer signum = Optimizer.create("signum");
    assertEquals(Runtime.getRuntime().availableProcessors(), signum.parallelism());
    assertEquals("parallelism must be >= 1, found 0",
        assertThrows(IllegalArgumentException.class, () -> signum.setParallelism(0)).getMessage());
    signum.setParallelism(3);
    assertEquals(3, signum.parallelism());
  }
}
