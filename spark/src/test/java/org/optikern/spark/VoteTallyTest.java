package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bit-sliced vote counts against counts made one element at a time, in ints. */
class VoteTallyTest {
  private static final float[] SPECIAL = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE, -Float.MIN_VALUE, -1e-40f, 3f, -3f};

  @Test
  void countsAndMajoritiesMatchElementwiseCountingForOneToSixteenVoters() {
    Random random = new Random(2019);
    for (int voters = 1; voters <= 16; voters++) {
      for (int length : new int[] {1, 63, 64, 65, 200}) {
        float[][] values = new float[voters][length];
        for (float[] row : values) {
          for (int i = 0; i < length; i++) {
            row[i] = random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
          }
        }
        // half the tallies are built by merging two partial tallies, as treeAggregate's combOp does
        VoteTally tally = VoteTally.empty(length);
        VoteTally second = VoteTally.empty(length);
        for (int v = 0; v < voters; v++) {
          (v % 2 == 1 && voters % 2 == 0 ? second : tally).addVote(OneBitSigns.pack(values[v]));
        }
        tally.add(second);
        assertEquals(voters, tally.voters());
        float[] expectedMajority = new float[length];
        for (int i = 0; i < length; i++) {
          int negatives = 0;
          int sum = 0;
          for (float[] row : values) {
            boolean negative = row[i] < 0;
            negatives += negative ? 1 : 0;
            sum += negative ? -1 : 1;
          }
          assertEquals(negatives, tally.negativeVotes(i), voters + " voters, length " + length + ", element " + i);
          expectedMajority[i] = sum < 0 ? -1f : 1f; // a tie sums to 0 and gives +1
        }
        assertArrayEquals(expectedMajority, OneBitSigns.unpack(tally.majority(), length),
            voters + " voters, length " + length);
      }
    }
  }

  @Test
  void aTieGivesPlusOne() {
    VoteTally tally = VoteTally.empty(2).addVote(OneBitSigns.pack(new float[] {-1, -1}))
        .addVote(OneBitSigns.pack(new float[] {1, -1}));
    assertArrayEquals(new float[] {1, -1}, OneBitSigns.unpack(tally.majority(), 2));
  }

  @Test
  void scalesSumTheSameInEveryMergeOrder() {
    float[] scales = {1e-3f, 3.3f, 7e-8f, 0.25f, 1f / 3};
    long[] vote = OneBitSigns.pack(new float[] {1, -1, 1});
    VoteTally forward = VoteTally.empty(3);
    for (float scale : scales) {
      forward.addVote(vote, scale);
    }
    VoteTally left = VoteTally.empty(3).addVote(vote, scales[4]).addVote(vote, scales[2]);
    VoteTally right = VoteTally.empty(3).addVote(vote, scales[1]).addVote(vote, scales[3]).addVote(vote, scales[0]);
    double expected = 0;
    for (float scale : new float[] {7e-8f, 1e-3f, 0.25f, 1f / 3, 3.3f}) {
      expected += scale;
    }
    assertEquals(expected, forward.scaleSum());
    assertEquals(expected, right.add(left).scaleSum());
    assertEquals(0.0, VoteTally.empty(3).addVote(vote).scaleSum());
  }

  @Test
  void badInputIsRejected() {
    assertEquals("a vote's scale must be finite and not negative, found NaN",
        assertThrows(IllegalArgumentException.class,
            () -> VoteTally.empty(1).addVote(new long[1], Float.NaN)).getMessage());
    assertEquals("no votes were added: there is no majority",
        assertThrows(IllegalStateException.class, () -> VoteTally.empty(3).majority()).getMessage());
    assertEquals("cannot add a tally of 4 elements to one of 3",
        assertThrows(IllegalArgumentException.class, () -> VoteTally.empty(3).add(VoteTally.empty(4))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> VoteTally.empty(3).addVote(new long[] {0b1000}));
  }
}
