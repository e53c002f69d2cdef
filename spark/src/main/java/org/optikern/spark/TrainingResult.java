package org.optikern.spark;

import java.util.List;

/**
 * The end of a data-parallel run: the driver's weights, every worker's replica (equal to them bit
 * for bit when the run is sound), the epochs' reports, and per step how many votes or gradients
 * were counted (the number of workers when no task was counted twice or lost).
 */
public record TrainingResult(float[] weights, List<float[]> replicaWeights, List<EpochReport> epochs,
    int[] contributionsPerStep) {

  public EpochReport last() {
    return epochs.get(epochs.size() - 1);
  }

  /** How many replicas hold the driver's weights bit for bit (NaN payloads and zero signs included). */
  public long replicasIdenticalToDriver() {
    return replicaWeights.stream().filter(this::sameBits).count();
  }

  private boolean sameBits(float[] replica) {
    if (replica.length != weights.length) {
      return false;
    }
    for (int i = 0; i < replica.length; i++) {
      if (Float.floatToRawIntBits(replica[i]) != Float.floatToRawIntBits(weights[i])) {
        return false;
      }
    }
    return true;
  }
}
