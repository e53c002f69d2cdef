package org.optikern.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * The chunks of a parallel update cover the range exactly: every element once, none outside.
 * Checked on the chunk list itself and, through a kernel that counts each element it is given,
 * on what {@link ParallelUpdate#update} really runs, at the sizes that once lost their tail.
 */
class ParallelUpdateTest {

  /** Counts, per element, how many times a call covered it; touches no array. */
  private static final class CountingKernel implements UpdateKernel {
    final AtomicIntegerArray visits;

    CountingKernel(int size) {
      visits = new AtomicIntegerArray(size);
    }

    @Override
    public DType dtype() {
      return DType.FLOAT32;
    }

    @Override
    public SwitchSet switches() {
      return SwitchSet.of(List.of());
    }

    @Override
    public List<String> stateNames() {
      return List.of();
    }

    @Override
    public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
      for (int i = offset; i < offset + length; i++) {
        visits.incrementAndGet(i);
      }
    }
  }

  private static void assertEachElementOnce(int size, int offset, int length, int parallelism) {
    CountingKernel kernel = new CountingKernel(size);
    ParallelUpdate.update(kernel, null, null, new Object[0], offset, length, new double[0], 1, parallelism);
    for (int i = 0; i < size; i++) {
      int expected = i >= offset && i < offset + length ? 1 : 0;
      if (kernel.visits.get(i) != expected) {
        fail("element " + i + " of " + size + " was updated " + kernel.visits.get(i) + " times, expected " + expected
            + " (range [" + offset + ", " + (offset + length) + "), " + parallelism + " chunks)");
      }
    }
  }

  @Test
  void theTailIsUpdatedWhenTheQuotientIsAlreadyAligned() {
    // 2,097,153 on 2 cores: floor(n/2) = 1,048,576 is a multiple of 64, and the last element was skipped
    assertEachElementOnce(2_097_153, 0, 2_097_153, 2);
    // 2^24 + 15 on 16 cores: the last 15 were skipped
    assertEachElementOnce((1 << 24) + 15, 0, (1 << 24) + 15, 16);
  }

  @Test
  void fiftyMillionAndOneOnTwoCores() {
    List<ParallelUpdate.Chunk> chunks = ParallelUpdate.chunks(0, 50_000_001, 2);
    ParallelUpdate.Chunk last = chunks.get(chunks.size() - 1);
    assertEquals(50_000_001, last.from() + last.length());
  }

  @Property(tries = 3000)
  void chunksPartitionTheRange(@ForAll @IntRange(min = 0, max = 5_000_000) int length,
      @ForAll @IntRange(min = 0, max = 1000) int offset, @ForAll @IntRange(min = 1, max = 64) int count) {
    assertPartition(offset, length, count);
  }

  @Property(tries = 2000)
  void chunksPartitionRangesAtAlignedBoundaries(@ForAll @IntRange(min = 1, max = 20_000) int blocks,
      @ForAll @IntRange(min = -3, max = 3) int delta, @ForAll @IntRange(min = 1, max = 17) int count) {
    // lengths near count * k * 64, where a chunk length is exactly aligned
    int length = Math.max(0, blocks * 64 * count / Math.max(1, count / 2) + delta);
    assertPartition(0, length, count);
  }

  @Test
  void chunksPartitionTheLargestRanges() {
    for (int count : new int[] {1, 2, 3, 7, 16, 64, 1000}) {
      assertPartition(0, Integer.MAX_VALUE, count);
      assertPartition(Integer.MAX_VALUE - 100, 100, count);
      assertPartition(5, Integer.MAX_VALUE - 5, count);
    }
  }

  private static void assertPartition(int offset, int length, int count) {
    List<ParallelUpdate.Chunk> chunks = ParallelUpdate.chunks(offset, length, count);
    long next = offset;
    for (ParallelUpdate.Chunk chunk : chunks) {
      assertEquals(next, chunk.from(), "chunks of [" + offset + ", +" + length + ") in " + count + ": gap or overlap");
      if (chunk.length() <= 0) {
        fail("empty chunk " + chunk + " of [" + offset + ", +" + length + ") in " + count);
      }
      next = (long) chunk.from() + chunk.length();
    }
    assertEquals((long) offset + length, next, "chunks of [" + offset + ", +" + length + ") in " + count + " stop short");
    if (chunks.size() > count) {
      fail(chunks.size() + " chunks for at most " + count);
    }
    for (int c = 0; c < chunks.size() - 1; c++) {
      assertEquals(0, chunks.get(c).length() % ParallelUpdate.ALIGNMENT, "chunk " + c + " is not aligned");
    }
  }

  @Property(tries = 200)
  void updateVisitsEachElementOnce(@ForAll @IntRange(min = 0, max = 20_000) int length,
      @ForAll @IntRange(min = 0, max = 100) int offset, @ForAll @IntRange(min = 1, max = 33) int parallelism) {
    assertEachElementOnce(offset + length + 7, offset, length, parallelism);
  }

  @Test
  void impossibleSplitsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ParallelUpdate.chunks(0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> ParallelUpdate.chunks(-1, 10, 2));
    assertThrows(IllegalArgumentException.class, () -> ParallelUpdate.chunks(Integer.MAX_VALUE, 1, 2));
  }
}
