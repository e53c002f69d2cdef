package org.optikern.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generated suites draw the sizes that matter on purpose, not by chance. */
class KernelVerificationRangesTest {
  @Test
  void aFifthOfTheCasesAreAtABoundaryAndSomeCrossSeveralBlocks() {
    Random random = new Random(1);
    int atBlockEdge = 0;
    int overOneBlock = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      KernelVerification.Range r = KernelVerification.randomRange(random);
      assertTrue(r.offset() >= 0 && r.length() >= 0 && r.offset() + r.length() <= r.size(), r.toString());
      if (r.length() >= 2047 && r.length() <= 2049 || r.length() >= 4095 && r.length() <= 4097) {
        atBlockEdge++;
      }
      if (r.length() > 2048) {
        overOneBlock++;
      }
    }
    // 2 in 10 at a boundary, a third of those at the float16 block's: about 6.7%; before, about 0.6% exceeded a block
    assertTrue(atBlockEdge > n * 5 / 100, atBlockEdge + " of " + n + " at a float16 block edge");
    assertTrue(overOneBlock > n * 4 / 100, overOneBlock + " of " + n + " longer than one block");
  }
}
