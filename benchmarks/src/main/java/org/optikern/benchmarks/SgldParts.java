package org.optikern.benchmarks;

import java.util.List;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * The two parts of the generated {@code SgldUnclippedF32Kernel}, each on its own, to measure where
 * SGLD's update spends its time ({@link NoiseBenchmark}): {@link #NOISE} draws the same batches of
 * 512 normal values with {@link KernelMath#normals} and only keeps one per batch; {@link #LOOP} runs
 * the kernel's loop, the same statements, over one buffer of values drawn once, without drawing.
 */
enum SgldParts implements UpdateKernel {
  NOISE {
    @Override
    void update(float[] weight, float[] grad, int offset, int length, float wd, float rescaleGrad, float negHalfLr,
        float noiseStd, long noiseKey) {
      double[] normals = KernelMath.normalsBuffer(length);
      double kept = 0;
      for (int batch = offset, end = offset + length; batch < end; batch += normals.length) {
        int batchEnd = batch + Math.min(normals.length, end - batch);
        KernelMath.normals(noiseKey, batch, normals, batchEnd - batch);
        kept += normals[0];
      }
      sink = kept;
    }
  },
  LOOP {
    @Override
    void update(float[] weight, float[] grad, int offset, int length, float wd, float rescaleGrad, float negHalfLr,
        float noiseStd, long noiseKey) {
      double[] normals = drawnOnce;
      for (int batch = offset, end = offset + length; batch < end; batch += normals.length) {
        int batchEnd = batch + Math.min(normals.length, end - batch);
        for (int i = batch; i < batchEnd; i++) {
          float weightI = weight[i];
          float gradI = grad[i];
          float g = rescaleGrad * gradI;
          weightI = weightI + (g + wd * weightI) * negHalfLr;
          weight[i] = weightI;
          weight[i] = weightI + (float) normals[i - batch] * noiseStd;
        }
      }
    }
  };

  static volatile double sink;

  private static final double[] drawnOnce = drawnOnce();

  private static double[] drawnOnce() {
    double[] normals = KernelMath.normalsBuffer(KernelMath.NORMALS_AT_A_TIME);
    KernelMath.normals(1, 0, normals, normals.length);
    return normals;
  }

  abstract void update(float[] weight, float[] grad, int offset, int length, float wd, float rescaleGrad,
      float negHalfLr, float noiseStd, long noiseKey);

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

  /** SGLD's scalar vector: lr, wd, rescale_grad, clip_gradient, t, neg_half_lr, noise_std, noise_key. */
  @Override
  public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
    update((float[]) weight, (float[]) grad, offset, length, (float) scalars[1], (float) scalars[2],
        (float) scalars[5], (float) scalars[6], (long) scalars[7]);
  }
}
