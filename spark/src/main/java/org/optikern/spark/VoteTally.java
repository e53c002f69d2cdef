package org.optikern.spark;

import java.io.Serializable;

/**
 * The number of -1 votes per element, summed over some workers, without unpacking a bit: the
 * counts are bit-sliced, {@code planes[p]} holding bit {@code p} of every element's count, packed
 * as {@link OneBitSigns} packs signs. One worker's vote is one plane (one bit per element, what it
 * sends); adding tallies is a ripple-carry adder over whole words, and a tally of {@code n} voters
 * has {@code bitLength(n)} planes. This is what Spark's {@code treeAggregate} carries: no float
 * crosses the wire, and integer counts make the result independent of the order tasks finish in.
 * EF-signSGD's workers also send one float32 each, the scale of their step: the tally keeps them
 * and sums them in ascending order ({@link #scaleSum()}), so that the sum too is independent of the
 * order partial tallies meet in; Signum's workers send none.
 */
public final class VoteTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int length;
  private int voters;
  private long[][] planes;
  private float[] scales;

  private VoteTally(int length, int voters, long[][] planes, float[] scales) {
    this.length = length;
    this.voters = voters;
    this.planes = planes;
    this.scales = scales;
  }

  /** No votes yet, for signs of {@code length} elements: the zero of the aggregation. */
  public static VoteTally empty(int length) {
    OneBitSigns.words(length); // rejects a negative length
    return new VoteTally(length, 0, new long[0][], new float[0]);
  }

  /** The elements voted on. */
  public int length() {
    return length;
  }

  /** How many votes were added. */
  public int voters() {
    return voters;
  }

  /** Adds one worker's packed signs (checked first); returns this tally. */
  public VoteTally addVote(long[] signs) {
    return addVote(signs, 0);
  }

  /** Adds one worker's packed signs and the scale of its step (EF-signSGD), both checked first; returns this tally. */
  public VoteTally addVote(long[] signs, float scale) {
    OneBitSigns.check(signs, length);
    if (!Float.isFinite(scale) || scale < 0) {
      throw new IllegalArgumentException("a vote's scale must be finite and not negative, found " + scale);
    }
    return add(new VoteTally(length, 1, new long[][] {signs.clone()}, new float[] {scale}));
  }

  /** The sum of the scales sent with the votes, in double, smallest first (0 for Signum's workers, which send none). */
  public double scaleSum() {
    float[] sorted = scales.clone();
    java.util.Arrays.sort(sorted);
    double sum = 0;
    for (float scale : sorted) {
      sum += scale;
    }
    return sum;
  }

  /** Adds the votes of {@code other}, a tally of the same length; returns this tally. */
  public VoteTally add(VoteTally other) {
    if (other.length != length) {
      throw new IllegalArgumentException("cannot add a tally of " + other.length + " elements to one of " + length);
    }
    if (other.voters > Integer.MAX_VALUE - voters) {
      throw new IllegalArgumentException("more than " + Integer.MAX_VALUE + " voters");
    }
    int total = voters + other.voters;
    int planeCount = 32 - Integer.numberOfLeadingZeros(total);
    int words = OneBitSigns.words(length);
    long[][] sum = new long[planeCount][words];
    for (int w = 0; w < words; w++) {
      long carry = 0;
      for (int p = 0; p < planeCount; p++) {
        long a = p < planes.length ? planes[p][w] : 0;
        long b = p < other.planes.length ? other.planes[p][w] : 0;
        sum[p][w] = a ^ b ^ carry;
        carry = (a & b) | (carry & (a ^ b));
      }
    }
    voters = total;
    planes = sum;
    float[] joined = java.util.Arrays.copyOf(scales, scales.length + other.scales.length);
    System.arraycopy(other.scales, 0, joined, scales.length, other.scales.length);
    scales = joined;
    return this;
  }

  /** The -1 votes of element {@code i}. */
  public int negativeVotes(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException("element " + i + " of a tally of " + length);
    }
    int count = 0;
    for (int p = 0; p < planes.length; p++) {
      count |= (int) (planes[p][i >>> 6] >>> (i & 63) & 1L) << p;
    }
    return count;
  }

  /**
   * The sign of the sum of the votes, packed: -1 (a set bit) where a strict majority voted -1, else
   * +1. A tie (equal counts, possible with an even number of voters) sums to 0 and gives +1, the
   * same rule as {@link OneBitSigns} applies to a worker's 0.
   */
  public long[] majority() {
    if (voters == 0) {
      throw new IllegalStateException("no votes were added: there is no majority");
    }
    // -1 wins exactly when negatives > voters / 2, i.e. when the count exceeds floor(voters / 2):
    // compare every element's bit-sliced count with that constant, from the highest plane down
    int threshold = voters / 2;
    int words = OneBitSigns.words(length);
    long[] result = new long[words];
    for (int w = 0; w < words; w++) {
      long greater = 0;
      long equal = -1L;
      for (int p = planes.length - 1; p >= 0; p--) {
        long bit = planes[p][w];
        if ((threshold >>> p & 1) == 0) {
          greater |= equal & bit;
          equal &= ~bit;
        } else {
          equal &= bit;
        }
      }
      result[w] = greater;
    }
    OneBitSigns.clearTail(result, length);
    return result;
  }
}
