package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * AdaDelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701), as Apache MXNet
 * 1.9.1's {@code mxnet.optimizer.AdaDelta} computes it: NDArray operations in Python, each rounding
 * to the array's dtype, in its order. It has no learning rate: {@code lr} and its scheduler are
 * ignored. Weight decay is applied to the weight directly ({@code weight - (delta + wd*weight)}),
 * not added to the gradient as the MXNet docstring says. {@code 1 - rho} is computed in Python
 * double and rounded once, hence the {@code @Scalar}.
 *
 * <p>Deliberate differences: the caller's gradient is left as it is (MXNet rescales it in place);
 * clipping is on when {@code clip_gradient > 0} (MXNet's Python clips whenever it is not None); the
 * accumulators have the weight's dtype (MXNet's are float32).
 */
@OptimizerSpec(name = "adadelta", learningRate = 0.01)
@Hyperparameter(name = "rho", defaultValue = 0.9, doc = "Decay of both accumulators.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-5, doc = "Added under both square roots.")
@Scalar("one_minus_rho = 1 - rho")
@State(name = "acc_g")
@State(name = "acc_delta")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "acc_g = acc_g*rho",
    "acc_g = acc_g + one_minus_rho*g*g",
    "let delta = sqrt(acc_delta + epsilon)/sqrt(acc_g + epsilon)*g",
    "acc_delta = acc_delta*rho",
    "acc_delta = acc_delta + one_minus_rho*delta*delta",
    "weight = weight - (delta + wd*weight)"})
public interface AdaDeltaSpec {}
