package org.optikern.tests.specs;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Not an optimizer: each primitive's result is stored directly, so that the kernels-versus-
 * interpreter property sees every bit of it (signed zeros, NaN, bounds of any sign) instead of
 * its effect diluted inside an update rule.
 */
@OptimizerSpec(name = "probe")
@State(name = "signed")
@State(name = "absolute")
@State(name = "root")
@State(name = "low")
@State(name = "high")
@State(name = "squared")
@Update(formulas = {
    "signed = sign(grad)",
    "absolute = abs(grad)",
    "root = sqrt(grad)",
    "low = min(grad, weight)",
    "high = max(grad, weight)",
    "squared = square(grad) / -lr",
    "weight = clip(grad, clip_gradient)"})
public interface ProbeSpec {}
