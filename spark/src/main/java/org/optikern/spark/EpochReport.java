package org.optikern.spark;

/**
 * One epoch of a data-parallel run, measured on the driver's replica.
 *
 * @param bitsPerWorkerPerStep what each worker's task sent per step, from Spark's task metrics
 *     (payload and Spark's envelope of task metrics), averaged over the epoch
 * @param payloadBitsPerWorkerPerStep what the algorithm itself sends: 1 bit per parameter for a
 *     vote (and 32 for EF-signSGD's scale), 32 per parameter for a float32 gradient
 */
public record EpochReport(int epoch, double trainLoss, double heldOutAccuracy, int parameters,
    double bitsPerWorkerPerStep, long payloadBitsPerWorkerPerStep, double secondsPerStep) {

  /** The float32 all-reduce's payload for the same model: 32 bits per parameter. */
  public long float32PayloadBits() {
    return 32L * parameters;
  }

  public String line(int epochs) {
    return String.format("epoch %2d/%d  train loss %.4f  held-out accuracy %5.1f%%  sent %,.0f bits/worker/step"
        + " (payload %,d bits; float32 all-reduce's %,d: %.1fx less)  %.1f ms/step", epoch, epochs, trainLoss,
        100 * heldOutAccuracy, bitsPerWorkerPerStep, payloadBitsPerWorkerPerStep, float32PayloadBits(),
        (double) float32PayloadBits() / payloadBitsPerWorkerPerStep, secondsPerStep * 1e3);
  }
}
