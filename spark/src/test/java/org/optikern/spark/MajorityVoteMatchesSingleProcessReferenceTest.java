package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optikern.examples.Digits;

/**
 * An epoch of Signum with majority vote on Spark, with 1 to 7 workers, against the same algorithm
 * in one process: the same gradients (same model code and batches), the momentum by the spec's
 * interpreter instead of the generated kernel, and votes counted, decided and applied in plain
 * Java floats and ints, with no packing, no bit-sliced tally and no Spark. Every weight of the
 * driver and of every replica must equal the reference's bit for bit after every worker's last step.
 */
class MajorityVoteMatchesSingleProcessReferenceTest {
  private static JavaSparkContext spark;
  private static Digits digits;

  @BeforeAll
  static void startSpark() {
    SparkRunsHere.assumeSparkStarts();
    spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("majority-vote-reference")
        .set("spark.ui.enabled", "false"));
    digits = Digits.load(42, 0.2);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) { // null when Spark could not start here (SparkRunsHere)
      spark.close();
    }
  }

  /** Odd counts clip and have adversaries; even ones decay weights; all of them tie somewhere when even. */
  private static TrainingSettings settingsFor(int workers) {
    TrainingSettings base = TrainingSettings.defaults(workers).withEpochs(1);
    return workers % 2 == 1
        ? base.withWorkers(workers, workers / 3).withOptimizer(0.01, 0.9, 0.0, 0.0, 2.0)
        : base.withOptimizer(0.01, 0.8, 1e-4, 1e-3, 0.0);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void everyReplicaEqualsThePlainJavaReference(int workers) {
    TrainingSettings settings = settingsFor(workers);
    TrainingResult result = MajorityVoteTraining.train(spark, digits, settings, line -> {});
    SingleProcessReference.Result reference = SingleProcessReference.signum(digits, settings);

    assertEquals(workers, result.replicaWeights().size());
    assertBitIdentical(reference.weights(), result.weights(), "driver, " + workers + " workers");
    for (int w = 0; w < workers; w++) {
      assertBitIdentical(reference.weights(), result.replicaWeights().get(w), "replica " + w + " of " + workers);
    }
    for (int voters : result.contributionsPerStep()) {
      assertEquals(workers, voters);
    }
    assertTrue(reference.zeroMomenta() > 0, "some momenta are 0 and vote +1");
    if (workers % 2 == 0) {
      assertTrue(reference.ties() > 0, "with " + workers + " workers some votes tie (and give +1)");
    }
  }

  /**
   * EF-signSGD with majority vote, the same way: the corrected steps by the spec's interpreter,
   * the scales summed in plain Java (smallest first, as the tally documents), votes counted in ints.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void errorFeedbackEqualsThePlainJavaReference(int workers) {
    TrainingSettings settings = TrainingSettings.defaults(workers).withEpochs(1).withWorkers(workers, workers / 3)
        .withErrorFeedback(0.5);
    TrainingResult result = MajorityVoteTraining.train(spark, digits, settings, line -> {});
    float[] expected = SingleProcessReference.errorFeedback(digits, settings);

    assertBitIdentical(expected, result.weights(), "driver, " + workers + " workers");
    for (int w = 0; w < workers; w++) {
      assertBitIdentical(expected, result.replicaWeights().get(w), "replica " + w + " of " + workers);
    }
  }

  static void assertBitIdentical(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        throw new AssertionError(what + ": weight " + i + " is " + actual[i] + ", the reference's " + expected[i]);
      }
    }
  }
}
