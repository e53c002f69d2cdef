package org.optikern.optim;

/** Cosine decay from base_lr to final_lr over max_update updates. */
public final class CosineScheduler extends LrScheduler {
  private final double baseLrOrig;
  private final int maxUpdate;
  private final double finalLr;
  private final int maxSteps;

  public CosineScheduler(int maxUpdate, double baseLr, double finalLr, int warmupSteps, double warmupBeginLr,
      WarmupMode warmupMode) {
    super(baseLr, warmupSteps, warmupBeginLr, warmupMode);
    requireDecayAfterWarmup(maxUpdate, warmupSteps);
    Optimizer.requireFinite("final_lr", finalLr);
    this.baseLrOrig = baseLr;
    this.maxUpdate = maxUpdate;
    this.finalLr = finalLr;
    this.maxSteps = maxUpdate - warmupSteps;
  }

  /** MXNet's defaults: base_lr 0.01, final_lr 0, no warmup. */
  public CosineScheduler(int maxUpdate) {
    this(maxUpdate, 0.01, 0, 0, 0, WarmupMode.LINEAR);
  }

  @Override
  protected double afterWarmup(int numUpdate) {
    if (numUpdate <= maxUpdate) {
      baseLr = finalLr + (baseLrOrig - finalLr) * (1 + Math.cos(Math.PI * (numUpdate - warmupSteps) / maxSteps)) / 2;
    }
    return baseLr;
  }
}
