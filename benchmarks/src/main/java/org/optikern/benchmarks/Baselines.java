package org.optikern.benchmarks;

/**
 * The loops the kernels are measured against, float32 Signum with momentum, unclipped, with the
 * benchmarks' scalars (lr 0.01, wd 1e-4, rescale_grad 1, momentum 0.9, wd_lh 1e-5).
 */
final class Baselines {
  private static final float LR = 0.01f;
  private static final float WD = 1e-4f;
  private static final float RESCALE_GRAD = 1f;
  private static final float MOMENTUM = 0.9f;
  private static final float WD_LH = 1e-5f;

  private Baselines() {}

  /** Signum as one would write it by hand, with MXNet's sign. */
  static void obvious(float[] weight, float[] grad, float[] mom, int size) {
    for (int i = 0; i < size; i++) {
      float m = MOMENTUM * mom[i] - (1 - MOMENTUM) * WD * weight[i] - (1 - MOMENTUM) * RESCALE_GRAD * grad[i];
      mom[i] = m;
      weight[i] = (1 - LR * WD_LH) * weight[i] + LR * ((m > 0 ? 1 : 0) - (m < 0 ? 1 : 0));
    }
  }

  /** The same memory traffic (weight, grad, mom read; mom, weight written) with no sign: the bandwidth bound. */
  static void sameTraffic(float[] weight, float[] grad, float[] mom, int size) {
    float a = (1 - MOMENTUM) * WD;
    float b = (1 - MOMENTUM) * RESCALE_GRAD;
    float c = 1 - LR * WD_LH;
    for (int i = 0; i < size; i++) {
      float m = MOMENTUM * mom[i] - a * weight[i] - b * grad[i];
      mom[i] = m;
      weight[i] = c * weight[i] + LR * m;
    }
  }

  /**
   * The memory traffic of an update with {@code states.length} states (0 to 2), on {@code [from, to)},
   * in one pass as a kernel makes it: the weight, the gradient and each state read, the weight and
   * each state written. {@code keep} 1 and {@code add} 0 leave every value as it was; passed in, so
   * the JIT cannot drop the work.
   */
  static void sameTraffic(float[] weight, float[] grad, float[][] states, int from, int to, float keep, float add) {
    switch (states.length) {
      case 0 -> {
        for (int i = from; i < to; i++) {
          weight[i] = weight[i] * keep + grad[i] * add;
        }
      }
      case 1 -> {
        float[] first = states[0];
        for (int i = from; i < to; i++) {
          float g = grad[i] * add;
          first[i] = first[i] * keep + g;
          weight[i] = weight[i] * keep + g;
        }
      }
      case 2 -> {
        float[] first = states[0];
        float[] second = states[1];
        for (int i = from; i < to; i++) {
          float g = grad[i] * add;
          first[i] = first[i] * keep + g;
          second[i] = second[i] * keep + g;
          weight[i] = weight[i] * keep + g;
        }
      }
      default -> throw new IllegalArgumentException(states.length + " states: write the loop for them");
    }
  }
}
