package org.optikern.optim;

/** Multiplies the learning rate by {@code factor} every {@code step} updates, down to {@code stop_factor_lr}. */
public final class FactorScheduler extends LrScheduler {
  private final int step;
  private final double factor;
  private final double stopFactorLr;
  /** The update count of the last decay (long: count + step may pass Integer.MAX_VALUE). */
  private long count;

  public FactorScheduler(int step, double factor, double stopFactorLr, double baseLr, int warmupSteps,
      double warmupBeginLr, WarmupMode warmupMode) {
    super(baseLr, warmupSteps, warmupBeginLr, warmupMode);
    if (step < 1) {
      throw new IllegalArgumentException("Schedule step must be greater or equal than 1 round");
    }
    requireDecayFactor(factor);
    if (!(stopFactorLr >= 0) || stopFactorLr == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("stop_factor_lr must be a finite number >= 0, found " + stopFactorLr);
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
    // a loop, not an if, so that resuming at a large count applies every decay it passed, one
    // multiplication at a time as MXNet does; once a decay no longer changes the rate (the floor,
    // or 0), the remaining steps are skipped at once; either way the loop ends after at most
    // count / step multiplications
    while (numUpdate > count + step) {
      double decayed = baseLr * factor;
      if (decayed < stopFactorLr) {
        decayed = stopFactorLr;
      }
      // bits, not ==: with a factor of -0.0 the rate alternates between +0 and -0, as in MXNet
      if (Double.doubleToRawLongBits(decayed) == Double.doubleToRawLongBits(baseLr)) {
        count += (numUpdate - 1 - count) / step * step;
        break;
      }
      count += step;
      baseLr = decayed;
    }
    return baseLr;
  }
}
