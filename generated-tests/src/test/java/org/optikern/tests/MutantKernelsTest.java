package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.SwitchSet;
import org.optikern.optimizers.SignumMomentumClippedF32Kernel;
import org.optikern.optimizers.SignumNoMomentumClippedF32Kernel;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.DType;
import org.optikern.verify.KernelVerification;

/**
 * Deliberately wrong kernels that the strengthened checks kill and the earlier ones let through.
 */
class MutantKernelsTest {
  private static final Interpreter SIGNUM = KernelVerification.interpreterOf(SignumSpec.class);
  private static final SwitchSet MOMENTUM_CLIPPED = SwitchSet.of(List.of("momentum", "clipped"), true, true);

  /** Delegates everything, so it is self-consistent: its variant and its body agree. */
  private static class Delegating implements UpdateKernel {
    final UpdateKernel inner;

    Delegating(UpdateKernel inner) {
      this.inner = inner;
    }

    @Override
    public DType dtype() {
      return inner.dtype();
    }

    @Override
    public SwitchSet switches() {
      return inner.switches();
    }

    @Override
    public List<String> stateNames() {
      return inner.stateNames();
    }

    @Override
    public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
      inner.update(weight, grad, states, offset, length, scalars);
    }
  }

  private static boolean fails(Runnable check) {
    try {
      check.run();
      return false;
    } catch (AssertionError expected) {
      return true;
    }
  }

  /** How many of {@code tries} seeds the check rejects. */
  private static int killed(Runnable... checks) {
    int count = 0;
    for (Runnable check : checks) {
      count += fails(check) ? 1 : 0;
    }
    return count;
  }

  @Test
  void aKernelGeneratedFromTheWrongUpdateIsKilledByTheVariantCheck() {
    // "SignumMomentumClippedF32Kernel" written from the momentum-free @Update, and labelled by it
    UpdateKernel wrongUpdate = new Delegating(SignumNoMomentumClippedF32Kernel.INSTANCE);
    for (long seed = 0; seed < 20; seed++) {
      long s = seed;
      // the old check asked the kernel which variant it is, so the interpreter ran the same wrong update
      KernelVerification.check(wrongUpdate, SIGNUM, s);
      assertThrows(AssertionError.class,
          () -> KernelVerification.check(wrongUpdate, DType.FLOAT32, MOMENTUM_CLIPPED, SIGNUM, s));
    }
    // the right kernel passes the new check
    KernelVerification.check(SignumMomentumClippedF32Kernel.INSTANCE, DType.FLOAT32, MOMENTUM_CLIPPED, SIGNUM, 1);
  }

  @Test
  void aKernelThatWritesIntoTheGradientIsKilled() {
    UpdateKernel writesGrad = new Delegating(SignumMomentumClippedF32Kernel.INSTANCE) {
      @Override
      public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
        super.update(weight, grad, states, offset, length, scalars);
        if (length > 0) {
          ((float[]) grad)[offset] = 0.25f;
        }
      }
    };
    Runnable[] checks = new Runnable[50];
    for (int seed = 0; seed < checks.length; seed++) {
      long s = seed;
      checks[seed] = () -> KernelVerification.check(writesGrad, DType.FLOAT32, MOMENTUM_CLIPPED, SIGNUM, s);
    }
    assertTrue(killed(checks) >= 40, "the gradient is compared after every case with a non-empty range");
  }

  /**
   * A float16 kernel wrong only past its first 2048-element block (a block-loop bug): a suite of
   * 300 tries must meet it. Before sizes were drawn on purpose, about 0.6% of tries were longer
   * than a block (measured with that distribution: 0 of these 300 seeds met this mutant); now about
   * one in twenty (16 of these 300).
   */
  @Test
  void aKernelWrongOnlyPastTheFirstBlockIsMetBySuiteSizedRuns() {
    UpdateKernel pastOneBlock = new Delegating(org.optikern.optimizers.SignumMomentumClippedF16Kernel.INSTANCE) {
      @Override
      public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
        super.update(weight, grad, states, offset, length, scalars);
        if (length > 2048) {
          ((short[]) weight)[offset + 2048] ^= 1;
        }
      }
    };
    Runnable[] checks = new Runnable[300];
    for (int seed = 0; seed < checks.length; seed++) {
      long s = seed;
      checks[seed] = () -> KernelVerification.check(pastOneBlock, DType.FLOAT16, MOMENTUM_CLIPPED, SIGNUM, s);
    }
    int kills = killed(checks);
    System.out.println("a kernel wrong past its first float16 block: killed by " + kills + " of 300 tries");
    assertTrue(kills >= 10, "only " + kills + " of 300 tries reached past the first block");
  }
}
