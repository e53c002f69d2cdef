package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.optikern.kernel.VectorSupport;

/**
 * The build runs the kernel suites again at other vector widths than the default (the pom's
 * {@code vectors-128} and {@code vectors-512} executions: {@code -Doptikern.vectorBits} and
 * {@code -Doptikern.expectVectorBits}). This checks that the twins there really had that width, so
 * that such a run cannot pass having checked the default width again; on a CPU whose vectors are
 * narrower it is skipped, saying so.
 */
class VectorWidthTest {
  static final String EXPECT_BITS = "optikern.expectVectorBits";

  @Test
  void twinsRunAtTheWidthThisExecutionAsksFor() throws ReflectiveOperationException {
    Integer expected = Integer.getInteger(EXPECT_BITS);
    assumeTrue(expected != null, "not a run at a chosen vector width (-D" + EXPECT_BITS + ")");
    assertTrue(VectorSupport.enabled(), "SIMD kernels are off in a run meant to check " + expected + "-bit ones");
    assumeTrue(VectorSupport.preferredBits() >= expected, "the CPU's vectors are " + VectorSupport.preferredBits()
        + " bits, so this run checked " + VectorSupport.vectorBits() + "-bit twins, not " + expected + "-bit ones");
    assertEquals(expected, VectorSupport.vectorBits());
    Field species = SignumMomentumUnclippedF32VectorKernel.class.getDeclaredField("SPECIES");
    species.setAccessible(true);
    assertEquals(expected, ((VectorSpecies<?>) species.get(null)).vectorBitSize(),
        "a generated twin's lanes");
  }
}
