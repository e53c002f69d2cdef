package org.optikern.tests.specs;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Update;

/** Reads {@code size} in an elementwise update, which the optimizer may run in parallel chunks. */
@OptimizerSpec(name = "per_element_scale")
@Update(formulas = "weight = weight - lr*grad/size")
public interface PerElementScaleSpec {}
