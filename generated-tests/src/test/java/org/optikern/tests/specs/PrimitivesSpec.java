package org.optikern.tests.specs;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Not an optimizer anyone should use: a spec that exercises every primitive of the language
 * (abs, sqrt, min, max, square, division, unary minus, literals), two switches and a state read
 * back after it is stored, so that the kernels-versus-interpreter property covers them all.
 */
@OptimizerSpec(name = "primitives_check")
@Hyperparameter(name = "beta", defaultValue = 0.5, valid = "beta >= 0 && beta <= 1")
@Hyperparameter(name = "eps", defaultValue = 1e-8, valid = "eps > 0")
@Switch(name = "averaged", when = "beta > 0 && beta < 1")
@State(name = "v", when = "averaged")
@State(name = "peak")
@Update(when = "averaged", formulas = {
    "v = beta*v + (1 - beta)*square(clip(rescale_grad*grad, clip_gradient))",
    "peak = max(peak, abs(grad))",
    "weight = weight - lr*grad/(sqrt(v) + eps) - -wd*min(weight, peak)/2.5e0"})
@Update(when = "!averaged", formulas = {
    "peak = max(peak * beta, abs(clip(grad, clip_gradient)))",
    "weight = (1 - lr*wd)*weight - lr*grad/(peak + eps)"})
public interface PrimitivesSpec {}
