package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, arXiv:1412.6980),
 * as Apache MXNet 1.9.1 computes it: {@code mxnet.optimizer.Adam} folds the bias correction into
 * the learning rate in Python (double), {@code lr*sqrt(1 - beta2^t)/(1 - beta1^t)} with {@code t}
 * the parameter's update count, and {@code adam_update} ({@code AdamUpdateKernel} in
 * {@code src/operator/optimizer_op-inl.h}) does the rest. Weight decay is coupled: {@code wd*weight}
 * joins the gradient before clipping; epsilon is added to the uncorrected {@code sqrt(variance)}.
 *
 * <p>Deliberate differences: MXNet passes every float parameter as a decimal string and parses
 * it with dmlc-core's own parser, which for values written with an exponent ({@code lr_t} below
 * 1e-4, e.g. with a base learning rate of 1e-4) lands one ulp away from the nearest float in up to
 * a quarter of the cases; Optikern passes the nearest float. Python's {@code beta**t} is glibc's
 * {@code pow}, Optikern's {@code StrictMath.pow}: they may differ in the last bit of a double,
 * which reaches the float {@code lr_t} only in the rare case where it sits on a rounding boundary.
 *
 * <p>{@code beta1} must lie in [0, 1) and {@code beta2} in [0, 1]: elsewhere MXNet's Python divides by
 * zero or takes the square root of a negative number; Optikern rejects them when the optimizer is created.
 */
@OptimizerSpec(name = "adam", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 <= 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, doc = "Added to sqrt(variance) against division by zero.")
@Scalar("coef1 = 1 - pow(beta1, t)")
@Scalar("coef2 = 1 - pow(beta2, t)")
@Scalar(value = "lr_t = lr*(sqrt(coef2)/coef1)", doc = "The bias-corrected step size.")
@State(name = "mean")
@State(name = "variance")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "mean = beta1*mean + (1 - beta1)*g",
    "variance = beta2*variance + (1 - beta2)*g*g",
    "weight = weight - lr_t*mean/(sqrt(variance) + epsilon)"})
public interface AdamSpec {}
