package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * AdaMax, Adam with the infinity norm (Kingma and Ba, ICLR 2015, arXiv:1412.6980, section 7.1), as
 * Apache MXNet 1.9.1's {@code mxnet.optimizer.Adamax} computes it: the step size
 * {@code lr/(1 - beta1^t)} and {@code 1 - beta1} in Python double, the rest as NDArray operations,
 * each rounding to the array's dtype, in its order. Weight decay is coupled and joins the gradient
 * before clipping. As in MXNet, an element whose {@code u} and gradient are both zero (a zero
 * gradient at the first step) becomes NaN: there is no epsilon.
 *
 * <p>Deliberate difference: clipping is on when {@code clip_gradient > 0} (MXNet's Python clips
 * whenever it is not None).
 *
 * <p>{@code beta1} must lie in [0, 1): at 1 MXNet's Python divides by zero; rejected when the optimizer
 * is created.
 */
@OptimizerSpec(name = "adamax", learningRate = 0.002)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, doc = "Decay of the infinity-norm estimate.")
@Scalar(value = "lr_t = lr/(1 - pow(beta1, t))", doc = "The bias-corrected step size.")
@Scalar("one_minus_beta1 = 1 - beta1")
@State(name = "m")
@State(name = "u")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "m = beta1*m",
    "m = m + one_minus_beta1*g",
    "u = max(beta2*u, abs(g))",
    "weight = weight - lr_t*m/u"})
public interface AdamaxSpec {}
