package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Large-batch SGD, as Apache MXNet 1.9.1's {@code mxnet.optimizer.LBSGD} computes it
 * ({@code python/mxnet/optimizer/optimizer.py} at tag 1.9.1; the warmup follows Goyal et al.,
 * "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", arXiv:1706.02677, and its
 * {@code 'lars'} strategy You, Gitman and Ginsburg, "Large Batch Training of Convolutional
 * Networks", arXiv:1708.03888). It emulates a batch {@code batch_scale} times larger: each
 * parameter counts its updates ({@code num_cums}, from {@code begin_epoch*updates_per_epoch + 1})
 * and sums its gradients; when the count is a multiple of {@code batch_scale}, the mean of the
 * summed gradients takes an SGD step ({@code sgd_mom_update}, or {@code sgd_update} without
 * momentum, MXNet's kernels {@code SGDMomKernel} / {@code SGDKernel} in
 * {@code src/operator/optimizer_op-inl.h}, in their order) with the learning rate times a multiplier,
 * and the sum starts again from 0; on every other update MXNet calls {@code sgd_update} with
 * {@code lr = 0}, which leaves the weight as it is ({@code weight - 0*grad}: NaN where the gradient
 * is not finite, as there). The multiplier rises during the warmup, the first
 * {@code warmup_epochs*updates_per_epoch} counts, from 1 to {@code batch_scale}, linearly, with
 * the square or with the square root of the progress ({@code _get_lbmult}, in double as MXNet's
 * Python computes it), and is {@code batch_scale} after it; the {@code 'lars'} strategy replaces it
 * by the layer's trust ratio {@code sqrt(|w|^2/(|g|^2 + wd*|w|^2 + 1e-18))} of the weight and the
 * mean gradient (before {@code rescale_grad}), clamped to [0.01, 100] ({@code _get_lars}).
 *
 * <p>What each part reads, as in MXNet: the count is the parameter's own ({@code num_cums}, a scalar
 * state: MXNet's {@code cumgrads[index]['num_cums']}), not {@code t} nor the optimizer-wide
 * {@code num_update}, so {@code begin_num_update} does not move it; whether an update steps is a
 * per-update scalar ({@code apply}), so each kernel selects per element between the step and the
 * unchanged weight without a test of its own. MXNet's first gradient of a parameter is held as it is
 * and every later one is added to the sum ({@code 0 + grad} after a step, which turns -0 into +0);
 * so is it here ({@code first}). The sum and then the mean live in the state {@code cum_grad}
 * (stored in the weight's dtype, as MXNet's NDArrays), which exists only when {@code batch_scale}
 * is not 1; with 1 every update steps, with {@code 0 + grad} after the first.
 *
 * <p>Deliberate differences:
 * <ul>
 *   <li>MXNet's {@code warmup_strategy} is a string; here it is a number, the power of the warmup's
 *       progress {@code num_cums/nwup}: 1 for {@code 'linear'} (the default), 2 for
 *       {@code 'power2'}, 0.5 for {@code 'sqrt'}, and 0 for {@code 'lars'} (each computed with
 *       MXNet's own formula, not a power). MXNet's other strings (a multiplier of 1 during the
 *       warmup) are not offered, nor {@code num_epochs}, which MXNet stores and never reads.
 *   <li>"{@code num_cums} is a multiple of {@code batch_scale}" is tested as "{@code num_cums/batch_scale}
 *       is a whole number", in double, through {@code (q + 2^52) - 2^52 == q} (the language has no
 *       remainder): the same for every whole {@code batch_scale} while the count stays below 2^52,
 *       and for fractional ones whose multiples are exact (2.5); Python's {@code %} can differ for
 *       a fraction such as 1.1. {@code batch_scale} must be at least 1 (MXNet documents it as
 *       unsigned; 0 divides by zero there), {@code begin_epoch}, {@code updates_per_epoch} and
 *       {@code warmup_epochs} at least 0.
 *   <li>The {@code 'lars'} strategy: MXNet sums the squares with numpy ({@code multiply(v, v)}
 *       rounded to the dtype, then numpy's pairwise sum) and computes the ratio, its clamp and
 *       {@code lr*ratio} in Python double; here the sums are the spec language's {@code sumsq}
 *       (its lane order, in the kernel's arithmetic) and the ratio, clamp and product are computed
 *       in the kernel's arithmetic (float for float32 and float16 weights), since a formula cannot
 *       take a reduction into double. So this strategy follows MXNet's formula, not its bits; it
 *       reduces over the whole tensor (no parallel chunks; no SIMD twin for float16), the others do
 *       not. A negative denominator makes MXNet's {@code math.sqrt} raise; here the ratio is NaN.
 *   <li>MXNet reads the learning rate before it counts the update, so an {@code lr_scheduler} sees
 *       the previous {@code num_update}; here, as for every optimizer, the scheduler sees this
 *       update counted.
 *   <li>MXNet holds the first gradient of a parameter by reference, so a caller that overwrites its
 *       gradient array in place before the next update changes the sum; here the first gradient is
 *       copied into {@code cum_grad}.
 *   <li>A negative {@code momentum} keeps the momentum state but steps without momentum, as MXNet
 *       (which passes {@code momentum} to the kernel only when positive); float16 multi-precision
 *       uses the generic master-copy path, which is also MXNet's for LBSGD through its
 *       {@code Updater}.
 * </ul>
 */
@OptimizerSpec(name = "lbsgd", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.0, doc = "Momentum; 0 runs without a state.")
@Hyperparameter(name = "warmup_strategy", defaultValue = 1,
    valid = "warmup_strategy == 1 || warmup_strategy == 2 || warmup_strategy == 0.5 || warmup_strategy == 0",
    doc = "MXNet's warmup_strategy as a number: 1 'linear', 2 'power2', 0.5 'sqrt', 0 'lars'.")
@Hyperparameter(name = "warmup_epochs", defaultValue = 5, valid = "warmup_epochs >= 0",
    doc = "Epochs of warmup: the multiplier reaches batch_scale after warmup_epochs*updates_per_epoch updates.")
@Hyperparameter(name = "batch_scale", defaultValue = 1, valid = "batch_scale >= 1",
    doc = "How many updates' gradients make one step, and the multiplier after the warmup.")
@Hyperparameter(name = "updates_per_epoch", defaultValue = 32, valid = "updates_per_epoch >= 0",
    doc = "Updates per epoch, for the warmup's length and begin_epoch.")
@Hyperparameter(name = "begin_epoch", defaultValue = 0, valid = "begin_epoch >= 0",
    doc = "The epoch training starts from: the count starts at begin_epoch*updates_per_epoch.")
@Switch(name = "momentum", when = "momentum != 0")
@Switch(name = "accumulate", when = "batch_scale != 1")
@Switch(name = "lars", when = "warmup_strategy == 0")
@State(name = "mom", when = "momentum")
@State(name = "cum_grad", when = "accumulate")
@State(name = "num_cums", scalar = true, initial = "0")
@Scalar(value = "first = 1 - gt(num_cums, 0)", doc = "1 at a parameter's first update, else 0.")
@Scalar("num_cums = where(gt(num_cums, 0), num_cums + 1, begin_epoch*updates_per_epoch + 1)")
@Scalar("macro_batches = num_cums/batch_scale")
@Scalar(value = "apply = eq(macro_batches, macro_batches + 4503599627370496 - 4503599627370496)",
    doc = "1 when num_cums is a multiple of batch_scale (the update steps), else 0.")
@Scalar(value = "nwup = warmup_epochs*updates_per_epoch", doc = "The warmup's length.")
@Scalar(value = "lbmult = where(gt(nwup, num_cums), where(gt(nwup, 1), where(eq(warmup_strategy, 1),"
    + " 1 + (batch_scale - 1)*num_cums/nwup, where(eq(warmup_strategy, 2),"
    + " 1 + (batch_scale - 1)*(num_cums*num_cums)/(nwup*nwup), 1 + (batch_scale - 1)*sqrt(num_cums/nwup))), 1),"
    + " batch_scale)", doc = "The warmup's learning-rate multiplier (_get_lbmult).")
@Scalar(value = "lr_lb = lr*lbmult", doc = "The step's learning rate, but for the 'lars' strategy.")
@Scalar(value = "momentum_kernel = where(gt(momentum, 0), momentum, 0)", doc = "The momentum the kernel gets.")
@Update(formulas = {
    "cum_grad = if(accumulate, where(first, grad, cum_grad + grad), cum_grad)",
    "cum_grad = if(accumulate, where(apply, cum_grad/batch_scale, cum_grad), cum_grad)",
    // the 'lars' strategy: the norms of the weight and of the mean gradient (with batch_scale 1, the
    // gradient itself: (0 + grad)^2 is grad^2)
    "let w_sq = sumsq(weight)",
    "let cum_sq = sumsq(cum_grad)",
    "let grad_sq = sumsq(grad)",
    "let lars_ratio = sqrt(w_sq/(if(accumulate, cum_sq, grad_sq) + wd*w_sq + 1e-18))",
    "let lr_l = if(lars, lr*where(gt(0.01, lars_ratio), 0.01, where(gt(lars_ratio, 100), 100, lars_ratio)), lr_lb)",
    "let g = if(accumulate, cum_grad, where(first, grad, 0 + grad))",
    "mom = if(momentum, where(apply, if(clipped,"
        + " momentum_kernel*mom - lr_l*wd*weight - lr_l*clip(rescale_grad*g, clip_gradient),"
        + " momentum_kernel*mom - lr_l*wd*weight - lr_l*rescale_grad*g), mom), mom)",
    "weight = where(apply, if(momentum, weight + mom, if(clipped,"
        + " (1 - lr_l*wd)*weight - lr_l*clip(rescale_grad*g, clip_gradient),"
        + " (1 - lr_l*wd)*weight - lr_l*rescale_grad*g)), weight - 0*grad)",
    "cum_grad = if(accumulate, where(apply, 0, cum_grad), cum_grad)"})
public interface LbSgdSpec {}
