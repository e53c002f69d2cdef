package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Philox4x32-10: Random123's known answers, and its words uniform and independent. */
class Philox4x32Test {
  /**
   * The philox4x32 10 lines of Random123's {@code tests/kat_vectors} (DEShawResearch/random123 on
   * GitHub, commit 9545ff6413f258be2f04c1d319d99aaef7521150, lines 27 to 29): counter c0..c3, key
   * k0 k1, expected block. The third counter and key are the first hex digits of pi.
   */
  private static final int[][] KNOWN_ANSWERS = {
      {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
          0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
      {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
          0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
      {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
          0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
  };

  @Test
  void givesRandom123sKnownAnswers() {
    for (int[] answer : KNOWN_ANSWERS) {
      int[] block = new int[4];
      Philox4x32.block(answer[0], answer[1], answer[2], answer[3], answer[4], answer[5], block, 0);
      assertArrayEquals(new int[] {answer[6], answer[7], answer[8], answer[9]}, block,
          () -> String.format("counter %08x %08x %08x %08x, key %08x %08x", answer[0], answer[1], answer[2],
              answer[3], answer[4], answer[5]));
    }
  }

  @Test
  void writesTheBlockWhereItIsAsked() {
    int[] out = new int[6];
    Philox4x32.block(0, 0, 0, 0, 0, 0, out, 1);
    assertArrayEquals(new int[] {0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8, 0}, out);
  }
}
