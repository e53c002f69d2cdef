package org.optikern.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a kernel over a large range in chunks on the common fork-join pool. An update is
 * elementwise, so any split gives the same bits as one call; what it buys is memory bandwidth
 * from more cores (measured on 2 cores at 16M float32 elements: about 1.3x; see BENCHMARKS.md).
 * A kernel that reduces over the tensor or assigns a scalar state ({@link UpdateKernel#inOneCall()}) always runs
 * in one call.
 */
public final class ParallelUpdate {
  /** Below this many elements a single call is faster than splitting. */
  public static final int DEFAULT_THRESHOLD = 1 << 20;

  /**
   * Chunk lengths are multiples of this many elements (from the range's start), so that neighbouring
   * chunks share at most the cache line at their border.
   */
  static final int ALIGNMENT = 64;

  private ParallelUpdate() {}

  /** One chunk of a range: {@code [from, from + length)}. */
  public record Chunk(int from, int length) {}

  /**
   * Updates {@code [offset, offset + length)} with {@code kernel}: in one call below
   * {@code threshold} elements, else in at most one chunk per available processor, run in parallel.
   */
  public static void update(UpdateKernel kernel, Object weight, Object grad, Object[] states, int offset, int length,
      double[] scalars, int threshold) {
    update(kernel, weight, grad, states, offset, length, scalars, threshold, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Updates {@code [offset, offset + length)} with {@code kernel}: in one call below
   * {@code threshold} elements (or for one chunk, or a kernel that reduces), else in at most
   * {@code parallelism} chunks ({@link #chunks}) run in parallel.
   */
  public static void update(UpdateKernel kernel, Object weight, Object grad, Object[] states, int offset, int length,
      double[] scalars, int threshold, int parallelism) {
    if (length < threshold || parallelism < 2 || kernel.inOneCall()) {
      kernel.update(weight, grad, states, offset, length, scalars);
      return;
    }
    chunks(offset, length, parallelism).parallelStream()
        .forEach(chunk -> kernel.update(weight, grad, states, chunk.from(), chunk.length(), scalars));
  }

  /**
   * Splits {@code [offset, offset + length)} into at most {@code count} chunks that cover it
   * exactly, each (but the last) a multiple of {@link #ALIGNMENT} long: the chunk length is
   * {@code ceil(length / count)} rounded up to the alignment, so the chunks never fall short of
   * the end (rounding {@code floor(length / count)} up once left the last {@code length % count}
   * elements out when the quotient was already aligned).
   */
  public static List<Chunk> chunks(int offset, int length, int count) {
    if (offset < 0 || length < 0 || count < 1 || (long) offset + length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cannot split [" + offset + ", " + ((long) offset + length) + ") into "
          + count + " chunks");
    }
    long perChunk = ((long) length + count - 1) / count;
    long chunk = Math.max(ALIGNMENT, (perChunk + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    List<Chunk> chunks = new ArrayList<>();
    long end = (long) offset + length;
    for (long from = offset; from < end; from += chunk) {
      chunks.add(new Chunk((int) from, (int) Math.min(chunk, end - from)));
    }
    return chunks;
  }
}
