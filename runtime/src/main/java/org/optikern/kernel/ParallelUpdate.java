package org.optikern.kernel;

import java.util.stream.IntStream;

/**
 * Runs a kernel over a large range in chunks on the common fork-join pool. An update is
 * elementwise, so any split gives the same bits as one call; what it buys is memory bandwidth
 * from more cores (measured on 2 cores at 16M float32 elements: about 1.3x; see BENCHMARKS.md).
 * A kernel with a reduction over the tensor ({@link UpdateKernel#reduces()}) always runs in one call.
 */
public final class ParallelUpdate {
  /** Below this many elements a single call is faster than splitting. */
  public static final int DEFAULT_THRESHOLD = 1 << 20;

  /** Chunks start at multiples of this, so they never share a cache line of any array. */
  private static final int ALIGNMENT = 64;

  private ParallelUpdate() {}

  /**
   * Updates {@code [offset, offset + length)} with {@code kernel}: in one call below
   * {@code threshold} elements (or with one core), else in one chunk per core run in parallel.
   */
  public static void update(UpdateKernel kernel, Object weight, Object grad, Object[] states, int offset, int length,
      double[] scalars, int threshold) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (length < threshold || cores < 2 || kernel.reduces()) {
      kernel.update(weight, grad, states, offset, length, scalars);
      return;
    }
    int chunks = cores;
    int chunk = ((length / chunks) + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = offset + c * chunk;
      int to = Math.min(offset + length, from + chunk);
      if (from < to) {
        kernel.update(weight, grad, states, from, to - from, scalars);
      }
    });
  }
}
