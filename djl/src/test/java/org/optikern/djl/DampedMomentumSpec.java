package org.optikern.djl;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * A spec this module does not compile with the processor, so nothing is registered for it: the
 * adapter must run it through Optikern's interpreter.
 */
@OptimizerSpec(name = "djl_damped_momentum", learningRate = 0.05)
@Hyperparameter(name = "momentum", defaultValue = 0.8, doc = "decay of the velocity")
@State(name = "mom")
@Update(formulas = {
    "mom = momentum*mom - lr*(wd*weight + clip(rescale_grad*grad, clip_gradient))",
    "weight = weight + mom"})
interface DampedMomentumSpec {}
