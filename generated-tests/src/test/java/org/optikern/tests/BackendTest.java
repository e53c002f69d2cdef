package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optikern.kernel.UpdateKernel;
import org.optikern.kernel.VectorSupport;
import org.optikern.optimizers.SignumKernels;
import org.optikern.tensor.DType;

/**
 * Which back end this JVM chose. The build runs the suites twice: plainly (scalar kernels) and with
 * {@code --add-modules jdk.incubator.vector} and {@code -Doptikern.expectSimd=true} (SIMD kernels).
 */
class BackendTest {
  private static final boolean EXPECT_SIMD = Boolean.getBoolean("optikern.expectSimd");

  @Test
  void theExpectedBackEndIsChosen() {
    assertEquals(EXPECT_SIMD, VectorSupport.enabled());
    assertEquals(EXPECT_SIMD ? 12 : 0, SignumKernels.vector().size(), "SIMD twins of every kernel");
    UpdateKernel f32 = SignumKernels.select(DType.FLOAT32, true, true);
    assertEquals(EXPECT_SIMD ? "SignumMomentumClippedF32VectorKernel" : "SignumMomentumClippedF32Kernel",
        f32.getClass().getSimpleName());
    // where the JDK converts halfs itself (from 21), C2 vectorizes the scalar float16 kernels, faster
    boolean halfLanes = EXPECT_SIMD && !VectorSupport.scalarHalfLoopsVectorize();
    assertEquals(halfLanes ? "SignumMomentumClippedF16VectorKernel" : "SignumMomentumClippedF16Kernel",
        SignumKernels.select(DType.FLOAT16, true, true).getClass().getSimpleName());
    assertTrue(SignumKernels.SCALAR.size() == 12);
  }
}
