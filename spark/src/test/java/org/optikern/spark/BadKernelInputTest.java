package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A vote, gradient or state of the wrong size is rejected with its sizes, before any array is written. */
class BadKernelInputTest {
  private static final TrainingSettings SETTINGS = TrainingSettings.defaults(3);

  @Test
  void aMajorityForAnotherModelIsRejectedBeforeAnyWeightMoves() {
    float[] weights = {1f, 2f, 3f};
    long[] majorityOf65 = new long[2];
    assertEquals("3 signs take 1 longs, found 2", assertThrows(IllegalArgumentException.class,
        () -> MajorityVote.apply(weights, majorityOf65, 0.1, SETTINGS)).getMessage());
    float[] residual = {0f, 0f, 0f};
    assertThrows(IllegalArgumentException.class, () -> ErrorFeedbackSign.apply(weights, residual, new long[] {1L << 3},
        0.1));
    assertArrayEquals(new float[] {1f, 2f, 3f}, weights);
    assertArrayEquals(new float[] {0f, 0f, 0f}, residual);
  }

  @Test
  void aGradientOrStateOfAnotherSizeIsRejectedBeforeAnyWrite() {
    float[] weights = {1f, 2f, 3f};
    float[] mom = {0.5f, 0.5f, 0.5f};
    assertEquals("weights, gradient and momentum must have one length; found 3, 2 and 3",
        assertThrows(IllegalArgumentException.class,
            () -> MajorityVote.vote(weights, new float[2], mom, SETTINGS)).getMessage());
    assertEquals("weights, gradient and residual must have one length; found 3, 3 and 4",
        assertThrows(IllegalArgumentException.class,
            () -> ErrorFeedbackSign.correct(weights, new float[3], new float[4], 0.1, SETTINGS)).getMessage());
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, mom);
    assertArrayEquals(new float[] {1f, 2f, 3f}, weights);
  }

  @Test
  void settingsThatCannotRunAreRejectedByName() {
    assertEquals("adversaries must be between 0 and the 3 workers, found 4",
        assertThrows(IllegalArgumentException.class, () -> SETTINGS.withWorkers(3, 4)).getMessage());
    assertEquals("EF-signSGD (errorFeedback) has no momentum or weight decay: momentum, wd and wdLh must be 0, "
        + "found 0.9, 0.0 and 0.0", assertThrows(IllegalArgumentException.class,
            () -> new TrainingSettings(3, 0, 32, 32, 1, 0.1, 0.9, 0, 0, 0, 1, -1, true)).getMessage());
  }
}
