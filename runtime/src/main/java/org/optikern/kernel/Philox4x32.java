package org.optikern.kernel;

/**
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011), the counter-based generator of JAX, PyTorch's CUDA generator and cuRAND: it maps a
 * 128-bit counter under a 64-bit key to 128 random bits with ten rounds of a Feistel-like network
 * whose mixing is two 32x32-to-64-bit products per round, so any block is computed on its own, in
 * any order, from its counter alone. For each key it is a bijection of the counters: distinct
 * counters never give the same block.
 *
 * <p>Word order and key schedule are Random123's ({@code include/Random123/philox.h}): a round
 * takes {@code (c0, c1, c2, c3)} to {@code (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1,
 * lo(M0*c0))}, and the key grows by the Weyl constants before every round but the first. {@code
 * Philox4x32Test} checks Random123's known answers. Only int and long arithmetic: the same bits on
 * every JVM.
 */
final class Philox4x32 {
  /** The rounds: ten, Random123's default and the one its authors recommend (seven pass BigCrush). */
  static final int ROUNDS = 10;

  static final long M0 = 0xD2511F53L;
  static final long M1 = 0xCD9E8D57L;
  /** The Weyl sequence's increments: the golden ratio's and sqrt(3)-1's first 32 fraction bits. */
  static final int W0 = 0x9E3779B9;
  static final int W1 = 0xBB67AE85;
  private static final long LOW_32 = 0xFFFFFFFFL;

  private Philox4x32() {}

  /**
   * Writes the block of counter {@code (c0, c1, c2, c3)} under key {@code (k0, k1)} to
   * {@code out[at .. at + 3]}.
   */
  static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out, int at) {
    for (int round = 0; round < ROUNDS; round++) {
      if (round > 0) {
        k0 += W0;
        k1 += W1;
      }
      // the unsigned 32x32-bit products, exact in a long
      long p0 = M0 * (c0 & LOW_32);
      long p1 = M1 * (c2 & LOW_32);
      c0 = (int) (p1 >>> 32) ^ c1 ^ k0;
      c1 = (int) p1;
      c2 = (int) (p0 >>> 32) ^ c3 ^ k1;
      c3 = (int) p0;
    }
    out[at] = c0;
    out[at + 1] = c1;
    out[at + 2] = c2;
    out[at + 3] = c3;
  }
}
