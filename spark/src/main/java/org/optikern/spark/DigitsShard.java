package org.optikern.spark;

import java.io.Serializable;
import java.util.Random;
import org.optikern.examples.Digits;

/**
 * One worker's share of the training images (image {@code i} goes to worker {@code i % workers})
 * and the batches it draws from them. A batch depends only on the seed, the worker and the step,
 * so a task that Spark retries draws the same batch again.
 */
public final class DigitsShard implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int worker;
  private final float[][] x;
  private final int[] y;
  private final int batch;
  private final int stepsPerEpoch;
  private final long seed;

  private DigitsShard(int worker, float[][] x, int[] y, int batch, int stepsPerEpoch, long seed) {
    this.worker = worker;
    this.x = x;
    this.y = y;
    this.batch = batch;
    this.stepsPerEpoch = stepsPerEpoch;
    this.seed = seed;
  }

  /** Worker {@code worker}'s shard of the training images. */
  public static DigitsShard of(Digits digits, int worker, TrainingSettings settings) {
    int n = digits.trainY().length;
    int workers = settings.workers();
    if (n < workers) {
      throw new IllegalArgumentException(n + " training images cannot be shared by " + workers + " workers");
    }
    int size = (n - worker + workers - 1) / workers;
    float[][] x = new float[size][];
    int[] y = new int[size];
    for (int j = 0; j < size; j++) {
      x[j] = digits.trainX()[worker + j * workers];
      y[j] = digits.trainY()[worker + j * workers];
    }
    return new DigitsShard(worker, x, y, settings.batchPerWorker(), stepsPerEpoch(digits, settings), settings.seed());
  }

  /** Steps in an epoch: one pass over the largest shard (the others wrap around). */
  public static int stepsPerEpoch(Digits digits, TrainingSettings settings) {
    int largest = (digits.trainY().length + settings.workers() - 1) / settings.workers();
    return (largest + settings.batchPerWorker() - 1) / settings.batchPerWorker();
  }

  public int worker() {
    return worker;
  }

  public float[][] x() {
    return x;
  }

  public int[] y() {
    return y;
  }

  /** The shard's images of step {@code step}: its slice of this epoch's shuffle of the shard, always {@code batch} of them. */
  public int[] batch(int step) {
    int epoch = step / stepsPerEpoch;
    int[] order = new int[y.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed * 1_000_003L + worker * 7_919L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] indices = new int[batch];
    int from = (step % stepsPerEpoch) * batch;
    for (int k = 0; k < batch; k++) {
      indices[k] = order[(from + k) % order.length];
    }
    return indices;
  }
}
