package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optikern.examples.Digits;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

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
    spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("majority-vote-reference")
        .set("spark.ui.enabled", "false"));
    digits = Digits.load(42, 0.2);
  }

  @AfterAll
  static void stopSpark() {
    spark.close();
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
    Reference reference = reference(settings);

    assertEquals(workers, result.replicaWeights().size());
    assertBitIdentical(reference.weights, result.weights(), "driver, " + workers + " workers");
    for (int w = 0; w < workers; w++) {
      assertBitIdentical(reference.weights, result.replicaWeights().get(w), "replica " + w + " of " + workers);
    }
    for (int voters : result.contributionsPerStep()) {
      assertEquals(workers, voters);
    }
    assertTrue(reference.zeroMomenta > 0, "some momenta are 0 and vote +1");
    if (workers % 2 == 0) {
      assertTrue(reference.ties > 0, "with " + workers + " workers some votes tie (and give +1)");
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
    float[] expected = errorFeedbackReference(settings);

    assertBitIdentical(expected, result.weights(), "driver, " + workers + " workers");
    for (int w = 0; w < workers; w++) {
      assertBitIdentical(expected, result.replicaWeights().get(w), "replica " + w + " of " + workers);
    }
  }

  private static float[] errorFeedbackReference(TrainingSettings settings) {
    int workers = settings.workers();
    FlatModel model = new FlatModel(settings);
    float[] weights = model.initialWeights();
    int n = weights.length;
    float[][] residuals = new float[workers][n];
    int steps = DigitsShard.stepsPerEpoch(digits, settings) * settings.epochs();
    LrScheduler schedule = MajorityVoteTraining.cosine(settings, steps);
    for (int step = 0; step < steps; step++) {
      Optimizer interpreter = InterpretedOptimizer.of(ErrorFeedbackCorrectionSpec.class, Map.of(
          "learning_rate", schedule.learningRate(step + 1), "rescale_grad", 1.0 / settings.batchPerWorker()));
      int[] negatives = new int[n];
      float[] scales = new float[workers];
      for (int w = 0; w < workers; w++) {
        DigitsShard shard = DigitsShard.of(digits, w, settings);
        float[] grad = model.gradient(weights, shard.x(), shard.y(), shard.batch(step));
        OptimizerState state = interpreter.createState(w, Tensor.of(new float[n]));
        float[] residual = state.get("residual").floatData();
        System.arraycopy(residuals[w], 0, residual, 0, n);
        interpreter.update(w, Tensor.of(weights.clone()), Tensor.of(grad), state);
        System.arraycopy(residual, 0, residuals[w], 0, n);
        double magnitude = 0;
        for (float p : residual) {
          magnitude += Math.abs(p);
        }
        scales[w] = (float) (magnitude / n);
        boolean adversary = w >= workers - settings.adversaries();
        for (int i = 0; i < n; i++) {
          if ((residual[i] < 0) != adversary) {
            negatives[i]++;
          }
        }
      }
      java.util.Arrays.sort(scales);
      double scaleSum = 0;
      for (float scale : scales) {
        scaleSum += scale;
      }
      float stepSize = (float) (scaleSum / workers);
      for (int i = 0; i < n; i++) {
        float vote = 2 * negatives[i] > workers ? -1f : 1f;
        weights[i] = weights[i] - stepSize * vote;
        for (float[] residual : residuals) {
          residual[i] = residual[i] - stepSize * vote;
        }
      }
    }
    return weights;
  }

  private record Reference(float[] weights, long ties, long zeroMomenta) {}

  private static Reference reference(TrainingSettings settings) {
    int workers = settings.workers();
    FlatModel model = new FlatModel(settings);
    float[] weights = model.initialWeights();
    int n = weights.length;
    Map<String, Object> params = new HashMap<>();
    params.put("momentum", settings.momentum());
    params.put("wd", settings.wd());
    params.put("rescale_grad", 1.0 / settings.batchPerWorker());
    if (settings.clipGradient() > 0) {
      params.put("clip_gradient", settings.clipGradient());
    }
    Optimizer interpreter = InterpretedOptimizer.of(MajorityVoteMomentumSpec.class, params);
    List<DigitsShard> shards = new ArrayList<>();
    List<OptimizerState> moms = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      shards.add(DigitsShard.of(digits, w, settings));
      moms.add(interpreter.createState(w, Tensor.of(new float[n])));
    }
    int steps = DigitsShard.stepsPerEpoch(digits, settings) * settings.epochs();
    LrScheduler schedule = MajorityVoteTraining.cosine(settings, steps);
    long ties = 0;
    long zeroMomenta = 0;
    for (int step = 0; step < steps; step++) {
      int[] negatives = new int[n];
      for (int w = 0; w < workers; w++) {
        DigitsShard shard = shards.get(w);
        float[] grad = model.gradient(weights, shard.x(), shard.y(), shard.batch(step));
        interpreter.update(w, Tensor.of(weights.clone()), Tensor.of(grad), moms.get(w));
        float[] mom = moms.get(w).get("mom").floatData();
        boolean adversary = w >= workers - settings.adversaries();
        for (int i = 0; i < n; i++) {
          boolean votesMinus = mom[i] < 0; // +0, -0 and NaN vote +1
          zeroMomenta += mom[i] == 0 ? 1 : 0;
          if (votesMinus != adversary) {
            negatives[i]++;
          }
        }
      }
      float lr = (float) schedule.learningRate(step + 1);
      float decay = 1f - lr * (float) settings.wdLh();
      for (int i = 0; i < n; i++) {
        int sum = (workers - negatives[i]) - negatives[i];
        ties += sum == 0 ? 1 : 0;
        float vote = sum < 0 ? -1f : 1f;
        weights[i] = decay * weights[i] - lr * vote;
      }
    }
    return new Reference(weights, ties, zeroMomenta);
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
