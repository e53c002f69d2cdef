package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optikern.examples.Digits;

/**
 * A worker's task that throws once, after it has computed and packed its vote, is retried by
 * Spark (local mode with 4 attempts per task): the step still counts each worker once, and the
 * run ends with the same bits as a run without the failure, on the driver and on every replica.
 */
class RetriedTaskTest {
  private static JavaSparkContext spark;
  private static Digits digits;
  private static final AtomicInteger failedAttempts = new AtomicInteger();

  @BeforeAll
  static void startSpark() {
    SparkRunsHere.assumeSparkStarts();
    spark = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("retried-task")
        .set("spark.ui.enabled", "false"));
    spark.sc().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (!taskEnd.taskInfo().successful()) {
          failedAttempts.incrementAndGet();
        }
      }
    });
    digits = Digits.load(42, 0.2);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) { // null when Spark could not start here (SparkRunsHere)
      spark.close();
    }
  }

  @Test
  void aRetriedVoteIsCountedOnceAndReplicasStayIdentical() {
    TrainingSettings settings = TrainingSettings.defaults(3).withEpochs(1);
    TrainingResult clean = MajorityVoteTraining.train(spark, digits, settings, line -> {});
    int failuresBefore = failedAttempts.get();
    TrainingResult retried = MajorityVoteTraining.train(spark, digits, settings.withFailureOnceAtStep(4), line -> {});
    awaitFailures(failuresBefore + 1);

    assertEquals(failuresBefore + 1, failedAttempts.get(), "exactly one task attempt failed");
    for (int voters : retried.contributionsPerStep()) {
      assertEquals(3, voters);
    }
    MajorityVoteMatchesSingleProcessReferenceTest.assertBitIdentical(clean.weights(), retried.weights(), "driver");
    assertEquals(3, retried.replicasIdenticalToDriver());
  }

  @Test
  void aRetriedGradientIsSummedOnceAndReplicasStayIdentical() {
    int failuresBefore = failedAttempts.get();
    TrainingResult retried = AllReduceTraining.train(spark, digits,
        TrainingSettings.defaults(3).withEpochs(1).withFailureOnceAtStep(2), line -> {});
    awaitFailures(failuresBefore + 1);

    assertEquals(failuresBefore + 1, failedAttempts.get(), "exactly one task attempt failed");
    for (int workers : retried.contributionsPerStep()) {
      assertEquals(3, workers);
    }
    assertEquals(3, retried.replicasIdenticalToDriver());
  }

  /** Listener events are asynchronous: the failed attempt's end may be reported after the job's result. */
  private static void awaitFailures(int count) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (failedAttempts.get() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
