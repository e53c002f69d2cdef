package org.optikern.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.optikern.examples.Digits;
import org.optikern.optim.LrScheduler;

/**
 * The baseline: float32 all-reduce of the same model on the same Spark primitives as
 * {@link MajorityVoteTraining} (one job per step, {@code treeAggregate} of the workers' gradients,
 * a broadcast back), with Signum applied to the summed gradient on every replica. Float sums
 * depend on the order partial sums meet, which Spark does not fix: every replica still gets the
 * same broadcast sum, but two runs may differ in the last bits.
 */
public final class AllReduceTraining {
  private AllReduceTraining() {}

  public static TrainingResult train(JavaSparkContext spark, Digits digits, TrainingSettings settings,
      Consumer<EpochReport> report) {
    FlatModel model = new FlatModel(settings);
    int parameters = model.size();
    float[] weights = model.initialWeights();
    float[] mom = new float[parameters];
    List<AveragingReplica> start = new ArrayList<>();
    for (int w = 0; w < settings.workers(); w++) {
      start.add(AveragingReplica.start(DigitsShard.of(digits, w, settings), settings, weights));
    }
    JavaRDD<AveragingReplica> replicas = spark.parallelize(start, settings.workers());
    int stepsPerEpoch = DigitsShard.stepsPerEpoch(digits, settings);
    int totalSteps = settings.epochs() * stepsPerEpoch;
    LrScheduler schedule = MajorityVoteTraining.cosine(settings, totalSteps);
    WireBytes wire = new WireBytes();
    spark.sc().addSparkListener(wire);
    List<EpochReport> epochs = new ArrayList<>();
    int[] contributions = new int[totalSteps];
    Broadcast<AveragingReplica.SummedGradient> previous = spark.broadcast(new AveragingReplica.SummedGradient(null, 0));
    Broadcast<AveragingReplica.SummedGradient> retired = null;
    long expectedJobs = wire.jobs();
    try {
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        long bytesBefore = wire.bytes();
        long startNanos = System.nanoTime();
        for (int s = 0; s < stepsPerEpoch; s++) {
          int step = (epoch - 1) * stepsPerEpoch + s;
          Broadcast<AveragingReplica.SummedGradient> input = previous;
          JavaRDD<AveragingReplica> next = replicas.map(r -> r.next(input.value(), step));
          next.rdd().localCheckpoint();
          GradientSum sum = next.treeAggregate(new GradientSum(parameters), GradientSum::add, GradientSum::add);
          expectedJobs++;
          contributions[step] = sum.workers();
          if (sum.workers() != settings.workers()) {
            throw new IllegalStateException("step " + step + " summed " + sum.workers() + " gradients from "
                + settings.workers() + " workers");
          }
          AveragingReplica.SummedGradient summed = new AveragingReplica.SummedGradient(sum.values(),
              schedule.learningRate(step + 1));
          AveragingReplica.applySignum(weights, mom, summed, settings);
          replicas.unpersist(false);
          if (retired != null) {
            retired.destroy();
          }
          retired = previous;
          replicas = next;
          previous = spark.broadcast(summed);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        wire.awaitJobs(expectedJobs);
        double bits = 8.0 * (wire.bytes() - bytesBefore) / ((double) stepsPerEpoch * settings.workers());
        EpochReport line = new EpochReport(epoch, model.loss(weights, digits.trainX(), digits.trainY()),
            model.accuracy(weights, digits.testX(), digits.testY()), parameters, bits, 32L * parameters,
            seconds / stepsPerEpoch);
        epochs.add(line);
        report.accept(line);
      }
      Broadcast<AveragingReplica.SummedGradient> last = previous;
      List<float[]> replicaWeights = replicas.map(r -> r.weightsAfter(last.value())).collect();
      return new TrainingResult(weights, replicaWeights, epochs, contributions);
    } finally {
      spark.sc().removeSparkListener(wire);
    }
  }
}
