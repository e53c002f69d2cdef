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
   * The generated half kernels round once per stored value, where MXNet rounds after every
   * operation (both get the scalars rounded to half here, as MXNet's are). Each element of
   * {@code weight} and {@code mom} must be as MXNet's or within the error bound those roundings
   * allow: an independent double-precision Signum ({@link HalfErrorBound}) carries, per element,
   * a bound on how far a computation rounding to half can stray from it, including a sign that may
   * flip where the momentum (or rescaled gradient) is within its bound of 0; both results are within
   * it, so they differ by at most twice. Elements that leave half's range in double (NaN, infinity,
   * beyond 65504) are counted apart. The counts are asserted: they are the figures
   * docs/verification.md quotes. A kernel that does nothing, or drops the momentum, fails.
   */
  @Test
  void generatedHalfKernelsDifferFromMxnetOnlyByRounding() {
    HalfComparison all = compareWithMxnet(c -> SignumKernels.select(DType.FLOAT16, c.hasMomentum(), clipsAtKernelLevel(c)));
    System.out.println("float16 one-rounding kernels vs MXNet half_t: " + all);
    assertEquals(List.of(), all.violations, "elements outside the rounding bounds");
    assertEquals(EXPECTED_HALF_FIGURES, all.figures(), "the figures docs/verification.md quotes");
  }

  /**
   * The production path: the optimizer hands the kernel float scalars, not half-rounded ones. Then
   * the results differ more often (the figure docs/verification.md quotes, asserted), and never by
   * more than the sign steps can move a weight: 2*lr per update.
   */
  @Test
  void withFloatScalarsTheyDifferByLessThanTheSignSteps() {
    int elements = 0;
    int differing = 0;
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
        assertTrue(difference <= 2.0 * c.param("lr") * c.grads().size(), c + ": weight[" + i + "] is "
            + Bits.describe(weight, i) + ", MXNet " + Bits.describe(expected, i) + ": more than 2*lr per update apart");
      }
    }
    System.out.printf("float16 kernels with float scalars vs MXNet: %d of %d weight elements differ%n", differing,
        elements);
    assertEquals(FLOAT_SCALAR_DIFFERENCES, differing, "the figure docs/verification.md quotes");
  }

  /** Weight elements that differ from MXNet's with float scalars (of 4147; docs/verification.md: 30.5%). */
  static final int FLOAT_SCALAR_DIFFERENCES = 1264;

  @Test
  void aKernelThatDoesNothingOrDropsTheMomentumFailsTheBound() {
    UpdateKernel nothing = new UpdateKernel() {
      @Override
      public DType dtype() {
        return DType.FLOAT16;
      }

      @Override
      public SwitchSet switches() {
        return SwitchSet.of(List.of());
      }

      @Override
      public List<String> stateNames() {
        return List.of();
      }

      @Override
      public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {}
    };
    HalfComparison noOp = compareWithMxnet(c -> nothing);
    System.out.println("a no-op float16 kernel against MXNet: " + noOp);
    assertTrue(noOp.violations.size() > 1000, "a no-op kernel passes the bound");
    // signSGD's kernel where MXNet ran Signum with momentum: the state is never updated
    HalfComparison noMomentum = compareWithMxnet(c -> SignumKernels.select(DType.FLOAT16, false, clipsAtKernelLevel(c)));
    System.out.println("signSGD's float16 kernel where MXNet ran Signum: " + noMomentum);
    assertTrue(noMomentum.violations.size() > 500, "dropping the momentum passes the bound: " + noMomentum);
  }

  /** weight: identical, within the bound, outside half's range; mom: identical, within, outside the range. */
  static final List<Integer> EXPECTED_HALF_FIGURES = List.of(3008, 1099, 40, 2252, 1027, 22);

  static HalfComparison compareWithMxnet(java.util.function.Function<GoldenCase, UpdateKernel> kernels) {
    HalfComparison all = new HalfComparison();
    for (GoldenCase c : float16().toList()) {
      double[] scalars = scalars(c);
      for (int s = 0; s < scalars.length; s++) {
        scalars[s] = Half.toFloat(Half.fromDouble(scalars[s]));
      }
      short[] weight = (short[]) Bits.array(DType.FLOAT16, c.weight());
      short[] mom = c.hasMomentum() ? (short[]) Bits.array(DType.FLOAT16, c.mom()) : null;
      UpdateKernel kernel = kernels.apply(c);
      Object[] states = kernel.stateNames().isEmpty() ? new Object[0] : new Object[] {mom};
      for (long[] grad : c.grads()) {
        kernel.update(weight, Bits.array(DType.FLOAT16, grad), states, 0, weight.length, scalars);
      }
      all.add(c, scalars, weight, mom);
    }
    return all;
  }

  /**
   * Signum in double from the same half inputs and half-rounded scalars, with a running bound on
   * the error of any evaluation that rounds each operation (or only each store) to half: every
   * operation adds at most {@link #UNIT} times the magnitudes it combines, {@link #ROUNDINGS} times
   * over, the momentum's bound decays with it, and a sign that may differ adds its step.
   */
  record HalfErrorBound(double weight, double weightBound, double mom, double momBound, boolean special) {
    static final double UNIT = 0x1p-11;
    static final int ROUNDINGS = 4;
    /** Half's smallest subnormal: below it, relative bounds say nothing. */
    static final double FLOOR = 0x1p-24;

    static HalfErrorBound of(GoldenCase c, double[] scalars, int i) {
      double lr = scalars[0];
      double wd = scalars[1];
      double rescale = scalars[2];
      double clip = scalars[3];
      double momentum = scalars[5];
      double wdLh = scalars[6];
      boolean clipped = clipsAtKernelLevel(c);
      double w = Half.toFloat(((short[]) Bits.array(DType.FLOAT16, c.weight()))[i]);
      double m = c.hasMomentum() ? Half.toFloat(((short[]) Bits.array(DType.FLOAT16, c.mom()))[i]) : 0;
      double errW = 0;
      double errM = 0;
      boolean special = false;
      for (long[] gradBits : c.grads()) {
        double g = Half.toFloat(((short[]) Bits.array(DType.FLOAT16, gradBits))[i]);
        double scaled = rescale * g;
        double gr = clipped ? Math.max(-clip, Math.min(clip, scaled)) : scaled;
        double errG = ROUNDINGS * UNIT * Math.abs(scaled) + FLOOR;
        double step;
        double stepBound;
        if (c.hasMomentum()) {
          double a = momentum * m;
          double b = (1 - momentum) * wd * w;
          double d = (1 - momentum) * gr;
          m = a - b - d;
          errM = momentum * errM + (1 - momentum) * (wd * errW + errG)
              + ROUNDINGS * UNIT * (Math.abs(a) + Math.abs(b) + Math.abs(d) + Math.abs(m)) + FLOOR;
          step = lr * Math.signum(m);
          stepBound = Math.abs(m) <= errM ? 2 * lr : 0;
          w = (1 - lr * wdLh) * w + step;
          errW = Math.abs(1 - lr * wdLh) * errW + ROUNDINGS * UNIT * (Math.abs(w) + lr) + stepBound + FLOOR;
        } else {
          // signsgd_update (and the spec) take the sign of the raw gradient: a half, exact, so no step is in doubt
          step = -lr * Math.signum(g);
          stepBound = 0;
          w = (1 - lr * (wd + wdLh)) * w + step;
          errW = Math.abs(1 - lr * (wd + wdLh)) * errW + ROUNDINGS * UNIT * (Math.abs(w) + lr) + stepBound + FLOOR;
        }
        special |= !Double.isFinite(w) || !Double.isFinite(m) || Math.abs(w) > 65504 || Math.abs(m) > 65504
            || !Double.isFinite(g) || Math.abs(scaled) > 65504 || Math.abs(w * wd) > 65504;
      }
      return new HalfErrorBound(w, errW, m, errM, special);
    }
  }

  /** Per-element comparison of float16 results with MXNet's, by kind. */
  static final class HalfComparison {
    int weightSame;
    int weightWithin;
    int weightSpecial;
    int momSame;
    int momWithin;
    int momSpecial;
    final List<String> violations = new java.util.ArrayList<>();

    void add(GoldenCase c, double[] scalars, short[] weight, short[] mom) {
      short[] expectedWeight = (short[]) Bits.array(DType.FLOAT16, c.outWeight());
      short[] expectedMom = c.hasMomentum() ? (short[]) Bits.array(DType.FLOAT16, c.outMom()) : null;
      for (int i = 0; i < weight.length; i++) {
        HalfErrorBound bound = HalfErrorBound.of(c, scalars, i);
        if (Bits.canonical(expectedWeight, i) == Bits.canonical(weight, i)) {
          weightSame++;
        } else if (bound.special()) {
          weightSpecial++;
        } else if (apart(expectedWeight[i], weight[i]) <= 2 * bound.weightBound()) {
          weightWithin++;
        } else {
          violations.add(c + " weight[" + i + "]: " + Bits.describe(weight, i) + ", MXNet "
              + Bits.describe(expectedWeight, i) + ", bound " + 2 * bound.weightBound());
        }
        if (expectedMom == null) {
          continue;
        }
        if (Bits.canonical(expectedMom, i) == Bits.canonical(mom, i)) {
          momSame++;
        } else if (bound.special()) {
          momSpecial++;
        } else if (apart(expectedMom[i], mom[i]) <= 2 * bound.momBound()) {
          momWithin++;
        } else {
          violations.add(c + " mom[" + i + "]: " + Bits.describe(mom, i) + ", MXNet " + Bits.describe(expectedMom, i)
              + ", bound " + 2 * bound.momBound());
        }
      }
    }

    private static double apart(short a, short b) {
      double difference = Math.abs((double) Half.toFloat(a) - Half.toFloat(b));
      return Double.isNaN(difference) ? Double.POSITIVE_INFINITY : difference;
    }

    List<Integer> figures() {
      return List.of(weightSame, weightWithin, weightSpecial, momSame, momWithin, momSpecial);
    }

    @Override
    public String toString() {
      int weights = weightSame + weightWithin + weightSpecial;
      return String.format("weight: %d identical, %d within the rounding bound, %d out of half's range (%.1f%% of "
          + "%d differ); mom: %d identical, %d within the bound, %d out of range; %d outside the bounds",
          weightSame, weightWithin, weightSpecial, 100.0 * (weights - weightSame) / Math.max(1, weights), weights,
          momSame, momWithin, momSpecial, violations.size());
    }
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
