package org.optikern.optim;

/**
 * MXNet's {@code mxnet.lr_scheduler.LRScheduler}: maps the optimizer's {@code num_update} to a
 * learning rate, with an optional warmup. Like MXNet's, Factor and MultiFactor schedulers are
 * stateful: each call may decay {@code base_lr} for good, so call them with non-decreasing counts.
 */
public abstract class LrScheduler {
  public enum WarmupMode {
    /** From {@code warmup_begin_lr} up to {@code base_lr} in a straight line. */
    LINEAR,
    /** {@code warmup_begin_lr} for the whole warmup. */
    CONSTANT
  }

  protected double baseLr;
  protected final int warmupSteps;
  protected final double warmupFinalLr;
  protected final double warmupBeginLr;
  protected final WarmupMode warmupMode;

  protected LrScheduler(double baseLr, int warmupSteps, double warmupBeginLr, WarmupMode warmupMode) {
    Optimizer.requireFinite("base_lr", baseLr);
    Optimizer.requireFinite("warmup_begin_lr", warmupBeginLr);
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.warmupFinalLr = baseLr;
    this.warmupBeginLr = warmupBeginLr;
    if (warmupBeginLr > warmupFinalLr) {
      throw new IllegalArgumentException("Base lr has to be higher than warmup_begin_lr");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("Warmup steps has to be positive or 0");
    }
    if (warmupMode == null) {
      throw new IllegalArgumentException("Supports only linear and constant modes of warmup");
    }
    this.warmupMode = warmupMode;
  }

  /** The learning rate for update number {@code numUpdate} (0 or more). */
  public final double learningRate(int numUpdate) {
    if (numUpdate < 0) {
      throw new IllegalArgumentException("num_update must be >= 0, found " + numUpdate);
    }
    if (numUpdate < warmupSteps) {
      return warmupLearningRate(numUpdate);
    }
    return afterWarmup(numUpdate);
  }

  protected abstract double afterWarmup(int numUpdate);

  private double warmupLearningRate(int numUpdate) {
    if (warmupMode == WarmupMode.CONSTANT) {
      return warmupBeginLr;
    }
    double increase = (warmupFinalLr - warmupBeginLr) * (double) numUpdate / (double) warmupSteps;
    return warmupBeginLr + increase;
  }

  /** A factor that may only shrink the rate: finite and in [0, 1] (MXNet checks only the upper bound). */
  static void requireDecayFactor(double factor) {
    if (factor > 1.0) {
      throw new IllegalArgumentException("Factor must be no more than 1 to make lr reduce");
    }
    if (!(factor >= 0)) {
      throw new IllegalArgumentException("factor must be a number in [0, 1], found " + factor);
    }
  }

  /** What Poly and Cosine need: a decay that ends after its warmup, so that it divides by a positive length. */
  static void requireDecayAfterWarmup(int maxUpdate, int warmupSteps) {
    if (maxUpdate < 1) {
      throw new IllegalArgumentException("maximum number of updates must be strictly positive");
    }
    if (maxUpdate <= warmupSteps) {
      // MXNet divides by zero at max_update == warmup_steps, and never decays when the warmup is longer
      throw new IllegalArgumentException("max_update (" + maxUpdate + ") must be greater than warmup_steps ("
          + warmupSteps + "): the decay runs from the end of the warmup to max_update");
    }
  }

  public double baseLr() {
    return baseLr;
  }

  /**
   * What the optimizer does when given both a scheduler and a learning rate. As in MXNet, the
   * warmup target and the Poly/Cosine starting value keep the constructor's base_lr.
   */
  void setBaseLr(double baseLr) {
    this.baseLr = baseLr;
  }
}
