package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.MultiFactorScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.PolyScheduler;
import org.optikern.optimizers.Signum;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/**
 * Golden cases for what the MXNet goldens cannot show, worked out by hand from the reference
 * formulas (the working is in the comments). Each runs through the generated optimizer and through
 * the interpreted one: both must give exactly these values.
 */
class OwnGoldenCasesTest {
  private static Optimizer optimizer(boolean generated, Map<String, Object> params) {
    return generated ? new Signum(params) : InterpretedOptimizer.of(SignumSpec.class, params);
  }

  private static Map<String, Object> params(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  /**
   * momentum = 0 with wd_lh, which MXNet 1.9.1 cannot run: w = (1 - lr*(wd + wd_lh))*w - lr*sign(g).
   * lr 0.5, wd 0.25, wd_lh 0.25: w = 0.75*w - 0.5*sign(g).
   */
  @ParameterizedTest(name = "generated={0}")
  @ValueSource(booleans = {true, false})
  void signSgdWithDecoupledWdLh(boolean generated) {
    Optimizer opt = optimizer(generated, params("momentum", 0.0, "learning_rate", 0.5, "wd", 0.25, "wd_lh", 0.25));
    Tensor weight = Tensor.of(new float[] {2f, -4f, 1f, Float.NaN, 0f});
    Tensor grad = Tensor.of(new float[] {1f, -3f, 0f, Float.NaN, -0f});
    opt.update(0, weight, grad, opt.createState(0, weight));
    // 0.75*2 - 0.5 = 1; 0.75*-4 + 0.5 = -2.5; sign(0) = 0; NaN stays; sign(-0) = 0 and 0.75*0 = +0
    assertArrayEquals(new float[] {1f, -2.5f, 0.75f, Float.NaN, 0f}, weight.floatData());
    assertEquals(0, Float.floatToRawIntBits(weight.floatData()[4]), "+0, not -0");
    opt.update(0, weight, grad, null);
    assertArrayEquals(new float[] {0.25f, -1.375f, 0.5625f, Float.NaN, 0f}, weight.floatData());
  }

  /**
   * Signum with clipping, rescaling and decoupled decay over three steps, where the momentum passes
   * through exactly 0 (sign(0) = 0: no step). momentum 0.5, lr 0.25, wd_lh 0.5, clip 1, rescale 2.
   */
  @ParameterizedTest(name = "generated={0}")
  @ValueSource(booleans = {true, false})
  void signumThroughAZeroMomentum(boolean generated) {
    Optimizer opt = optimizer(generated, params("momentum", 0.5, "learning_rate", 0.25, "wd_lh", 0.5,
        "clip_gradient", 1.0, "rescale_grad", 2.0));
    Tensor weight = Tensor.of(new float[] {1f});
    OptimizerState state = opt.createState(0, weight);
    float[] mom = state.get("mom").floatData();
    opt.update(0, weight, Tensor.of(new float[] {0.75f}), state);
    // mom = 0.5*0 - 0.5*0*w - 0.5*clip(1.5, 1) = -0.5; w = (1 - 0.125)*1 + 0.25*sign(-0.5) = 0.625
    assertEquals(-0.5f, mom[0]);
    assertEquals(0.625f, weight.floatData()[0]);
    opt.update(0, weight, Tensor.of(new float[] {-0.25f}), state);
    // mom = 0.5*-0.5 - 0.5*clip(-0.5, 1) = -0.25 + 0.25 = 0; w = 0.875*0.625 = 0.546875
    assertEquals(0f, mom[0]);
    assertEquals(0.546875f, weight.floatData()[0]);
    opt.update(0, weight, Tensor.of(new float[] {-1f}), state);
    // mom = 0 - 0.5*clip(-2, 1) = 0.5; w = 0.875*0.546875 + 0.25 = 0.728515625
    assertEquals(0.5f, mom[0]);
    assertEquals(0.728515625f, weight.floatData()[0]);
  }

  /**
   * Multi-precision float16: with lr 1e-4 a float16 weight of 1 cannot move (1 - 1e-4 rounds back
   * to 1: the half spacing below 1 is 2^-11 ~ 4.9e-4), but the float32 master copy accumulates
   * three steps to 1 - 3e-4, which rounds to the half 0.99951171875 (0x3bff).
   */
  @ParameterizedTest(name = "generated={0}")
  @ValueSource(booleans = {true, false})
  void multiPrecisionAccumulatesWhatFloat16Cannot(boolean generated) {
    Tensor grad = Tensor.ofHalf(new short[] {Half.fromFloat(0.5f)});
    Optimizer mp = optimizer(generated, params("momentum", 0.0, "learning_rate", 1e-4, "multi_precision", true));
    Tensor weight = Tensor.ofHalf(new short[] {Half.fromFloat(1f)});
    OptimizerState state = mp.createStateMultiPrecision(0, weight);
    Optimizer plain = optimizer(generated, params("momentum", 0.0, "learning_rate", 1e-4));
    Tensor plainWeight = Tensor.ofHalf(new short[] {Half.fromFloat(1f)});
    for (int step = 0; step < 3; step++) {
      mp.updateMultiPrecision(0, weight, grad, state);
      plain.updateMultiPrecision(0, plainWeight, grad, plain.createState(0, plainWeight));
    }
    float lr = (float) 1e-4;
    assertEquals(((1f - lr) - lr) - lr, state.master().orElseThrow().floatData()[0]);
    assertEquals((short) 0x3bff, weight.halfData()[0]);
    assertEquals((short) 0x3c00, plainWeight.halfData()[0], "without a master copy the weight never moves");
  }

  /**
   * A MultiFactor schedule with lr and wd multipliers over interleaved updates of two parameters,
   * on signSGD (g = -1, so each step adds the effective lr after (1 - lr*wd) decay). Steps [2, 3],
   * factor 0.5, base 1; a_weight has wd 0.5, a_bias lr_mult 0.5 and (by its name) wd_mult 0.
   * Each update counts first, then reads the schedule at num_update (the max count):
   * <pre>
   * idx0 n=1 lr 1:    w0 = (1 - 0.5)*4 + 1          = 3
   * idx1 n=1 lr .5:   w1 = 2 + 0.5                  = 2.5
   * idx0 n=2 lr 1:    w0 = 0.5*3 + 1                = 2.5
   * idx1 n=2 lr .5:   w1 = 3
   * idx0 n=3 lr .5:   w0 = (1 - 0.25)*2.5 + 0.5     = 2.375
   * idx1 n=3 lr .25:  w1 = 3.25
   * idx0 n=4 lr .25:  w0 = (1 - 0.125)*2.375 + 0.25 = 2.328125
   * </pre>
   */
  @ParameterizedTest(name = "generated={0}")
  @ValueSource(booleans = {true, false})
  void multiFactorScheduleWithMultipliers(boolean generated) {
    Optimizer opt = optimizer(generated, params("momentum", 0.0, "wd", 0.5,
        "lr_scheduler", new MultiFactorScheduler(new int[] {2, 3}, 0.5, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR),
        "param_idx2name", Map.of(0, "a_weight", 1, "a_bias")));
    opt.setLrMult(Map.of("a_bias", 0.5));
    Tensor w0 = Tensor.of(new double[] {4});
    Tensor w1 = Tensor.of(new double[] {2});
    Supplier<Tensor> minusOne = () -> Tensor.of(new double[] {-1});
    List<Double> seen0 = new java.util.ArrayList<>();
    List<Double> seen1 = new java.util.ArrayList<>();
    for (int round = 0; round < 4; round++) {
      opt.update(0, w0, minusOne.get(), null);
      seen0.add(w0.get(0));
      if (round < 3) {
        opt.update(1, w1, minusOne.get(), null);
        seen1.add(w1.get(0));
      }
    }
    assertEquals(List.of(3.0, 2.5, 2.375, 2.328125), seen0);
    assertEquals(List.of(2.5, 3.0, 3.25), seen1);
    assertEquals(4, opt.numUpdate());
  }

  /**
   * Poly schedule (max_update 4, pwr 1, final 0) after a constant warmup of 2 updates at 0.5:
   * lr = 0.5, then 1 - (n-2)/2 for n = 2..4, then the last value. w starts at 0, g = -1.
   */
  @ParameterizedTest(name = "generated={0}")
  @ValueSource(booleans = {true, false})
  void polyScheduleAfterConstantWarmup(boolean generated) {
    Optimizer opt = optimizer(generated, params("momentum", 0.0,
        "lr_scheduler", new PolyScheduler(4, 1.0, 1, 0, 2, 0.5, LrScheduler.WarmupMode.CONSTANT)));
    Tensor w = Tensor.of(new double[] {0});
    double[] seen = new double[5];
    for (int n = 0; n < 5; n++) {
      opt.update(0, w, Tensor.of(new double[] {-1}), null);
      seen[n] = w.get(0);
    }
    // n=1: warmup 0.5; n=2: 1.0; n=3: 0.5; n=4: 0; n=5: stays 0
    assertArrayEquals(new double[] {0.5, 1.5, 2.0, 2.0, 2.0}, seen);
  }
}
