package org.optikern.tests.specs;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * The README's example, compiled by the processor in this module's tests: SGD with momentum in
 * the form of MXNet's {@code sgd_mom_update} (the state is the negative, lr-scaled velocity).
 */
@OptimizerSpec(name = "momentum_sgd", aliases = "msgd")
@Hyperparameter(name = "momentum", defaultValue = 0.9)
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@Update(when = "momentum", formulas = {
    "mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)",
    "weight = weight + mom"})
@Update(when = "!momentum",
    formulas = "weight = (1 - lr*wd)*weight - lr*clip(rescale_grad*grad, clip_gradient)")
public interface MomentumSgdSpec {}
