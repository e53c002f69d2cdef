package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OneBitSignsTest {
  /** Every kind of float that has or lacks a sign, with the vote this module gives it. */
  private static final float[] SPECIAL = {Float.NaN, Float.intBitsToFloat(0xffc00001), 0f, -0f,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f,
      Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
  private static final float[] SPECIAL_VOTES = {1, 1, 1, 1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1};

  @Test
  void specialValuesVoteAsDocumented() {
    assertArrayEquals(SPECIAL_VOTES, OneBitSigns.unpack(OneBitSigns.pack(SPECIAL), SPECIAL.length));
    // the NaN with its sign bit set (0xffc00001) votes +1: NaN is not < 0
    assertEquals(0b1010_1010_1010_0000L, OneBitSigns.pack(SPECIAL)[0]);
  }

  @Test
  void roundTripsAtEveryLengthAroundWordEdges() {
    Random random = new Random(17);
    for (int length : new int[] {0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 191, 1000, 2410}) {
      float[] values = new float[length];
      float[] expected = new float[length];
      for (int i = 0; i < length; i++) {
        values[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        expected[i] = values[i] < 0 ? -1f : 1f;
      }
      long[] bits = OneBitSigns.pack(values);
      assertEquals((length + 63) / 64, bits.length, "words for " + length);
      assertArrayEquals(expected, OneBitSigns.unpack(bits, length), "length " + length);
      // packing the unpacked signs gives the same bits: the round trip loses nothing a vote carries
      assertArrayEquals(bits, OneBitSigns.pack(OneBitSigns.unpack(bits, length)), "length " + length);
      int negatives = 0;
      for (long word : bits) {
        negatives += Long.bitCount(word);
      }
      int expectedNegatives = 0;
      for (float e : expected) {
        expectedNegatives += e < 0 ? 1 : 0;
      }
      assertEquals(expectedNegatives, negatives, "set bits are -1 votes and nothing else, length " + length);
    }
  }

  @Test
  void invertingFlipsEveryVoteAndNoTailBit() {
    for (int length : new int[] {1, 63, 64, 65, 130}) {
      float[] values = new float[length];
      for (int i = 0; i < length; i++) {
        values[i] = i % 3 == 0 ? -1 : 1;
      }
      float[] flipped = OneBitSigns.unpack(OneBitSigns.inverted(OneBitSigns.pack(values), length), length);
      for (int i = 0; i < length; i++) {
        assertEquals(-values[i], flipped[i], "element " + i + " of " + length);
      }
    }
  }

  @Test
  void rejectsSignsOfTheWrongSizeOrWithTailBits() {
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
        () -> OneBitSigns.unpack(new long[3], 65));
    assertEquals("65 signs take 2 longs, found 3", wrongSize.getMessage());
    IllegalArgumentException tail = assertThrows(IllegalArgumentException.class,
        () -> OneBitSigns.unpack(new long[] {0, 1L << 1}, 65));
    assertTrue(tail.getMessage().startsWith("packed signs of 65 elements have bits set past the last one, in word 1"),
        tail.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OneBitSigns.unpack(null, 1));
    assertThrows(IllegalArgumentException.class, () -> OneBitSigns.words(-1));
  }
}
