package org.optikern.spark;

import java.io.Serializable;

/** Float32 gradients summed over workers, and how many were summed: what the all-reduce baseline aggregates. */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] values;
  private int workers;

  public GradientSum(int length) {
    this.values = new float[length];
  }

  /** Adds one worker's gradient; returns this sum. */
  public GradientSum add(AveragingReplica replica) {
    float[] gradient = replica.gradient();
    if (gradient.length != values.length) {
      throw new IllegalArgumentException("a gradient of " + gradient.length + " elements for a sum of " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] += gradient[i];
    }
    workers++;
    return this;
  }

  /** Adds another partial sum; returns this sum. */
  public GradientSum add(GradientSum other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException("cannot add a sum of " + other.values.length + " elements to one of "
          + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] += other.values[i];
    }
    workers += other.workers;
    return this;
  }

  public float[] values() {
    return values;
  }

  public int workers() {
    return workers;
  }
}
