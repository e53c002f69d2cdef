package org.optikern.spark;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * The step of EF-signSGD with majority vote, on every replica: {@code grad} is the majority of
 * the workers' signs of {@code p} (-1 or +1, {@link VoteTally#majority()}) and {@code lr} the mean
 * of their scales {@code ||p||_1 / d}, so the step is {@code delta = lr*grad}. The residual
 * becomes {@code e = p - delta} (arXiv:1901.09847, Algorithm 1, with the aggregated step in place
 * of each worker's own compressed one: what a worker's step left out is what the majority step
 * did not apply). The driver has no residual: it passes a scratch array and keeps only the weights.
 */
@OptimizerSpec(name = "error_feedback_apply", learningRate = 0.001)
@State(name = "residual")
@Update(formulas = {
    "residual = residual - lr*grad",
    "weight = weight - lr*grad"})
public interface ErrorFeedbackApplySpec {}
