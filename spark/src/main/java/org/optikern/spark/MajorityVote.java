package org.optikern.spark;

/**
 * The two kernels of Signum with majority vote, as the driver and the workers call them: a
 * worker's momentum and vote ({@link MajorityVoteMomentumSpec}), and the step that every replica
 * takes with the majority ({@link MajorityVoteApplySpec}). Both are generated from their specs.
 */
public final class MajorityVote {
  private MajorityVote() {}

  /**
   * Updates {@code mom} from {@code grad}, the gradient summed over a batch of {@code batch}
   * images, and returns its one-bit signs: the worker's vote. The weights are read (coupled
   * decay), never changed.
   */
  public static long[] vote(float[] weights, float[] grad, float[] mom, TrainingSettings settings) {
    if (grad.length != weights.length || mom.length != weights.length) {
      throw new IllegalArgumentException("weights, gradient and momentum must have one length; found "
          + weights.length + ", " + grad.length + " and " + mom.length);
    }
    float rescale = (float) (1.0 / settings.batchPerWorker());
    if (settings.clipGradient() > 0) {
      MajorityVoteMomentumClippedF32Kernel.update(weights, grad, mom, 0, weights.length, (float) settings.wd(),
          rescale, (float) settings.clipGradient(), (float) settings.momentum());
    } else {
      MajorityVoteMomentumUnclippedF32Kernel.update(weights, grad, mom, 0, weights.length, (float) settings.wd(),
          rescale, (float) settings.momentum());
    }
    return OneBitSigns.pack(mom);
  }

  /** {@code weights = (1 - lr*wd_lh)*weights - lr*majority}; the packed majority is checked before any write. */
  public static void apply(float[] weights, long[] majority, double lr, TrainingSettings settings) {
    float[] signs = OneBitSigns.unpack(majority, weights.length);
    MajorityVoteApplyUnclippedF32Kernel.update(weights, signs, 0, weights.length, (float) lr, (float) settings.wdLh());
  }
}
