package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * AdamW, Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019, arXiv:1711.05101). MXNet 1.9.1 has only the operator
 * ({@code _adamw_update}); the optimizer followed here is MXNet 2.0's
 * {@code python/mxnet/optimizer/adamW.py} with its defaults ({@code epsilon = 1e-6},
 * {@code correct_bias = True}): the bias-corrected learning rate is computed in Python and passed
 * as {@code eta} with {@code lr = 1} to the single-tensor kernel ({@code AdamWUpdate} in
 * {@code src/operator/contrib/adamw-inl.h}), whose {@code lr*mean} is then exactly {@code mean}.
 * So the decay, too, is scaled by the bias-corrected learning rate:
 * {@code weight - lr_t*(mean/(sqrt(variance) + epsilon) + wd*weight)}.
 *
 * <p>Deliberate differences: bias correction is always on ({@code correct_bias = False} is not
 * offered). MXNet 2.0 runs this single-tensor kernel only with
 * {@code MXNET_OPTIMIZER_AGGREGATION_SIZE=1} (or for sparse weights); by default it aggregates even
 * a single dense weight into {@code multi_adamw_update}, whose algebra ({@code beta*(m - g) + g})
 * rounds differently, and which is not followed. The operator's skipping of the whole update when
 * {@code rescale_grad} is 0 is not copied (here it simply gives a zero gradient).
 *
 * <p>{@code beta1} must lie in [0, 1) and {@code beta2} in [0, 1]: elsewhere the bias correction
 * divides by zero or takes the square root of a negative number; rejected when the optimizer is created.
 */
@OptimizerSpec(name = "adamw", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 <= 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-6, doc = "Added to sqrt(variance) against division by zero.")
@Scalar("coef1 = 1 - pow(beta1, t)")
@Scalar("coef2 = 1 - pow(beta2, t)")
@Scalar(value = "lr_t = lr*(sqrt(coef2)/coef1)", doc = "The bias-corrected step size (MXNet's eta).")
@State(name = "mean")
@State(name = "variance")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "mean = beta1*mean + (1 - beta1)*g",
    "variance = beta2*variance + (1 - beta2)*square(g)",
    "weight = weight - lr_t*(mean/(sqrt(variance) + epsilon) + wd*weight)"})
public interface AdamWSpec {}
