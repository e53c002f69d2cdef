package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.SwitchSet;
import org.optikern.optimizers.SignumKernels;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * The generated Signum kernels against outputs of real MXNet 1.9.1 (240 cases with NaN, +-Inf,
 * +-0, subnormals and huge values): float32 and float64 bit for bit; float16 bit for bit through
 * the interpreter's MXNet half arithmetic (round to half after every operation).
 */
class ConformanceWithMxnetTest {
  private static final List<GoldenCase> CASES = GoldenCase.load();
  private static final Interpreter INTERPRETER = new Interpreter(SpecReader.model(SignumSpec.class));

  static Stream<GoldenCase> float32And64() {
    return CASES.stream().filter(c -> c.dtype() != DType.FLOAT16);
  }

  static Stream<GoldenCase> float16() {
    return CASES.stream().filter(c -> c.dtype() == DType.FLOAT16);
  }

  @Test
  void theGoldenFileHasEveryKindOfCase() {
    assertEquals(240, CASES.size());
    for (DType dtype : DType.values()) {
      for (String op : List.of("signum_update", "signsgd_update")) {
        assertTrue(CASES.stream().anyMatch(c -> c.dtype() == dtype && c.op().equals(op)), dtype + " " + op);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("float32And64")
  void generatedKernelsReproduceMxnetBitForBit(GoldenCase c) {
    UpdateKernel kernel = SignumKernels.select(c.dtype(), c.hasMomentum(), clipsAtKernelLevel(c));
    Object weight = Bits.array(c.dtype(), c.weight());
    Object mom = c.hasMomentum() ? Bits.array(c.dtype(), c.mom()) : null;
    Object[] states = c.hasMomentum() ? new Object[] {mom} : new Object[0];
    for (long[] grad : c.grads()) {
      kernel.update(weight, Bits.array(c.dtype(), grad), states, 0, c.weight().length, scalars(c));
    }
    assertSameBits(c, "weight", Bits.array(c.dtype(), c.outWeight()), weight);
    if (c.hasMomentum()) {
      assertSameBits(c, "mom", Bits.array(c.dtype(), c.outMom()), mom);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("float16")
  void interpreterInMxnetHalfArithmeticReproducesMxnetBitForBit(GoldenCase c) {
    short[] weight = (short[]) Bits.array(DType.FLOAT16, c.weight());
    short[] mom = c.hasMomentum() ? (short[]) Bits.array(DType.FLOAT16, c.mom()) : null;
    short[][] states = c.hasMomentum() ? new short[][] {mom} : new short[0][];
    for (long[] grad : c.grads()) {
      INTERPRETER.updateWithMxnetHalfArithmetic(switches(c), weight, (short[]) Bits.array(DType.FLOAT16, grad),
          states, 0, weight.length, scalars(c));
    }
    assertSameBits(c, "weight", Bits.array(DType.FLOAT16, c.outWeight()), weight);
    if (c.hasMomentum()) {
      assertSameBits(c, "mom", Bits.array(DType.FLOAT16, c.outMom()), mom);
    }
  }

  /**
   * The generated half kernels round once per stored value, and take scalars as floats, where
   * MXNet rounds scalars to half and rounds after every operation. This measures how often that
   * changes the result (the README quotes it) and checks that it never changes more than the
   * sign steps can: at most 2*lr per update.
   */
  @Test
  void generatedHalfKernelsDifferFromMxnetByLessThanTheSignStep() {
    int elements = 0;
    int differing = 0;
    double worst = 0;
    for (GoldenCase c : float16().toList()) {
      UpdateKernel kernel = SignumKernels.select(DType.FLOAT16, c.hasMomentum(), clipsAtKernelLevel(c));
      short[] weight = (short[]) Bits.array(DType.FLOAT16, c.weight());
      Object[] states = c.hasMomentum() ? new Object[] {Bits.array(DType.FLOAT16, c.mom())} : new Object[0];
      for (long[] grad : c.grads()) {
        kernel.update(weight, Bits.array(DType.FLOAT16, grad), states, 0, weight.length, scalars(c));
      }
      short[] expected = (short[]) Bits.array(DType.FLOAT16, c.outWeight());
      elements += weight.length;
      for (int i = 0; i < weight.length; i++) {
        if (Bits.canonical(expected, i) == Bits.canonical(weight, i)) {
          continue;
        }
        differing++;
        double difference = Math.abs(Half.toFloat(expected[i]) - Half.toFloat(weight[i]));
        double signSteps = 2.0 * c.param("lr") * c.grads().size();
        worst = Math.max(worst, difference / signSteps);
        assertTrue(difference <= signSteps, c + ": weight[" + i + "] is " + Bits.describe(weight, i) + ", MXNet "
            + Bits.describe(expected, i) + ": more than 2*lr per update apart");
      }
    }
    System.out.printf("float16 one-rounding kernels vs MXNet half_t: %d of %d weight elements differ (%.1f%%), "
        + "by at most %.3f of 2*lr*steps%n", differing, elements, 100.0 * differing / elements, worst);
  }

  private static boolean clipsAtKernelLevel(GoldenCase c) {
    return c.param("clip_gradient") >= 0;
  }

  private static SwitchSet switches(GoldenCase c) {
    return SwitchSet.of(List.of("momentum", OptimizerModel.CLIPPED), c.hasMomentum(), clipsAtKernelLevel(c));
  }

  /**
   * MXNet's float parameters, widened exactly; signsgd_update has neither momentum nor wd_lh. Signum
   * does not read t, so any count will do.
   */
  private static double[] scalars(GoldenCase c) {
    return new double[] {c.param("lr"), c.param("wd"), c.param("rescale_grad"), c.param("clip_gradient"), 1,
        c.param("momentum"), c.param("wd_lh")};
  }

  private static void assertSameBits(GoldenCase c, String what, Object expected, Object actual) {
    int i = Bits.firstDifference(expected, actual);
    if (i >= 0) {
      fail(c + ": " + what + "[" + i + "] is " + Bits.describe(actual, i) + ", MXNet computed "
          + Bits.describe(expected, i) + " (" + Bits.countDifferences(expected, actual) + " elements differ)");
    }
  }
}
