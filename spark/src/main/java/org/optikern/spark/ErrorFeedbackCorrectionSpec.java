package org.optikern.spark;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * A worker's half of EF-signSGD (Karimireddy, Rebjock, Stich and Jaggi, "Error Feedback Fixes
 * SignSGD and other Gradient Compression Schemes", ICML 2019, arXiv:1901.09847, Algorithm 1):
 * the error-corrected step {@code p = lr*g + e}, written over the residual {@code e}, its one
 * extra state. The worker then sends the one-bit signs of {@code p} and the scale
 * {@code ||p||_1 / d}; the residual keeps what the applied step left out
 * ({@link ErrorFeedbackApplySpec}).
 *
 * <p>{@code weight = weight}: as in {@link MajorityVoteMomentumSpec}, the worker's replica moves
 * only by the aggregated step.
 */
@OptimizerSpec(name = "error_feedback_correction", learningRate = 0.01)
@State(name = "residual")
@Update(formulas = {
    "residual = lr*clip(rescale_grad*grad, clip_gradient) + residual",
    "weight = weight"})
public interface ErrorFeedbackCorrectionSpec {}
