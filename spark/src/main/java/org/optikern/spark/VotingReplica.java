package org.optikern.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * One worker of majority vote (Signum's, or EF-signSGD's), as the one element of its Spark
 * partition: its shard, its replica of the weights, its state (Signum's momentum, or EF-signSGD's
 * residual when {@link TrainingSettings#errorFeedback()}), and the vote it sent last. Replicas
 * are never changed in place: {@link #next} returns a new one, so a task that Spark retries starts
 * again from the same cached parent and cannot apply a vote twice.
 */
public final class VotingReplica implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DigitsShard shard;
  private final TrainingSettings settings;
  private final boolean adversary;
  private final float[] weights;
  /** Signum's momentum, or EF-signSGD's residual. */
  private final float[] state;
  private final long[] vote;
  /** EF-signSGD's scale of the step voted on, sent with the vote; 0 for Signum. */
  private final float scale;

  private VotingReplica(DigitsShard shard, TrainingSettings settings, boolean adversary, float[] weights,
      float[] state, long[] vote, float scale) {
    this.shard = shard;
    this.settings = settings;
    this.adversary = adversary;
    this.weights = weights;
    this.state = state;
    this.vote = vote;
    this.scale = scale;
  }

  /** A worker before its first step: the shared starting weights, a zero momentum or residual, no vote. */
  public static VotingReplica start(DigitsShard shard, TrainingSettings settings, float[] initialWeights) {
    boolean adversary = shard.worker() >= settings.workers() - settings.adversaries();
    return new VotingReplica(shard, settings, adversary, initialWeights.clone(), new float[initialWeights.length],
        null, 0);
  }

  /**
   * Step {@code step}: applies the previous step's majority (none before step 0), computes the
   * gradient of this step's batch, updates the momentum (or corrects the step by the residual) and votes.
   */
  public VotingReplica next(StepBroadcast previous, int step) {
    float[] nextWeights = weights.clone();
    float[] nextState = state.clone();
    applyTo(nextWeights, nextState, previous);
    float[] grad = new FlatModel(settings).gradient(nextWeights, shard.x(), shard.y(), shard.batch(step));
    long[] signs;
    float nextScale = 0;
    if (settings.errorFeedback()) {
      signs = ErrorFeedbackSign.correct(nextWeights, grad, nextState, previous.lr(), settings);
      nextScale = ErrorFeedbackSign.scale(nextState);
    } else {
      signs = MajorityVote.vote(nextWeights, grad, nextState, settings);
    }
    long[] sent = adversary ? OneBitSigns.inverted(signs, nextWeights.length) : signs;
    FaultInjection.failFirstAttempt(settings, shard.worker(), step);
    return new VotingReplica(shard, settings, adversary, nextWeights, nextState, sent, nextScale);
  }

  private void applyTo(float[] targetWeights, float[] targetState, StepBroadcast previous) {
    if (previous.majority() == null) {
      return;
    }
    if (settings.errorFeedback()) {
      ErrorFeedbackSign.apply(targetWeights, targetState, previous.majority(), previous.step());
    } else {
      MajorityVote.apply(targetWeights, previous.majority(), previous.step(), settings);
    }
  }

  /** Adds the packed signs this worker sent at its last step, and its scale, to {@code tally}. */
  public VoteTally addVoteTo(VoteTally tally) {
    if (vote == null) {
      throw new IllegalStateException("worker " + shard.worker() + " has not voted yet");
    }
    return tally.addVote(vote, scale);
  }

  /** This replica's weights once {@code pending}'s majority is applied: the driver's, after the last step. */
  public float[] weightsAfter(StepBroadcast pending) {
    float[] result = weights.clone();
    applyTo(result, state.clone(), pending);
    return result;
  }

  /**
   * What every worker gets before a step: the previous step's packed majority (null before the
   * first), the size of the step to take with it ({@code -step*majority}: Signum's learning rate,
   * or EF-signSGD's mean scale), and the learning rate of the coming step (which EF-signSGD's
   * correction uses).
   */
  public record StepBroadcast(long[] majority, double step, double lr) implements Serializable {}

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
