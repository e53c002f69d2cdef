package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Lion, EvoLved Sign Momentum (Chen et al., "Symbolic Discovery of Optimization Algorithms",
 * NeurIPS 2023, arXiv:2302.06675, Algorithm 2), in the operation order of the reference
 * implementation {@code lucidrains/lion-pytorch} ({@code lion_pytorch.py}): decoupled decay
 * {@code weight*(1 - lr*wd)} first (stored), then the signed step
 * {@code sign(beta1*m + (1 - beta1)*g)}, then the momentum {@code m = beta2*m + (1 - beta2)*g}.
 * Defaults as there: {@code lr = 1e-4}, betas 0.9 and 0.99.
 *
 * <p>A sign-based cousin of {@link SignumSpec Signum}: with {@code beta1 = beta2} and no coupled
 * decay they take the same steps. Conventions of this library rather than of lion-pytorch: the
 * gradient is {@code clip(rescale_grad*grad, clip_gradient)} first, {@code wd} is the decoupled
 * decay (lion-pytorch's {@code weight_decay}), and {@code sign} is MXNet's ({@code sign(NaN) = 0},
 * where PyTorch's gives NaN). Scalars are rounded to the storage arithmetic once per update and
 * every operation is done there (lion-pytorch computes {@code 1 - lr*wd} in Python double).
 */
@OptimizerSpec(name = "lion", learningRate = 1e-4)
@Hyperparameter(name = "beta1", defaultValue = 0.9, doc = "Interpolation of momentum and gradient for the step.")
@Hyperparameter(name = "beta2", defaultValue = 0.99, doc = "Decay of the momentum.")
@State(name = "m")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "weight = weight*(1 - lr*wd)",
    "weight = weight - lr*sign(beta1*m + (1 - beta1)*g)",
    "m = beta2*m + (1 - beta2)*g"})
public interface LionSpec {}
