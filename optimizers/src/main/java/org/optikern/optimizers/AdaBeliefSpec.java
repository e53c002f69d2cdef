package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * AdaBelief (Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients", NeurIPS 2020, arXiv:2010.07468): Adam whose second moment tracks the squared
 * deviation of the gradient from its average, {@code (g - mean)^2}, plus epsilon. MXNet 1.9.1 does
 * not have it; this follows MXNet 2.0's {@code python/mxnet/optimizer/adabelief.py} with its
 * defaults ({@code epsilon = 1e-6}, {@code correct_bias = True}): the bias-corrected learning rate
 * is computed in Python and passed as {@code eta} with {@code lr = 1} to the single-tensor kernel
 * ({@code AdaBeliefUpdate} in {@code src/operator/contrib/adabelief-inl.h}). Weight decay is
 * coupled, and the variance reads the mean just updated.
 *
 * <p>Deliberate differences: bias correction is always on. MXNet 2.0 runs this single-tensor
 * kernel only with {@code MXNET_OPTIMIZER_AGGREGATION_SIZE=1} (or for sparse weights); by default
 * it aggregates even a single dense weight into {@code multi_adabelief_update}, which rounds
 * differently and is not followed.
 *
 * <p>{@code beta1} must lie in [0, 1) and {@code beta2} in [0, 1]: elsewhere the bias correction
 * divides by zero or takes the square root of a negative number; rejected when the optimizer is created.
 */
@OptimizerSpec(name = "adabelief", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 <= 1",
    doc = "Decay of the belief (deviation) average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-6, doc = "Added to the belief and to its square root.")
@Scalar("coef1 = 1 - pow(beta1, t)")
@Scalar("coef2 = 1 - pow(beta2, t)")
@Scalar(value = "lr_t = lr*(sqrt(coef2)/coef1)", doc = "The bias-corrected step size (MXNet's eta).")
@State(name = "mean")
@State(name = "variance")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "mean = beta1*mean + (1 - beta1)*g",
    "variance = beta2*variance + (1 - beta2)*square(g - mean) + epsilon",
    "weight = weight - lr_t*(mean/(sqrt(variance) + epsilon))"})
public interface AdaBeliefSpec {}
