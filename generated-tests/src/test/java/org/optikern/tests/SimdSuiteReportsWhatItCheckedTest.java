package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.optikern.kernel.VectorSupport;
import org.optikern.verify.KernelVerification;

/**
 * The generated {@code simdKernels} property never passes having checked nothing: it runs one
 * generated suite's property through the JUnit Platform, as Surefire does, and reads what it
 * reported. Without the vector module it is skipped with the reason; with it (the pom's
 * {@code simd} execution, which also sets {@code -Doptikern.expectSimd=true}) it runs and passes.
 */
class SimdSuiteReportsWhatItCheckedTest {
  private static final String SUITE = "org.optikern.tests.MomentumSgdKernelTests";

  private record Outcome(String status, String detail) {}

  private static Outcome runSimdKernelsProperty() {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(SUITE + "#simdKernels(long)"))
        .build();
    List<Outcome> outcomes = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
          outcomes.add(new Outcome("skipped", reason));
        }
      }

      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
          outcomes.add(new Outcome(result.getStatus().toString(),
              result.getThrowable().map(Throwable::getMessage).orElse("")));
        }
      }
    });
    assertEquals(1, outcomes.size(), "one property ran: " + outcomes);
    return outcomes.get(0);
  }

  @Test
  void simdKernelsIsSkippedWithItsReasonOrRuns() {
    Outcome outcome = runSimdKernelsProperty();
    if (VectorSupport.enabled()) {
      assertEquals(new Outcome("SUCCESSFUL", ""), outcome);
    } else {
      assertEquals(new Outcome("skipped", "SIMD kernels are off in this JVM: run the tests with --add-modules "
          + "jdk.incubator.vector (on C2, without -Doptikern.vectors=false)"), outcome);
    }
  }

  @Test
  void whereSimdIsExpectedAndOffItFails() {
    if (VectorSupport.enabled()) {
      return; // the failing side needs a JVM without SIMD: the default execution
    }
    String before = System.getProperty(KernelVerification.EXPECT_SIMD);
    System.setProperty(KernelVerification.EXPECT_SIMD, "true");
    try {
      Outcome outcome = runSimdKernelsProperty();
      assertEquals("FAILED", outcome.status());
      assertEquals(true, outcome.detail().contains("no SIMD kernel of MomentumSgd to check: SIMD kernels are off"),
          outcome.detail());
    } finally {
      if (before == null) {
        System.clearProperty(KernelVerification.EXPECT_SIMD);
      } else {
        System.setProperty(KernelVerification.EXPECT_SIMD, before);
      }
    }
  }
}
