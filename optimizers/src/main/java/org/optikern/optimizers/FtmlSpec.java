package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * FTML, Follow the Moving Leader (Zheng and Kwok, "Follow the Moving Leader in Deep Learning",
 * ICML 2017), as Apache MXNet 1.9.1's {@code mxnet.optimizer.FTML} computes it: {@code ftml_update}
 * ({@code FTMLKernel} in {@code src/operator/optimizer_op-inl.h}), which takes the update count
 * {@code t} as a parameter and computes {@code beta^t} itself, in float. Weight decay is coupled
 * and joins the gradient before clipping.
 *
 * <p>Deliberate difference: MXNet's float {@code beta^t} is glibc's {@code powf}; here it is
 * {@code StrictMath.pow} of the same floats, rounded to float, the same on every JVM. The two
 * differ in the last bit for a small fraction of (beta, t) pairs, which changes the step by one
 * ulp; the reference cases cannot show it, since the reference script rounds the double power too. numpy's float32 power is a third, less accurate
 * variant ({@code 0.9f^4} one ulp low), so the reference script rounds the double power instead.
 *
 * <p>{@code beta1} and {@code beta2} must lie in [0, 1): at 1 the kernel divides by zero; rejected
 * when the optimizer is created.
 */
@OptimizerSpec(name = "ftml", learningRate = 0.01)
@Hyperparameter(name = "beta1", defaultValue = 0.6, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the moving leader.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 < 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, doc = "Added to the bias-corrected square root.")
@State(name = "d")
@State(name = "v")
@State(name = "z")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "v = beta2*v + (1 - beta2)*(g*g)",
    "let d_t = (1 - pow(beta1, t))/lr*(sqrt(v/(1 - pow(beta2, t))) + epsilon)",
    "z = beta1*z + (1 - beta1)*g - (d_t - beta1*d)*weight",
    "d = d_t",
    "weight = -z/d_t"})
public interface FtmlSpec {}
