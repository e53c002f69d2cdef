package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.optimizers.SignumKernels;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.DType;
import org.optikern.tests.specs.MomentumSgdKernels;
import org.optikern.tests.specs.MomentumSgdSpec;
import org.optikern.tests.specs.PrimitivesKernels;
import org.optikern.tests.specs.PrimitivesSpec;
import org.optikern.tests.specs.ProbeKernels;
import org.optikern.tests.specs.ProbeSpec;

/**
 * Every generated kernel equals the interpreter of the same spec bit for bit (NaN as NaN), on
 * weights and states, inside the updated range and, untouched, outside it: the 12 kernels of
 * Signum, and those of the test specs in this module.
 */
class KernelsMatchInterpreterProperties {
  /** A spec, its interpreter and its generated kernels. */
  record Subject(OptimizerModel model, Interpreter interpreter, List<UpdateKernel> kernels) {
    /** The scalar kernels and, when this JVM runs SIMD, their SIMD twins. */
    static Subject of(Class<?> spec, List<UpdateKernel> scalar, List<UpdateKernel> vector) {
      OptimizerModel model = SpecReader.model(spec);
      List<UpdateKernel> kernels = new java.util.ArrayList<>(scalar);
      kernels.addAll(vector);
      return new Subject(model, new Interpreter(model), List.copyOf(kernels));
    }
  }

  private static final Subject SIGNUM = Subject.of(SignumSpec.class, SignumKernels.SCALAR, SignumKernels.vector());
  private static final List<Subject> TEST_SPECS = List.of(
      Subject.of(MomentumSgdSpec.class, MomentumSgdKernels.SCALAR, MomentumSgdKernels.vector()),
      Subject.of(PrimitivesSpec.class, PrimitivesKernels.SCALAR, PrimitivesKernels.vector()),
      Subject.of(ProbeSpec.class, ProbeKernels.SCALAR, ProbeKernels.vector()));

  /** One kernel call: arrays with {@code offset} leading and some trailing elements outside the range. */
  record Call(Subject subject, UpdateKernel kernel, int offset, int length, Object weight, Object grad,
      Object[] states, double[] scalars) {
    @Override
    public String toString() {
      return kernel.getClass().getSimpleName() + " offset=" + offset + " length=" + length + " scalars="
          + Arrays.toString(scalars);
    }
  }

  @Property(tries = 3000)
  void signumKernelsEqualTheInterpreter(@ForAll("signumCalls") Call call) {
    check(call);
    // every kernel (12 scalar, and 8 SIMD when on) is exercised, not just the first few
    Statistics.label("kernel").collect(call.kernel().getClass().getSimpleName());
    Statistics.label("kernel").coverage(c -> SIGNUM.kernels().forEach(
        k -> c.check(k.getClass().getSimpleName()).count(n -> n >= 40)));
  }

  @Property(tries = 2000)
  void testSpecKernelsEqualTheInterpreter(@ForAll("testSpecCalls") Call call) {
    check(call);
  }

  private static void check(Call call) {
    Object kernelWeight = Bits.copy(call.weight());
    Object[] kernelStates = copies(call.states());
    call.kernel().update(kernelWeight, call.grad(), kernelStates, call.offset(), call.length(), call.scalars());

    Object interpretedWeight = Bits.copy(call.weight());
    Object[] interpretedStates = copies(call.states());
    call.subject().interpreter().update(call.kernel().switches(), interpretedWeight, call.grad(), interpretedStates, call.offset(),
        call.length(), call.scalars());

    assertSame(call, "weight", interpretedWeight, kernelWeight);
    for (int s = 0; s < kernelStates.length; s++) {
      assertSame(call, call.kernel().stateNames().get(s), interpretedStates[s], kernelStates[s]);
    }
  }

  @Provide
  Arbitrary<Call> signumCalls() {
    return calls(SIGNUM);
  }

  @Provide
  Arbitrary<Call> testSpecCalls() {
    return Arbitraries.of(TEST_SPECS).flatMap(KernelsMatchInterpreterProperties::calls);
  }

  private static Arbitrary<Call> calls(Subject subject) {
    return Arbitraries.of(subject.kernels()).flatMap(kernel -> {
      Arbitrary<Integer> offsets = Arbitraries.integers().between(0, 5);
      Arbitrary<Integer> lengths = Arbitraries.integers().between(0, 70);
      Arbitrary<Integer> tails = Arbitraries.integers().between(0, 3);
      return Combinators.combine(offsets, lengths, tails).flatAs((offset, length, tail) -> {
        int size = offset + length + tail;
        DType dtype = kernel.dtype();
        Arbitrary<Object[]> states = SpecialValues.array(dtype, size).list().ofSize(kernel.stateNames().size())
            .map(List::toArray);
        Arbitrary<double[]> scalars = SpecialValues.scalars().array(double[].class)
            .ofSize(subject.model().scalarNames().size());
        return Combinators.combine(SpecialValues.array(dtype, size), SpecialValues.array(dtype, size), states, scalars)
            .as((weight, grad, stateArrays, s) -> new Call(subject, kernel, offset, length, weight, grad, stateArrays, s));
      });
    });
  }

  private static Object[] copies(Object[] arrays) {
    Object[] result = new Object[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      result[i] = Bits.copy(arrays[i]);
    }
    return result;
  }

  private static void assertSame(Call call, String what, Object interpreted, Object generated) {
    int i = Bits.firstDifference(interpreted, generated);
    if (i >= 0) {
      fail(call + ": " + what + "[" + i + "] is " + Bits.describe(generated, i) + " from the kernel, "
          + Bits.describe(interpreted, i) + " from the interpreter");
    }
  }
}
