package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * RAdam, rectified Adam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond",
 * ICLR 2020, arXiv:1908.03265, Algorithm 2), as PyTorch's {@code torch.optim.RAdam} computes it
 * ({@code torch/optim/radam.py} of PyTorch 2.x, {@code _single_tensor_radam}, the path PyTorch takes
 * for tensors on the CPU): the moments, then the length of the approximated simple moving average
 * {@code rho_t = rho_inf - 2 t beta2^t/(1 - beta2^t)} with {@code rho_inf = 2/(1 - beta2) - 1}; while
 * {@code rho_t <= 5} the step is the bias-corrected first moment times the learning rate (no
 * adaptive rate), after that it is also multiplied by the adaptive rate
 * {@code sqrt(1 - beta2^t)/(sqrt(v) + eps)} (eps added to the square root of the uncorrected
 * second moment, as the code does) and the rectification term {@code r_t}. Every scalar
 * PyTorch computes in Python (the bias corrections, {@code rho_t}, {@code r_t}, {@code sqrt(1 - beta2^t)})
 * is a {@code @Scalar} here, in double, handed to the kernels as the nearest float as PyTorch hands
 * a Python float to a float tensor operation; whether the step is rectified depends on {@code t}
 * only, so it is a scalar too ({@code rectified}, 1 or 0) and the kernel selects per element,
 * without a test per element of {@code rho_t}. The tensor operations follow PyTorch's order:
 * {@code exp_avg.lerp_(grad, 1 - beta1)}, which computes {@code m + w*(g - m)} for a weight
 * {@code w < 0.5} and {@code g - (g - m)*(1 - w)} otherwise (the switch {@code small_lerp_weight});
 * {@code exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)}; the bias-corrected mean
 * {@code exp_avg/bias_correction1}; the adaptive rate as PyTorch's {@code float/tensor} computes it,
 * the tensor's reciprocal times the number; the step {@code ((m_hat*lr)*adaptive_lr)*r_t}, subtracted.
 * Weight decay is PyTorch's default, coupled ({@code grad + wd*weight}); with
 * {@code decoupled_weight_decay = 1} it is AdamW's (the author's implementation's): the weight is
 * first multiplied by {@code 1 - lr*wd}.
 *
 * <p>Deliberate differences: {@code rescale_grad} and {@code clip_gradient} are Optikern's (PyTorch's
 * RAdam has neither): the gradient is {@code clip(rescale_grad*grad + wd*weight, clip_gradient)}, as
 * in MXNet's Adam; with the defaults that is PyTorch's {@code grad + wd*weight}. The decay term is
 * added even when {@code wd} is 0 (PyTorch then skips it), which changes the result only for an
 * infinite or NaN weight. Every operation is rounded on its own: PyTorch's vectorized CPU loops fuse
 * the multiply-adds of {@code add(alpha=)} and {@code lerp} into one rounding (FMA) where the CPU has
 * it, which the spec language does not express, so results may differ from PyTorch's in the last bit.
 * The choice between lerp's two formulas is made on the double {@code 1 - beta1} (PyTorch decides on
 * its float, which differs only within half a float ulp of 0.5). {@code t} is the parameter's update
 * count, from {@code begin_num_update} (PyTorch's per-parameter {@code step}). Python's {@code **} is
 * glibc's {@code pow}, Optikern's {@code StrictMath.pow}: they may differ in the last bit of a double,
 * which reaches a float scalar only on a rounding boundary (as for {@link AdamSpec Adam}). float16
 * weights compute in float and round at each store, where PyTorch rounds each tensor operation's
 * result to half; {@code maximize}, {@code foreach}, {@code capturable} and {@code differentiable} are
 * not offered ({@code capturable} rounds differently).
 *
 * <p>{@code beta1} and {@code beta2} must lie in [0, 1) and {@code epsilon} be at least 0, as PyTorch
 * checks; rejected when the optimizer is created.
 */
@OptimizerSpec(name = "radam", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 < 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, valid = "epsilon >= 0",
    doc = "Added to sqrt(variance) against division by zero (PyTorch's eps).")
@Hyperparameter(name = "decoupled_weight_decay", defaultValue = 0,
    valid = "decoupled_weight_decay == 0 || decoupled_weight_decay == 1",
    doc = "1 (or true) for AdamW's decay, weight*(1 - lr*wd) before the step; 0 adds wd*weight to the gradient.")
@Switch(name = "decoupled", when = "decoupled_weight_decay != 0")
@Switch(name = "small_lerp_weight", when = "1 - beta1 < 0.5")
@Scalar(value = "one_minus_beta1 = 1 - beta1", doc = "lerp's weight.")
@Scalar("one_minus_beta2 = 1 - beta2")
@Scalar("bias_correction1 = 1 - pow(beta1, t)")
@Scalar("bias_correction2 = 1 - pow(beta2, t)")
@Scalar(value = "rho_inf = 2/(1 - beta2) - 1", doc = "The maximum length of the approximated simple moving average.")
@Scalar(value = "rho_t = rho_inf - 2*t*pow(beta2, t)/bias_correction2", doc = "Its length at step t.")
@Scalar(value = "rectified = gt(rho_t, 5)", doc = "1 when the step is rectified (rho_t > 5), else 0.")
@Scalar(value = "rect = where(rectified, pow((rho_t - 4)*(rho_t - 2)*rho_inf/((rho_inf - 4)*(rho_inf - 2)*rho_t), 0.5), 1)",
    doc = "The rectification term r_t (1 while the step is not rectified).")
@Scalar("sqrt_bias_correction2 = pow(bias_correction2, 0.5)")
@Scalar(value = "decay = 1 - lr*wd", doc = "The decoupled decay's factor.")
@State(name = "mean")
@State(name = "variance")
@Update(formulas = {
    "weight = if(decoupled, weight*decay, weight)",
    "let g = if(decoupled, clip(rescale_grad*grad, clip_gradient), clip(rescale_grad*grad + wd*weight, clip_gradient))",
    "mean = if(small_lerp_weight, mean + one_minus_beta1*(g - mean), g - (g - mean)*(1 - one_minus_beta1))",
    "variance = variance*beta2",
    "variance = variance + one_minus_beta2*g*g",
    "let m_hat = mean/bias_correction1",
    "let adaptive_lr = 1/(sqrt(variance) + epsilon)*sqrt_bias_correction2",
    "weight = weight - where(rectified, m_hat*lr*adaptive_lr*rect, m_hat*lr)"})
public interface RAdamSpec {}
