package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * DC-ASGD, asynchronous SGD with delay compensation (Zheng et al., "Asynchronous Stochastic
 * Gradient Descent with Delay Compensation", ICML 2017), as Apache MXNet 1.9.1's
 * {@code mxnet.optimizer.DCASGD} computes it: NDArray operations in Python, each rounding to the
 * array's dtype, in its order. The previous weight starts as a copy of the weight, so the first
 * update has no compensation term.
 *
 * <p>Deliberate differences: with momentum, MXNet 1.9.1 fails ({@code if mom:} asks an NDArray
 * for its truth value); here the momentum path runs the same formulas as MXNet's code reads,
 * {@code mom = momentum*mom + (-lr)*(...)}. Clipping is on when {@code clip_gradient > 0} (MXNet's
 * Python clips whenever it is not None).
 */
@OptimizerSpec(name = "dcasgd", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.0, doc = "Momentum; 0 runs without a momentum state.")
@Hyperparameter(name = "lamda", defaultValue = 0.04, doc = "Strength of the delay compensation.")
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@State(name = "previous_weight", initial = "weight")
@Update(when = "momentum", formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "mom = mom*momentum",
    "mom = mom + (g + wd*weight + lamda*g*g*(weight - previous_weight))*(-lr)",
    "previous_weight = weight",
    "weight = weight + mom"})
@Update(when = "!momentum", formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "let step = (g + wd*weight + lamda*g*g*(weight - previous_weight))*(-lr)",
    "previous_weight = weight",
    "weight = weight + step"})
public interface DcaSgdSpec {}
