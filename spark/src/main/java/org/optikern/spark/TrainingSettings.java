package org.optikern.spark;

import java.io.Serializable;

/**
 * What a data-parallel run on the digits trains, with which hyperparameters, on how many workers.
 * Every worker draws {@code batchPerWorker} examples a step from its own shard; an epoch is one
 * pass over the largest shard.
 *
 * @param workers the data-parallel replicas, one Spark partition each
 * @param adversaries how many of them (the last ones) send inverted signs, the papers' adversary (majority vote only)
 * @param hidden the MLP's hidden units (0: softmax regression)
 * @param lr the learning rate of the first step; it decays along a cosine to {@code lr / 100} at the last
 * @param momentum the workers' momentum (majority vote) or Signum's (all-reduce)
 * @param wd coupled weight decay: it enters the momentum, as in Signum
 * @param wdLh decoupled weight decay: it enters the step, as Signum's {@code wd_lh}
 * @param clipGradient the bound of the rescaled gradient, off when not positive
 * @param failOnceAtStep a step at which worker 0's task throws on its first attempt (-1: never), to
 *     show that Spark's retry neither counts a vote twice nor lets replicas drift apart
 * @param errorFeedback majority vote on EF-signSGD's error-corrected steps instead of Signum's
 *     momenta ({@link ErrorFeedbackCorrectionSpec}); {@code momentum} and {@code wdLh} must then be 0
 */
public record TrainingSettings(int workers, int adversaries, int hidden, int batchPerWorker, int epochs, double lr,
    double momentum, double wd, double wdLh, double clipGradient, long seed, int failOnceAtStep,
    boolean errorFeedback) implements Serializable {

  public TrainingSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, found " + workers);
    }
    if (adversaries < 0 || adversaries > workers) {
      throw new IllegalArgumentException("adversaries must be between 0 and the " + workers + " workers, found "
          + adversaries);
    }
    if (hidden < 0) {
      throw new IllegalArgumentException("hidden must be 0 (softmax regression) or more, found " + hidden);
    }
    if (batchPerWorker < 1) {
      throw new IllegalArgumentException("batchPerWorker must be at least 1, found " + batchPerWorker);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs cannot be negative, found " + epochs);
    }
    if (errorFeedback && (momentum != 0 || wd != 0 || wdLh != 0)) {
      throw new IllegalArgumentException("EF-signSGD (errorFeedback) has no momentum or weight decay: momentum, wd and"
          + " wdLh must be 0, found " + momentum + ", " + wd + " and " + wdLh);
    }
    for (double value : new double[] {lr, momentum, wd, wdLh, clipGradient}) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("lr, momentum, wd, wdLh and clipGradient must be finite, found " + value);
      }
    }
  }

  /** The demo's defaults for {@code workers} workers: an MLP 64-32-10, 32 examples per worker and step. */
  public static TrainingSettings defaults(int workers) {
    return new TrainingSettings(workers, 0, 32, 32, 20, 0.01, 0.9, 0.0, 0.0, 0.0, 42, -1, false);
  }

  public TrainingSettings withWorkers(int workers, int adversaries) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, momentum, wd, wdLh,
        clipGradient, seed, failOnceAtStep, errorFeedback);
  }

  public TrainingSettings withEpochs(int epochs) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, momentum, wd, wdLh,
        clipGradient, seed, failOnceAtStep, errorFeedback);
  }

  public TrainingSettings withFailureOnceAtStep(int step) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, momentum, wd, wdLh,
        clipGradient, seed, step, errorFeedback);
  }

  public TrainingSettings withOptimizer(double lr, double momentum, double wd, double wdLh, double clipGradient) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, momentum, wd, wdLh,
        clipGradient, seed, failOnceAtStep, errorFeedback);
  }

  public TrainingSettings withHidden(int hidden) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, momentum, wd, wdLh,
        clipGradient, seed, failOnceAtStep, errorFeedback);
  }

  /** EF-signSGD with majority vote at learning rate {@code lr}: no momentum, no decay. */
  public TrainingSettings withErrorFeedback(double lr) {
    return new TrainingSettings(workers, adversaries, hidden, batchPerWorker, epochs, lr, 0, 0, 0, clipGradient, seed,
        failOnceAtStep, true);
  }
}
