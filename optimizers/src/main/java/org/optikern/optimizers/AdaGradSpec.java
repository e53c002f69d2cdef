package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * AdaGrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 12, 2011), as Apache MXNet 1.9.1's {@code mxnet.optimizer.AdaGrad}
 * computes it for dense weights: NDArray operations in Python, each rounding to the array's dtype,
 * in this order: {@code history += square(g)}, then
 * {@code weight += (g/sqrt(history + eps) + weight*wd)*(-lr)}. Weight decay is added after the
 * division, outside the clip.
 *
 * <p>Deliberate differences: clipping is on when {@code clip_gradient > 0}, as in MXNet's fused
 * kernels; MXNet's Python AdaGrad clips whenever {@code clip_gradient} is not None, so there 0
 * zeroes every gradient. MXNet's history is float32 whatever the weight's dtype; here it has the
 * weight's dtype (use {@code multi_precision} for float16).
 */
@OptimizerSpec(name = "adagrad", learningRate = 0.01)
@Hyperparameter(name = "eps", defaultValue = 1e-7, doc = "Added to the history under the square root.")
@State(name = "history")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "history = history + square(g)",
    "weight = weight + (g/sqrt(history + eps) + weight*wd)*(-lr)"})
public interface AdaGradSpec {}
