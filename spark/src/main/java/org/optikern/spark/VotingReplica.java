package org.optikern.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * One worker of Signum with majority vote, as one element of a one-element Spark partition: its
 * shard, its replica of the weights, its momentum, and the vote it sent last. Replicas are never
 * changed in place: {@link #next} returns a new one, so a task that Spark retries starts again from
 * the same cached parent and cannot apply a vote twice.
 */
public final class VotingReplica implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DigitsShard shard;
  private final TrainingSettings settings;
  private final boolean adversary;
  private final float[] weights;
  private final float[] mom;
  private final long[] vote;

  private VotingReplica(DigitsShard shard, TrainingSettings settings, boolean adversary, float[] weights, float[] mom,
      long[] vote) {
    this.shard = shard;
    this.settings = settings;
    this.adversary = adversary;
    this.weights = weights;
    this.mom = mom;
    this.vote = vote;
  }

  /** A worker before its first step: the shared starting weights, zero momentum, no vote. */
  public static VotingReplica start(DigitsShard shard, TrainingSettings settings, float[] initialWeights) {
    boolean adversary = shard.worker() >= settings.workers() - settings.adversaries();
    return new VotingReplica(shard, settings, adversary, initialWeights.clone(), new float[initialWeights.length],
        null);
  }

  /**
   * Step {@code step}: applies the previous step's majority (none before step 0) with that step's
   * learning rate, computes the gradient of this step's batch, updates the momentum and votes.
   */
  public VotingReplica next(StepBroadcast previous, int step) {
    float[] nextWeights = weights.clone();
    float[] nextMom = mom.clone();
    if (previous.majority() != null) {
      MajorityVote.apply(nextWeights, previous.majority(), previous.lr(), settings);
    }
    float[] grad = new FlatModel(settings).gradient(nextWeights, shard.x(), shard.y(), shard.batch(step));
    long[] signs = MajorityVote.vote(nextWeights, grad, nextMom, settings);
    long[] sent = adversary ? OneBitSigns.inverted(signs, nextWeights.length) : signs;
    FaultInjection.failFirstAttempt(settings, shard.worker(), step);
    return new VotingReplica(shard, settings, adversary, nextWeights, nextMom, sent);
  }

  /** The packed signs this worker sent at its last step. */
  public long[] vote() {
    if (vote == null) {
      throw new IllegalStateException("worker " + shard.worker() + " has not voted yet");
    }
    return vote;
  }

  public float[] weights() {
    return weights.clone();
  }

  /** This replica's weights once {@code pending}'s majority is applied: the driver's, after the last step. */
  public float[] weightsAfter(StepBroadcast pending) {
    float[] result = weights.clone();
    if (pending.majority() != null) {
      MajorityVote.apply(result, pending.majority(), pending.lr(), settings);
    }
    return result;
  }

  public float[] mom() {
    return mom.clone();
  }

  /** The packed majority of a step and its learning rate, sent to every worker for the next step. */
  public record StepBroadcast(long[] majority, double lr) implements Serializable {}

  /** The test hook of {@link TrainingSettings#failOnceAtStep()}. */
  static final class FaultInjection {
    private FaultInjection() {}

    static void failFirstAttempt(TrainingSettings settings, int worker, int step) {
      TaskContext task = TaskContext.get();
      if (settings.failOnceAtStep() == step && worker == 0 && task != null && task.attemptNumber() == 0) {
        throw new IllegalStateException("worker 0 fails its first attempt at step " + step
            + " (failOnceAtStep), after voting: Spark must retry it");
      }
    }
  }
}
