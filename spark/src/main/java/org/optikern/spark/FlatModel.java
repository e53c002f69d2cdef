package org.optikern.spark;

import java.util.List;
import org.optikern.examples.Digits;
import org.optikern.examples.Mlp;
import org.optikern.tensor.Tensor;

/**
 * The demo's MLP ({@link Mlp}) seen as one flat float vector of all its parameters, laid end to
 * end in {@code Mlp.params}' order: the unit that workers vote on and that kernels update in one
 * call. Not serializable: each task builds its own from the settings.
 */
public final class FlatModel {
  private final Mlp mlp;
  private final int size;

  public FlatModel(TrainingSettings settings) {
    this.mlp = new Mlp(Digits.PIXELS, settings.hidden(), Digits.CLASSES, settings.seed());
    int total = 0;
    for (Tensor p : mlp.params) {
      total += p.size();
    }
    this.size = total;
  }

  /** The number of parameters. */
  public int size() {
    return size;
  }

  /** The starting point that every replica shares: the MLP's seeded initialization. */
  public float[] initialWeights() {
    return concatenate(mlp.params);
  }

  /** The gradient of the summed cross-entropy over {@code batch} at {@code weights}. */
  public float[] gradient(float[] weights, float[][] x, int[] y, int[] batch) {
    load(weights);
    mlp.backward(x, y, batch);
    return concatenate(mlp.grads);
  }

  /** The mean cross-entropy at {@code weights}. */
  public double loss(float[] weights, float[][] x, int[] y) {
    load(weights);
    return mlp.loss(x, y);
  }

  /** The fraction of images classified right at {@code weights}. */
  public double accuracy(float[] weights, float[][] x, int[] y) {
    load(weights);
    return mlp.accuracy(x, y);
  }

  private void load(float[] weights) {
    if (weights.length != size) {
      throw new IllegalArgumentException("the model has " + size + " parameters, found " + weights.length);
    }
    int offset = 0;
    for (Tensor p : mlp.params) {
      System.arraycopy(weights, offset, p.floatData(), 0, p.size());
      offset += p.size();
    }
  }

  private static float[] concatenate(List<Tensor> tensors) {
    int total = 0;
    for (Tensor t : tensors) {
      total += t.size();
    }
    float[] flat = new float[total];
    int offset = 0;
    for (Tensor t : tensors) {
      System.arraycopy(t.floatData(), 0, flat, offset, t.size());
      offset += t.size();
    }
    return flat;
  }
}
