package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013,
 * Algorithm 1), as Apache MXNet 1.9.1's {@code mxnet.optimizer.Ftrl} computes it:
 * {@code ftrl_update} ({@code FtrlUpdateKernel} in {@code src/operator/optimizer_op-inl.h}), with
 * MXNet's default learning rate 0.1. {@code lr} plays the paper's alpha, {@code beta} its beta,
 * {@code lamda1} the L1 and {@code wd} the L2 strength. A weight whose {@code |z|} does not exceed
 * {@code lamda1} becomes {@code x*0}: 0 with x's sign (and NaN when x is infinite), as in the kernel.
 *
 * <p>Deliberate difference: MXNet keeps {@code z} and {@code n} in float32 whatever the weight's
 * dtype; here they have the weight's dtype.
 */
@OptimizerSpec(name = "ftrl", learningRate = 0.1)
@Hyperparameter(name = "lamda1", defaultValue = 0.01, doc = "L1 regularization strength.")
@Hyperparameter(name = "beta", defaultValue = 1, doc = "Added to sqrt(n) in the per-coordinate rate.")
@State(name = "z")
@State(name = "n")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "z = z + (g - (sqrt(n + g*g) - sqrt(n))*weight/lr)",
    "n = n + g*g",
    "weight = (sign(z)*lamda1 - z)/((beta + sqrt(n))/lr + wd)*gt(abs(z), lamda1)"})
public interface FtrlSpec {}
