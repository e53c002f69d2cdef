package org.optikern.benchmarks;

import java.util.List;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * SGLD's unclipped float32 kernel as the processor generated it before issue 18's fast noise: one
 * element at a time, each normal value from SplitMix64 mixing and Box-Muller with {@code
 * StrictMath} (log, sqrt, cos), as {@code org.optikern.kernel.Noise} computed it then. Kept only to
 * measure the new noise against ({@link NoiseBenchmark}); the same scalar vector as the generated
 * {@code SgldUnclippedF32Kernel}.
 */
final class BoxMullerSgldKernel implements UpdateKernel {
  static final BoxMullerSgldKernel INSTANCE = new BoxMullerSgldKernel();

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static final double TWO_PI = 2 * Math.PI;
  private static final double ULP_53 = 0x1.0p-53;

  private BoxMullerSgldKernel() {}

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static double uniform(long key, long counter) {
    return ((mix(key * GOLDEN_GAMMA + counter * 0xd1b54a32d192ed03L + 1) >>> 11) + 1) * ULP_53;
  }

  static double normal(long key, long element) {
    double u1 = uniform(key, 2 * element);
    double u2 = uniform(key, 2 * element + 1);
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
  }

  static void update(float[] weight, float[] grad, int offset, int length, float wd, float rescaleGrad,
      float negHalfLr, float noiseStd, long noiseKey) {
    for (int i = offset, end = offset + length; i < end; i++) {
      float w = weight[i];
      float g = rescaleGrad * grad[i];
      w = w + (g + wd * w) * negHalfLr;
      weight[i] = w;
      weight[i] = w + (float) normal(noiseKey, i) * noiseStd;
    }
  }

  @Override
  public DType dtype() {
    return DType.FLOAT32;
  }

  @Override
  public SwitchSet switches() {
    return SwitchSet.of(List.of("clipped"), false);
  }

  @Override
  public List<String> stateNames() {
    return List.of();
  }

  /** The generated kernel's scalar vector: lr, wd, rescale_grad, clip_gradient, t, neg_half_lr, noise_std, noise_key. */
  @Override
  public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
    update((float[]) weight, (float[]) grad, offset, length, (float) scalars[1], (float) scalars[2],
        (float) scalars[5], (float) scalars[6], (long) scalars[7]);
  }
}
