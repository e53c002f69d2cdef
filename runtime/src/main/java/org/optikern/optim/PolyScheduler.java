package org.optikern.optim;

/** Polynomial decay from base_lr to final_lr over max_update updates: {@code (1 - t)^pwr}. */
public final class PolyScheduler extends LrScheduler {
  private final double baseLrOrig;
  private final int maxUpdate;
  private final double power;
  private final double finalLr;
  private final int maxSteps;

  public PolyScheduler(int maxUpdate, double baseLr, double power, double finalLr, int warmupSteps,
      double warmupBeginLr, WarmupMode warmupMode) {
    super(baseLr, warmupSteps, warmupBeginLr, warmupMode);
    requireDecayAfterWarmup(maxUpdate, warmupSteps);
    Optimizer.requireFinite("final_lr", finalLr);
    if (!(power >= 0) || power == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("pwr must be a finite number >= 0, found " + power);
    }
    this.baseLrOrig = baseLr;
    this.maxUpdate = maxUpdate;
    this.power = power;
    this.finalLr = finalLr;
    this.maxSteps = maxUpdate - warmupSteps;
  }

  /** MXNet's defaults: base_lr 0.01, pwr 2, final_lr 0, no warmup. */
  public PolyScheduler(int maxUpdate) {
    this(maxUpdate, 0.01, 2, 0, 0, 0, WarmupMode.LINEAR);
  }

  @Override
  protected double afterWarmup(int numUpdate) {
    if (numUpdate <= maxUpdate) {
      baseLr = finalLr + (baseLrOrig - finalLr)
          * Math.pow(1 - (double) (numUpdate - warmupSteps) / (double) maxSteps, power);
    }
    return baseLr;
  }
}
