package org.optikern.spark;

/**
 * The two kernels of EF-signSGD with majority vote, as the driver and the workers call them
 * ({@link ErrorFeedbackCorrectionSpec}, {@link ErrorFeedbackApplySpec}, both generated), and the
 * worker's scale.
 */
public final class ErrorFeedbackSign {
  private ErrorFeedbackSign() {}

  /**
   * Writes the error-corrected step {@code p = lr*g + e} over {@code residual} ({@code grad} is
   * summed over the worker's batch) and returns its one-bit signs, the worker's vote.
   */
  public static long[] correct(float[] weights, float[] grad, float[] residual, double lr, TrainingSettings settings) {
    if (grad.length != weights.length || residual.length != weights.length) {
      throw new IllegalArgumentException("weights, gradient and residual must have one length; found "
          + weights.length + ", " + grad.length + " and " + residual.length);
    }
    float rescale = (float) (1.0 / settings.batchPerWorker());
    if (settings.clipGradient() > 0) {
      ErrorFeedbackCorrectionClippedF32Kernel.update(weights, grad, residual, 0, weights.length, (float) lr, rescale,
          (float) settings.clipGradient());
    } else {
      ErrorFeedbackCorrectionUnclippedF32Kernel.update(weights, grad, residual, 0, weights.length, (float) lr, rescale);
    }
    return OneBitSigns.pack(residual);
  }

  /**
   * The scale of the step {@code p}, as the worker sends it (float32): its mean magnitude
   * {@code ||p||_1 / d}, summed in double in element order: the wire format's reference sums in
   * double, where a float32 kernel's {@code sumabs} would sum in float.
   */
  public static float scale(float[] corrected) {
    if (corrected.length == 0) {
      return 0;
    }
    double sum = 0;
    for (float p : corrected) {
      sum += Math.abs(p);
    }
    return (float) (sum / corrected.length);
  }

  /**
   * {@code residual -= step*majority} and {@code weights -= step*majority}; the packed majority
   * is checked before any write.
   */
  public static void apply(float[] weights, float[] residual, long[] majority, double step) {
    if (residual.length != weights.length) {
      throw new IllegalArgumentException("a residual of " + residual.length + " elements for " + weights.length
          + " weights");
    }
    float[] signs = OneBitSigns.unpack(majority, weights.length);
    ErrorFeedbackApplyUnclippedF32Kernel.update(weights, signs, residual, 0, weights.length, (float) step);
  }
}
