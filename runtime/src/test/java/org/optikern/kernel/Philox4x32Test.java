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

  /** The words of consecutive counters (c0 = 0, 1, 2, ...; the others 0) under one key: the counters normal() uses. */
  private static int[] words(int k0, int k1, int blocks) {
    int[] words = new int[4 * blocks];
    for (int c = 0; c < blocks; c++) {
      Philox4x32.block(c, 0, 0, 0, k0, k1, words, 4 * c);
    }
    return words;
  }

  /**
   * Chi-square of each byte of the words over its 256 values (377.08: the 1 - 1e-6 quantile with 255
   * degrees of freedom), and each of the 32 bits set in half the words within five binomial
   * standard deviations.
   */
  @Test
  void everyByteAndBitOfTheWordsIsUniform() {
    int[] words = words(0x2545F491, 0x0004F5D1, 1 << 18);
    int n = words.length;
    for (int shift = 0; shift < 32; shift += 8) {
      long[] counts = new long[256];
      for (int word : words) {
        counts[(word >>> shift) & 0xFF]++;
      }
      assertTrue(chiSquare(counts, n / 256.0) < 377.08, "byte at bit " + shift);
    }
    for (int bit = 0; bit < 32; bit++) {
      int set = 0;
      for (int word : words) {
        set += (word >>> bit) & 1;
      }
      assertEquals(n / 2.0, set, 5 * 0.5 * Math.sqrt(n), "bit " + bit);
    }
  }

  /**
   * Serial test: the top four bits of neighbouring words (within a block and across blocks, as
   * consecutive elements get them) fall into the 256 pairs evenly; also for the same word of
   * neighbouring blocks (lag 4). 377.08 as above.
   */
  @Test
  void neighbouringWordsAreIndependent() {
    int[] words = words(7, 0, 1 << 18);
    for (int lag : new int[] {1, 2, 3, 4}) {
      long[] counts = new long[256];
      for (int k = 0; k + lag < words.length; k++) {
        counts[((words[k] >>> 28) << 4) | (words[k + lag] >>> 28)]++;
      }
      assertTrue(chiSquare(counts, (words.length - lag) / 256.0) < 377.08, "pairs at lag " + lag);
    }
  }

  /**
   * Avalanche: flipping any one bit of the counter or of the key flips each of the 128 output bits
   * with probability 1/2, so about 64 of them, over 2000 random blocks per input bit (the mean of the
   * distance within five standard errors, sqrt(32/2000)).
   */
  @Test
  void flippingOneInputBitFlipsHalfTheOutput() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    int samples = 2000;
    int[] a = new int[4];
    int[] b = new int[4];
    for (int bit = 0; bit < 192; bit++) {
      long distance = 0;
      for (int s = 0; s < samples; s++) {
        int[] in = {random.nextInt(), random.nextInt(), random.nextInt(), random.nextInt(), random.nextInt(),
            random.nextInt()};
        Philox4x32.block(in[0], in[1], in[2], in[3], in[4], in[5], a, 0);
        in[bit / 32] ^= 1 << (bit % 32);
        Philox4x32.block(in[0], in[1], in[2], in[3], in[4], in[5], b, 0);
        for (int w = 0; w < 4; w++) {
          distance += Integer.bitCount(a[w] ^ b[w]);
        }
      }
      assertEquals(64, (double) distance / samples, 5 * Math.sqrt(32.0 / samples),
          (bit < 128 ? "counter" : "key") + " bit " + bit % 128);
    }
  }

  private static double chiSquare(long[] counts, double expected) {
    double sum = 0;
    for (long count : counts) {
      sum += (count - expected) * (count - expected) / expected;
    }
    return sum;
  }
}
