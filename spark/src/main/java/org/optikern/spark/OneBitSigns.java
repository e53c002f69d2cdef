package org.optikern.spark;

/**
 * Signs packed one bit per element, as majority vote sends them both ways: element {@code i} is
 * bit {@code i % 64} of word {@code i / 64}; a set bit is -1, a clear bit +1. The bits past the
 * last element of the last word are always clear, so that counting set bits counts votes.
 *
 * <p>One bit holds two values, so every value gets one of them: {@code x < 0} is -1 and everything
 * else is +1, including +0, -0 and NaN. MXNet's {@code sign} (our spec language's) gives 0 for
 * those three, which a bit cannot carry; signSGD's papers leave sign(0) to the implementation and
 * their 1-bit implementations map it to +1, as we do. The same rule decides the majority (see
 * {@link VoteTally#majority()}): a tie, possible with an even number of workers, is a sum of votes
 * equal to 0 and so gives +1.
 */
public final class OneBitSigns {
  private OneBitSigns() {}

  /** How many longs hold {@code length} bits. */
  public static int words(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("a length cannot be negative, found " + length);
    }
    return (length + 63) >>> 6;
  }

  /** The one-bit signs of {@code values}: bit i set exactly when {@code values[i] < 0}. */
  public static long[] pack(float[] values) {
    long[] bits = new long[words(values.length)];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        bits[i >>> 6] |= 1L << (i & 63);
      }
    }
    return bits;
  }

  /** The signs as floats, -1 or +1, of the first {@code length} bits; the bits are checked first. */
  public static float[] unpack(long[] bits, int length) {
    check(bits, length);
    float[] signs = new float[length];
    for (int i = 0; i < length; i++) {
      signs[i] = (bits[i >>> 6] >>> (i & 63) & 1L) == 0 ? 1f : -1f;
    }
    return signs;
  }

  /** Every sign flipped (the papers' adversary), its tail bits kept clear. */
  public static long[] inverted(long[] bits, int length) {
    check(bits, length);
    long[] flipped = new long[bits.length];
    for (int w = 0; w < bits.length; w++) {
      flipped[w] = ~bits[w];
    }
    clearTail(flipped, length);
    return flipped;
  }

  /**
   * Rejects packed signs of the wrong size, or with a bit set past {@code length}: such a vote was
   * packed for another model, and its extra bits would be counted as votes.
   */
  public static void check(long[] bits, int length) {
    if (bits == null) {
      throw new IllegalArgumentException("packed signs are missing (null)");
    }
    int words = words(length);
    if (bits.length != words) {
      throw new IllegalArgumentException(length + " signs take " + words + " longs, found " + bits.length);
    }
    if (words > 0 && (bits[words - 1] & ~tailMask(length)) != 0) {
      throw new IllegalArgumentException("packed signs of " + length + " elements have bits set past the last one, in word "
          + (words - 1) + ": " + Long.toHexString(bits[words - 1]));
    }
  }

  /** The bits of the last word that hold elements. */
  static long tailMask(int length) {
    int used = length & 63;
    return used == 0 ? -1L : (1L << used) - 1;
  }

  static void clearTail(long[] bits, int length) {
    if (bits.length > 0) {
      bits[bits.length - 1] &= tailMask(length);
    }
  }
}
