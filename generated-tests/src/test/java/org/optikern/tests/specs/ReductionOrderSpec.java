package org.optikern.tests.specs;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Every reduction, of an array and of expressions of the pass, each stored in a state at every
 * element so that a test reads it: the order of the partial sums decides the worked values of
 * {@code ReductionOrderTest}.
 */
@OptimizerSpec(name = "reduction_order")
@State(name = "sums")
@State(name = "l1")
@State(name = "maxes")
@State(name = "squares")
@Update(formulas = {
    "let g = 2*grad",
    "let s = sum(grad)",
    "let a = sumabs(g)",
    "let m = maxabs(g - weight)",
    "let q = sumsq(grad)",
    "sums = s",
    "l1 = a",
    "maxes = m",
    "squares = q",
    "weight = weight - lr*grad"})
public interface ReductionOrderSpec {}
