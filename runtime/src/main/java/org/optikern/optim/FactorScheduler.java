package org.optikern.optim;

/** Multiplies the learning rate by {@code factor} every {@code step} updates, down to {@code stop_factor_lr}. */
public final class FactorScheduler extends LrScheduler {
  private final int step;
  private final double factor;
  private final double stopFactorLr;
  private int count;

  public FactorScheduler(int step, double factor, double stopFactorLr, double baseLr, int warmupSteps,
      double warmupBeginLr, WarmupMode warmupMode) {
    super(baseLr, warmupSteps, warmupBeginLr, warmupMode);
    if (step < 1) {
      throw new IllegalArgumentException("Schedule step must be greater or equal than 1 round");
    }
    if (factor > 1.0) {
      throw new IllegalArgumentException("Factor must be no more than 1 to make lr reduce");
    }
    this.step = step;
    this.factor = factor;
    this.stopFactorLr = stopFactorLr;
  }

  /** MXNet's defaults: stop_factor_lr 1e-8, base_lr 0.01, no warmup. */
  public FactorScheduler(int step, double factor) {
    this(step, factor, 1e-8, 0.01, 0, 0, WarmupMode.LINEAR);
  }

  @Override
  protected double afterWarmup(int numUpdate) {
    // a loop, not an if, so that resuming at a large count applies every decay it passed
    while (numUpdate > count + step) {
      count += step;
      baseLr *= factor;
      if (baseLr < stopFactorLr) {
        baseLr = stopFactorLr;
      }
    }
    return baseLr;
  }
}
