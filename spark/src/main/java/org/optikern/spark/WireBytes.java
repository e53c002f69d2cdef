package org.optikern.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Bytes that tasks sent, as Spark's task metrics count them: the serialized result of each
 * successful task ({@code resultSize}: the value with Spark's own envelope of accumulator updates)
 * plus what it wrote to a shuffle ({@code treeAggregate}'s intermediate level, with many partitions).
 * Listener events arrive asynchronously, a job's end after its tasks'; {@link #awaitJobs} waits
 * until the jobs a caller ran have been counted.
 */
public final class WireBytes extends SparkListener {
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong jobs = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics == null || !taskEnd.taskInfo().successful()) {
      return;
    }
    bytes.addAndGet(metrics.resultSize() + metrics.shuffleWriteMetrics().bytesWritten());
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    jobs.incrementAndGet();
  }

  public long bytes() {
    return bytes.get();
  }

  public long jobs() {
    return jobs.get();
  }

  /** Waits (up to 30 s) until at least {@code count} jobs have ended, and so their tasks have been counted. */
  public void awaitJobs(long count) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (jobs.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Spark's listener bus reported " + jobs.get() + " of " + count
            + " jobs within 30 s");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for task metrics", e);
      }
    }
  }
}
