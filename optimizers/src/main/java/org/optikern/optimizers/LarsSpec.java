package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.ParameterFlag;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman and Ginsburg, "Large Batch Training of
 * Convolutional Networks", arXiv:1708.03888), as Apache MXNet 1.9.1's {@code mxnet.optimizer.LARS}
 * computes it for dense weights: the sums of squares of the weight and of the raw gradient
 * ({@code multi_sum_sq}), the layer's learning rate from them ({@code multi_lars}, in float:
 * {@code lr*eta*|w|/(|g|*rescale_grad + wd*|w| + eps)}, or {@code lr} when a norm is 0), then
 * SGD's aggregated kernels with that rate ({@code preloaded_multi_sgd(_mom)_update}, the grouping
 * of {@link SgdSpec}). Parameters whose names end in {@code gamma}, {@code beta} or {@code bias}
 * keep the plain rate; only {@code _weight} names keep weight decay. With
 * {@code momentum_correction}, the momentum is scaled by the ratio of this learning rate to the
 * previous one.
 *
 * <p>Deliberate difference: MXNet remembers the previous learning rate once for the optimizer and
 * applies the correction only to the first chunk of parameters updated after a change; here each
 * parameter remembers its own ({@code last_lr}, a scalar state), so every parameter is corrected
 * once per change. A negative momentum is used as given (MXNet passes it only when positive).
 */
@OptimizerSpec(name = "lars", learningRate = 0.01, decayedNameSuffixes = "_weight")
@Hyperparameter(name = "momentum", defaultValue = 0.0, doc = "Momentum; 0 runs without a state.")
@Hyperparameter(name = "eta", defaultValue = 0.001, doc = "The trust coefficient.")
@Hyperparameter(name = "eps", defaultValue = 0.0, doc = "Added to the denominator of the trust ratio.")
@Hyperparameter(name = "momentum_correction", defaultValue = 1,
    valid = "momentum_correction == 0 || momentum_correction == 1",
    doc = "1 (or true) to scale the momentum by the ratio of this learning rate to the last.")
@ParameterFlag(name = "lars_exempt", suffixes = {"gamma", "beta", "bias"})
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@State(name = "last_lr", scalar = true, initial = "0")
@Scalar(value = "momentum_t = where(momentum_correction*last_lr, momentum*(lr/last_lr), momentum)",
    doc = "The corrected momentum: as given at a parameter's first update.")
@Scalar("last_lr = lr")
@Update(formulas = {
    "let w_sq = sumsq(weight)",
    "let g_sq = sumsq(grad)",
    "let w_norm = sqrt(w_sq)",
    "let lr_l = where(lars_exempt, lr, where(gt(w_norm, 0)*gt(g_sq, 0),"
        + " lr*eta*w_norm/(sqrt(g_sq)*rescale_grad + wd*w_norm + eps), lr))",
    "let grad_step = if(clipped, lr_l*clip(rescale_grad*grad, clip_gradient), lr_l*rescale_grad*grad)",
    "mom = if(momentum, momentum_t*mom - lr_l*wd*weight - grad_step, mom)",
    "weight = if(momentum, weight + mom, weight + (0 - lr_l*wd*weight - grad_step))"})
public interface LarsSpec {}
