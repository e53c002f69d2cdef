package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Stochastic gradient descent with optional momentum, as Apache MXNet 1.9.1 computes it for dense
 * weights: {@code mxnet.optimizer.SGD} always sends them through the aggregated kernels
 * {@code multi_sgd_update} / {@code multi_sgd_mom_update} ({@code MultiSGDKernel} in
 * {@code src/operator/optimizer_op-inl.h}), even for a single weight, so those are the kernels
 * followed here, in their operation order.
 *
 * <ul>
 *   <li>{@code mom} holds the negative, lr-scaled velocity: {@code weight = weight + mom}; there is
 *       no dampening.
 *   <li>Without momentum the kernel still computes {@code w + ((0 - lr*wd*w) - lr*g)}, which rounds
 *       differently from {@code sgd_update}'s {@code (1 - lr*wd)*w - lr*g} (that one is NAG's
 *       momentum-free update).
 *   <li>Clipped and unclipped kernels group the gradient term differently
 *       ({@code lr*clip(rescale_grad*grad)} and {@code (lr*rescale_grad)*grad}), hence two updates
 *       per momentum setting.
 * </ul>
 *
 * <p>Deliberate differences: a negative momentum is used as given (MXNet creates the state but
 * passes momentum only when positive, so its kernel runs with 0); {@code lazy_update} is not a
 * parameter, since tensors here are dense; float16 multi-precision uses the generic master-copy
 * path, which computes what MXNet's {@code multi_mp_sgd_update} / {@code multi_mp_sgd_mom_update}
 * compute for dense float16 weights.
 */
@OptimizerSpec(name = "sgd", aliases = "ccsgd", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.0, doc = "Momentum; 0 runs without a state.")
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@Update(when = "momentum && clipped", formulas = {
    "mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)",
    "weight = weight + mom"})
@Update(when = "momentum && !clipped", formulas = {
    "mom = momentum*mom - lr*wd*weight - lr*rescale_grad*grad",
    "weight = weight + mom"})
@Update(when = "!momentum && clipped",
    formulas = "weight = weight + (0 - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient))")
@Update(when = "!momentum && !clipped", formulas = "weight = weight + (0 - lr*wd*weight - lr*rescale_grad*grad)")
public interface SgdSpec {}
