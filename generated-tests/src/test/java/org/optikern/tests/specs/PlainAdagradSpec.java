package org.optikern.tests.specs;

import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Update;

/**
 * A user's optimizer that takes a built-in's name on purpose ({@code replaces = true}): the
 * built-in {@code adagrad} of {@code optikern-optimizers} is on this module's class path too, and
 * without {@code replaces} the name would be ambiguous. (Plain SGD, so that the winner is easy to tell.)
 */
@OptimizerSpec(name = "adagrad", replaces = true)
@Update(formulas = "weight = weight - lr*clip(rescale_grad*grad, clip_gradient)")
public interface PlainAdagradSpec {}
