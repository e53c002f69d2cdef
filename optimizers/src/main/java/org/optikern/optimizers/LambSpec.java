package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * LAMB, layer-wise adaptive moments for large batches (You et al., "Large Batch Optimization for
 * Deep Learning: Training BERT in 76 minutes", ICLR 2020, arXiv:1904.00962, Algorithm 2), as Apache
 * MXNet 1.9.1 computes it for the updates of its {@code Updater} and Gluon {@code Trainer}:
 * {@code mxnet.optimizer.LAMB} aggregates them into {@code _multi_lamb_update}
 * ({@code src/operator/contrib/multi_lamb-inl.h}), all in float. A first pass updates the moments
 * and writes the Adam direction plus weight decay ({@code direction}); the norms of the weight and
 * of the direction, sums of squares in element order ({@code multi_sum_sq}), give the trust ratio
 * {@code r1/r2} (1 when either norm is 0, {@code r1} clamped to the bounds that are set); a second
 * pass steps the weight by {@code lr*ratio*direction}. The norms are per tensor, so an update is
 * never split into chunks.
 *
 * <p>Deliberate differences: MXNet's single-tensor path ({@code lamb_update_phase1/2}, taken only
 * by a direct {@code update} call with an int index) rounds differently (double division for the
 * bias-corrected mean, a scaled norm, {@code (lr*r1)/r2}); it is not followed. {@code beta^t} is
 * {@code StrictMath.pow} of the floats rounded to float where MXNet calls glibc's {@code powf} (see
 * {@link FtmlSpec}). MXNet keeps the direction in a float32 buffer; here it is a state of the
 * weight's dtype, kept between updates. MXNet sums squares in float for every dtype; float64
 * kernels here sum, and compute the trust ratio, in double. With float16 multi-precision MXNet
 * takes the weight norm from the float16 weights, here from the float32 master copy.
 *
 * <p>{@code beta1} and {@code beta2} must lie in [0, 1): at 1 the bias correction divides by zero;
 * rejected when the optimizer is created.
 */
@OptimizerSpec(name = "lamb", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 < 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-6,
    doc = "Added to sqrt(variance) against division by zero.")
@Hyperparameter(name = "lower_bound", defaultValue = 0,
    doc = "When > 0, the weight norm of the trust ratio is at least this.")
@Hyperparameter(name = "upper_bound", defaultValue = 0,
    doc = "When > 0, the weight norm of the trust ratio is at most this.")
@Hyperparameter(name = "bias_correction", defaultValue = 1, valid = "bias_correction == 0 || bias_correction == 1",
    doc = "1 (or true) to correct the moments' bias.")
@Switch(name = "bias_correction", when = "bias_correction != 0")
@State(name = "mean")
@State(name = "variance")
@State(name = "direction")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "mean = beta1*mean + (1 - beta1)*g",
    "variance = beta2*variance + (1 - beta2)*g*g",
    "direction = if(bias_correction, mean/(1 - pow(beta1, t))/(sqrt(variance/(1 - pow(beta2, t))) + epsilon),"
        + " mean/(sqrt(variance) + epsilon)) + wd*weight",
    "let w_sq = sumsq(weight)",
    "let d_sq = sumsq(direction)",
    "let r1_low = where(gt(lower_bound, 0), max(sqrt(w_sq), lower_bound), sqrt(w_sq))",
    "let r1 = where(gt(upper_bound, 0), min(r1_low, upper_bound), r1_low)",
    "let r2 = sqrt(d_sq)",
    "weight = weight - lr*where(eq(r1, 0) + eq(r2, 0), 1, r1/r2)*direction"})
public interface LambSpec {}
