package org.optikern.optim;

/** Multiplies the learning rate by {@code factor} when the update count passes each of the given steps. */
public final class MultiFactorScheduler extends LrScheduler {
  private final int[] steps;
  private final double factor;
  private int currentStep;

  public MultiFactorScheduler(int[] steps, double factor, double baseLr, int warmupSteps, double warmupBeginLr,
      WarmupMode warmupMode) {
    super(baseLr, warmupSteps, warmupBeginLr, warmupMode);
    if (steps == null || steps.length < 1) {
      throw new IllegalArgumentException("MultiFactorScheduler needs at least one step");
    }
    for (int i = 0; i < steps.length; i++) {
      if (i != 0 && steps[i] <= steps[i - 1]) {
        throw new IllegalArgumentException("Schedule step must be an increasing integer list");
      }
      if (steps[i] < 1) {
        throw new IllegalArgumentException("Schedule step must be greater or equal than 1 round");
      }
    }
    requireDecayFactor(factor);
    this.steps = steps.clone();
    this.factor = factor;
  }

  /** MXNet's defaults: base_lr 0.01, no warmup. */
  public MultiFactorScheduler(int[] steps, double factor) {
    this(steps, factor, 0.01, 0, 0, WarmupMode.LINEAR);
  }

  @Override
  protected double afterWarmup(int numUpdate) {
    while (currentStep < steps.length && numUpdate > steps[currentStep]) {
      currentStep++;
      baseLr *= factor;
    }
    return baseLr;
  }
}
