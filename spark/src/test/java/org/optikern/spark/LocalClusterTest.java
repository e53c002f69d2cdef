package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.optikern.examples.Digits;

/**
 * Majority vote on Spark's multi-process mode, {@code local-cluster[2,1,512]}: a master, a worker
 * and two executor JVMs of one core, so replicas, votes and broadcasts cross process boundaries
 * through Spark's serializers and network, as on a cluster, and a failed task is retried by the
 * standalone scheduler (4 attempts). An epoch with 3 workers, one of them adversarial and one task
 * failing once, must still equal the single-process reference bit for bit.
 *
 * <p>local-cluster is Spark's own test mode: executors are launched by Spark's command builder,
 * which wants a Spark build tree (a {@code launcher/target/scala-2.12} directory to read the Scala
 * version from, an {@code assembly/target/scala-2.12/jars} directory). With {@code spark.testing}
 * set, executors get this JVM's class path instead, so empty directories stand in for the build.
 * Spark adds its JDK 17 flags to the executors itself.
 */
class LocalClusterTest {
  @Test
  void anEpochAcrossExecutorProcessesEqualsTheSingleProcessReference() throws IOException {
    SparkRunsHere.assumeSparkStarts();
    Path home = Path.of("target", "spark-home").toAbsolutePath();
    Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
    Files.createDirectories(home.resolve("assembly/target/scala-2.12/jars"));
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", home.toString());
    Digits digits = Digits.load(42, 0.2);
    TrainingSettings settings = TrainingSettings.defaults(3).withWorkers(3, 1).withEpochs(1).withFailureOnceAtStep(3);
    AtomicInteger failedAttempts = new AtomicInteger();
    TrainingResult result;
    try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local-cluster[2,1,512]")
        .setAppName("local-cluster").set("spark.ui.enabled", "false").set("spark.executor.memory", "512m"))) {
      spark.sc().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
          if (!taskEnd.taskInfo().successful()) {
            failedAttempts.incrementAndGet();
          }
        }
      });
      result = MajorityVoteTraining.train(spark, digits, settings, line -> {});
      assertEquals(2, spark.sc().getExecutorMemoryStatus().size() - 1, "two executor processes besides the driver");
    } finally {
      System.clearProperty("spark.testing");
      System.clearProperty("spark.test.home");
    }

    float[] expected = SingleProcessReference.signum(digits, settings).weights();
    MajorityVoteMatchesSingleProcessReferenceTest.assertBitIdentical(expected, result.weights(), "driver");
    for (int w = 0; w < 3; w++) {
      MajorityVoteMatchesSingleProcessReferenceTest.assertBitIdentical(expected, result.replicaWeights().get(w),
          "replica " + w);
    }
    assertEquals(1, failedAttempts.get(), "worker 0's task failed once, in an executor, and was retried");
    assertTrue(result.last().bitsPerWorkerPerStep() > 2410, "task results crossed a process boundary: "
        + result.last().bitsPerWorkerPerStep() + " bits per worker and step");
  }
}
