package org.optikern.tests.specs;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Reads the parameter's element count, {@code size}, in a {@code @Scalar} and in an update formula:
 * a step scaled by 1/sqrt(size), and the root mean square of the gradient kept as a state.
 */
@OptimizerSpec(name = "element_count")
@Scalar(value = "lr_per_size = lr/sqrt(size)", doc = "The step, smaller for larger tensors.")
@State(name = "rms")
@Update(formulas = {
    "let g_sq = sumsq(grad)",
    "rms = sqrt(g_sq/size)",
    "weight = weight - lr_per_size*grad"})
public interface ElementCountSpec {}
