package org.optikern.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.optikern.examples.Digits;
import org.optikern.optim.CosineScheduler;
import org.optikern.optim.LrScheduler;

/**
 * Signum with majority vote on Spark (arXiv:1810.05291, Algorithm 1), or EF-signSGD with majority
 * vote ({@link TrainingSettings#errorFeedback()}, {@link ErrorFeedbackApplySpec}). The workers are an RDD of
 * {@link VotingReplica}s, one per partition. Per step, one Spark job: every task applies the
 * previous majority, computes its gradient, updates its momentum and returns its packed vote;
 * {@code treeAggregate} sums the votes as bit-sliced counts ({@link VoteTally}); the driver takes
 * the majority, applies it to its own replica with the same kernel, and broadcasts it packed for
 * the next step. Each step's replicas are local-checkpointed, which keeps the lineage one step long
 * and the parent available for a retried task; on a cluster whose executors may be lost, a
 * reliable checkpoint every few steps would be needed as well.
 */
public final class MajorityVoteTraining {
  private MajorityVoteTraining() {}

  /** Trains on {@code digits} and calls {@code report} after each epoch. */
  public static TrainingResult train(JavaSparkContext spark, Digits digits, TrainingSettings settings,
      Consumer<EpochReport> report) {
    FlatModel model = new FlatModel(settings);
    int parameters = model.size();
    float[] weights = model.initialWeights();
    List<VotingReplica> start = new ArrayList<>();
    for (int w = 0; w < settings.workers(); w++) {
      start.add(VotingReplica.start(DigitsShard.of(digits, w, settings), settings, weights));
    }
    JavaRDD<VotingReplica> replicas = spark.parallelize(start, settings.workers());
    int stepsPerEpoch = DigitsShard.stepsPerEpoch(digits, settings);
    int totalSteps = settings.epochs() * stepsPerEpoch;
    LrScheduler schedule = cosine(settings, totalSteps);
    WireBytes wire = new WireBytes();
    spark.sc().addSparkListener(wire);
    List<EpochReport> epochs = new ArrayList<>();
    int[] voters = new int[totalSteps];
    Broadcast<VotingReplica.StepBroadcast> previous = spark.broadcast(
        new VotingReplica.StepBroadcast(null, 0, schedule.learningRate(1)));
    float[] scratchResidual = new float[parameters];
    // the checkpointed parent's closure still names the broadcast before it: destroy each one two steps late
    Broadcast<VotingReplica.StepBroadcast> retired = null;
    long expectedJobs = wire.jobs();
    try {
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        long bytesBefore = wire.bytes();
        long startNanos = System.nanoTime();
        for (int s = 0; s < stepsPerEpoch; s++) {
          int step = (epoch - 1) * stepsPerEpoch + s;
          Broadcast<VotingReplica.StepBroadcast> input = previous;
          JavaRDD<VotingReplica> next = replicas.map(r -> r.next(input.value(), step));
          next.rdd().localCheckpoint();
          VoteTally tally = next.treeAggregate(VoteTally.empty(parameters), (t, r) -> r.addVoteTo(t),
              VoteTally::add);
          expectedJobs++;
          voters[step] = tally.voters();
          if (tally.voters() != settings.workers()) {
            throw new IllegalStateException("step " + step + " counted " + tally.voters() + " votes from "
                + settings.workers() + " workers");
          }
          long[] majority = tally.majority();
          double stepSize;
          if (settings.errorFeedback()) {
            stepSize = tally.scaleSum() / settings.workers();
            ErrorFeedbackSign.apply(weights, scratchResidual, majority, stepSize);
          } else {
            stepSize = schedule.learningRate(step + 1);
            MajorityVote.apply(weights, majority, stepSize, settings);
          }
          replicas.unpersist(false);
          if (retired != null) {
            retired.destroy();
          }
          retired = previous;
          replicas = next;
          previous = spark.broadcast(new VotingReplica.StepBroadcast(majority, stepSize,
              schedule.learningRate(Math.min(step + 2, totalSteps))));
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        wire.awaitJobs(expectedJobs);
        double bits = 8.0 * (wire.bytes() - bytesBefore) / ((double) stepsPerEpoch * settings.workers());
        EpochReport line = new EpochReport(epoch, model.loss(weights, digits.trainX(), digits.trainY()),
            model.accuracy(weights, digits.testX(), digits.testY()), parameters, bits,
            parameters + (settings.errorFeedback() ? Float.SIZE : 0),
            seconds / stepsPerEpoch);
        epochs.add(line);
        report.accept(line);
      }
      // the replicas still owe the last majority: apply it as every step applies the previous one
      Broadcast<VotingReplica.StepBroadcast> last = previous;
      List<float[]> replicaWeights = replicas.map(r -> r.weightsAfter(last.value())).collect();
      return new TrainingResult(weights, replicaWeights, epochs, voters);
    } finally {
      spark.sc().removeSparkListener(wire);
    }
  }

  /** MXNet's cosine decay from {@code lr} to {@code lr / 100} over the run. */
  static LrScheduler cosine(TrainingSettings settings, int totalSteps) {
    return new CosineScheduler(Math.max(1, totalSteps), settings.lr(), settings.lr() / 100, 0, 0,
        LrScheduler.WarmupMode.LINEAR);
  }
}
