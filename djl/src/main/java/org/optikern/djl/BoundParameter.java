package org.optikern.djl;

import org.optikern.tensor.Tensor;

/**
 * One parameter's weight and gradient as Optikern tensors for one update, and what must happen after
 * the update succeeded: copy the weight back into the engine, zero the engine's gradient, or both.
 *
 * @param weight the weight the update writes: the engine's memory itself, or a copy of it
 * @param grad the gradient the update reads
 * @param afterUpdate run once after a successful update; never after a failed one, so a rejected
 *     update writes nothing
 */
record BoundParameter(Tensor weight, Tensor grad, Runnable afterUpdate) {}
