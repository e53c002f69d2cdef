package org.optikern.optimizers;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.Update;

/**
 * Stochastic gradient Langevin dynamics (Welling and Teh, "Bayesian Learning via Stochastic
 * Gradient Langevin Dynamics", ICML 2011), as Apache MXNet 1.9.1's {@code mxnet.optimizer.SGLD}
 * computes it: NDArray operations in Python, each rounding to the array's dtype, in its order: a
 * half step {@code weight += -lr/2*(g + wd*weight)} ({@code -lr/2} in Python double), then Gaussian
 * noise of standard deviation {@code sqrt(lr)} added to the weight.
 *
 * <p>Deliberate difference: the noise. MXNet draws it from its global generator, which a Java
 * library cannot reproduce; here {@code normal()} is counter-based ({@code org.optikern.kernel.Noise}),
 * keyed by the optimizer's {@code seed} parameter, the parameter's index and its update count, so
 * the same seed gives the same training in the generated kernels and the interpreter, in one call
 * or in parallel chunks. Clipping is on when {@code clip_gradient > 0} (MXNet's Python clips
 * whenever it is not None).
 */
@OptimizerSpec(name = "sgld", learningRate = 0.01)
@Scalar(value = "neg_half_lr = -lr/2", doc = "The gradient step, computed in double as MXNet's Python does.")
@Scalar(value = "noise_std = sqrt(lr)", doc = "The standard deviation of the noise.")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "weight = weight + (g + wd*weight)*neg_half_lr",
    "weight = weight + normal()*noise_std"})
public interface SgldSpec {}
