package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Yogi (Zaheer, Reddi, Sachan, Kale and Kumar, "Adaptive Methods for Nonconvex Optimization",
 * NeurIPS 2018, Algorithm 2): Adam whose second moment moves additively, by {@code (1 - beta2)*g^2}
 * towards {@code g^2}, {@code v = v - (1 - beta2)*sign(v - g^2)*g^2}. It follows TensorFlow Addons'
 * {@code tfa.optimizers.Yogi} ({@code tensorflow_addons/optimizers/yogi.py}, its dense
 * {@code _resource_apply_dense}) with its defaults ({@code learning_rate = 0.01},
 * {@code epsilon = 1e-3}, the second moment starting at {@code initial_accumulator_value = 1e-6}) and
 * in its operation order, each operation in the weight's dtype: the bias-corrected rate
 * {@code lr*sqrt(1 - beta2^t)/(1 - beta1^t)} (in the kernel's arithmetic, once per update, as
 * TensorFlow computes it in the variable's dtype), {@code m = m*beta1 + g*(1 - beta1)},
 * {@code v = v + (1 - beta2)*sign(g*g - v)*(g*g)}, the per-coordinate rate
 * {@code lr_t/(sqrt(v) + epsilon)}, the step {@code weight - rate*m}, then TensorFlow Addons' proximal
 * step: with {@code l1_regularization_strength > 0} the closed-form minimizer of
 * {@code a/2 w^2 + b w + c|w|} ({@code _solve}), else with {@code l2_regularization_strength > 0} a
 * division by {@code 1 + l2*rate}. With {@code beta1 = 0} there is no first moment and the step
 * uses the gradient, as in TensorFlow Addons.
 *
 * <p>Deliberate differences: {@code rescale_grad}, {@code clip_gradient} and {@code wd} are
 * Optikern's (TensorFlow Addons' Yogi has none of them): the gradient is
 * {@code clip(rescale_grad*grad + wd*weight, clip_gradient)}, as in MXNet's Adam; with the defaults
 * it is the gradient itself (the decay term is added even when {@code wd} is 0, which changes the
 * result only for an infinite or NaN weight). {@code t} is the parameter's update count, from
 * {@code begin_num_update}; TensorFlow's is the optimizer's {@code iterations + 1}, one count for all
 * variables (the same when every parameter is updated once per step). {@code beta^t} is
 * {@code StrictMath.pow} of the floats, rounded to float, where TensorFlow calls the C library's
 * {@code powf} (see {@link FtmlSpec}). {@code sign} is MXNet's ({@code sign(NaN) = 0}). The
 * {@code activation = "tanh"} option is not offered (only the default, {@code "sign"}), nor
 * TensorFlow's {@code decay}, {@code clipnorm} and {@code clipvalue} (use a scheduler and
 * {@code clip_gradient}). float16 weights compute in float and round at each store, where TensorFlow
 * rounds the result of each operation to half.
 *
 * <p>{@code beta1} must lie in [0, 1) and {@code beta2} in [0, 1]; the regularization strengths must
 * be at least 0 and {@code initial_accumulator_value} positive, as TensorFlow Addons documents;
 * rejected when the optimizer is created.
 */
@OptimizerSpec(name = "yogi", learningRate = 0.01)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average; 0 steps with the gradient itself.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 <= 1",
    doc = "1 - beta2 scales the additive change of the second moment.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-3, doc = "Added to sqrt(v): trades adaptivity against noise.")
@Hyperparameter(name = "l1_regularization_strength", defaultValue = 0, valid = "l1_regularization_strength >= 0",
    doc = "L1 strength of the proximal step (0: none).")
@Hyperparameter(name = "l2_regularization_strength", defaultValue = 0, valid = "l2_regularization_strength >= 0",
    doc = "L2 strength of the proximal step (0: none).")
@Hyperparameter(name = "initial_accumulator_value", defaultValue = 1e-6, valid = "initial_accumulator_value > 0",
    doc = "The second moment's first value, in every element.")
@Switch(name = "momentum", when = "beta1 != 0")
@Switch(name = "proximal", when = "l1_regularization_strength > 0 || l2_regularization_strength > 0")
@State(name = "m", when = "momentum")
@State(name = "v", initial = "initial_accumulator_value")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "m = if(momentum, m*beta1 + g*(1 - beta1), m)",
    "let grad2 = g*g",
    "v = v + (1 - beta2)*sign(grad2 - v)*grad2",
    "let lr_t = lr*sqrt(1 - pow(beta2, t))/(1 - pow(beta1, t))",
    "let per_coord_lr = lr_t/(sqrt(v) + epsilon)",
    "let new_var = weight - per_coord_lr*if(momentum, m, g)",
    // _solve(a, b, c) with a = 1 + l2*rate, b = -new_var, c = l1*rate
    "let a = 1 + l2_regularization_strength*per_coord_lr",
    "let b = -new_var",
    "let c = l1_regularization_strength*per_coord_lr",
    "weight = if(proximal, where(gt(l1_regularization_strength, 0), gt(abs(b), c)*((c*sign(b) - b)/a), new_var/a),"
        + " new_var)"})
public interface YogiSpec {}
