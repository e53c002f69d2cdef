package org.optikern.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optikern.kernel.VectorSupport;

/** When the generated simdKernels property is skipped, and why; when it fails instead. (This JVM runs no SIMD.) */
class KernelVerificationSimdTest {
  @Test
  void aSpecWithoutSimdFormsIsSkippedEvenWhereSimdIsExpected() {
    assertFalse(VectorSupport.enabled());
    String reason = KernelVerification.simdSkipReason(0, true, "Lamb");
    assertTrue(reason.startsWith("Lamb has no SIMD twins: no variant has exact lanewise forms"), reason);
    withExpectSimd(() -> assertEquals(reason, KernelVerification.simdSkipReason(0, true, "Lamb")));
    assertThrows(AssertionError.class, () -> KernelVerification.simdKernelsToCheck(List.of(), 0, true, "Lamb"));
  }

  @Test
  void compiledWithoutTheModuleOrRunWithoutItIsSkippedOrFailsWhereExpected() {
    assertTrue(KernelVerification.simdSkipReason(0, false, "Sgd").contains("compiled without jdk.incubator.vector"));
    assertTrue(KernelVerification.simdSkipReason(12, true, "Sgd").startsWith("SIMD kernels are off in this JVM"));
    withExpectSimd(() -> {
      assertNull(KernelVerification.simdSkipReason(0, false, "Sgd"));
      assertNull(KernelVerification.simdSkipReason(12, true, "Sgd"));
    });
    AssertionError e = assertThrows(AssertionError.class,
        () -> KernelVerification.simdKernelsToCheck(List.of(), 12, true, "Sgd"));
    assertTrue(e.getMessage().startsWith("no SIMD kernel of Sgd to check: SIMD kernels are off"), e.getMessage());
  }

  private static void withExpectSimd(Runnable check) {
    String before = System.getProperty(KernelVerification.EXPECT_SIMD);
    System.setProperty(KernelVerification.EXPECT_SIMD, "true");
    try {
      check.run();
    } finally {
      if (before == null) {
        System.clearProperty(KernelVerification.EXPECT_SIMD);
      } else {
        System.setProperty(KernelVerification.EXPECT_SIMD, before);
      }
    }
  }
}
