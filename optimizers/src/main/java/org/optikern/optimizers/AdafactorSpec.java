package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Adafactor, adaptive learning rates with sublinear memory cost (Shazeer and Stern, "Adafactor:
 * Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018, arXiv:1804.04235, Algorithms 4
 * and 5), as fairseq's {@code Adafactor} computes it, kept as {@code transformers.optimization.Adafactor}
 * in Hugging Face Transformers: for a weight of two or more dimensions the second moment is factored
 * into a moving average of the squared gradient's row means {@code v_row} and one of its column means
 * {@code v_col}, and the step divides the gradient by {@code sqrt(v_row/mean(v_row))*sqrt(v_col)},
 * elementwise: {@code rows + cols} numbers where Adam keeps {@code rows*cols}. A vector keeps the
 * full second moment {@code v}. The decay {@code beta2t = 1 - t^decay_rate} grows towards 1; the
 * step is clipped to an RMS of {@code clip_threshold}; with {@code relative_step} the step size is
 * {@code min(1e-2, 1/sqrt(t))} (warmup: {@code min(1e-6*t, 1/sqrt(t))}), scaled by the weight's RMS
 * (at least {@code epsilon2}) with {@code scale_parameter}; weight decay is decoupled, by
 * {@code wd} times that step size.
 *
 * <p>Shapes: the reference factors the last two dimensions of a weight and treats the ones before as
 * a batch of matrices. Optikern factors its 2-D view: {@code rows} the product of all but the last
 * dimension, {@code cols} the last. For a matrix, the transformer weights Adafactor is used on, the
 * two are the same; for a weight of three or more dimensions the column statistics here are over
 * all rows rather than per matrix of the batch.
 *
 * <p>Deliberate differences: the gradient is {@code clip(rescale_grad*grad, clip_gradient)}, MXNet's
 * convention shared by every Optikern optimizer (with the defaults, the reference's gradient); its
 * {@code lr} is the optimizer's learning rate (read only without {@code relative_step}). The sums are
 * in Optikern's orders: {@code rowsum}, {@code sumsq} and {@code sum} in 16 partial sums combined
 * in a tree, {@code colsum} down the rows in order, where PyTorch's {@code mean} and {@code norm}
 * use their own, so results may differ in their last bits. The reference's float32 arithmetic
 * for float16 weights (it upcasts) is multi_precision here.
 */
@OptimizerSpec(name = "adafactor", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first moment of the step; 0 (the default) keeps none.")
@Hyperparameter(name = "epsilon1", defaultValue = 1e-30, valid = "epsilon1 >= 0",
    doc = "Added to the squared gradient (the reference's eps[0]).")
@Hyperparameter(name = "epsilon2", defaultValue = 1e-3, valid = "epsilon2 >= 0",
    doc = "The least RMS of the weight that scales the step (the reference's eps[1]).")
@Hyperparameter(name = "clip_threshold", defaultValue = 1.0, valid = "clip_threshold > 0",
    doc = "The largest RMS of the unscaled step.")
@Hyperparameter(name = "decay_rate", defaultValue = -0.8, valid = "decay_rate < 0",
    doc = "The second moment's decay is 1 - t^decay_rate.")
@Hyperparameter(name = "scale_parameter", defaultValue = 1,
    valid = "scale_parameter == 0 || scale_parameter == 1",
    doc = "1 to scale the step size by the weight's RMS (at least epsilon2).")
@Hyperparameter(name = "relative_step", defaultValue = 1, valid = "relative_step == 0 || relative_step == 1",
    doc = "1 for the step size min(1e-2, 1/sqrt(t)) instead of the learning rate.")
@Hyperparameter(name = "warmup_init", defaultValue = 0, valid = "warmup_init == 0 || warmup_init == 1",
    doc = "1 to start the relative step size at 1e-6*t.")
@Switch(name = "first_moment", when = "beta1 != 0")
@State(name = "v_row", shape = "rows", when = "factored")
@State(name = "v_col", shape = "columns", when = "factored")
@State(name = "v", when = "!factored")
@State(name = "m", when = "first_moment")
@Scalar(value = "beta2t = 1 - pow(t, decay_rate)", doc = "The second moment's decay at this update.")
@Scalar(value = "one_minus_beta2t = 1 - beta2t", doc = "The weight of the new squared gradient.")
@Scalar(value = "one_minus_beta1 = 1 - beta1", doc = "The weight of the new step in the first moment.")
@Scalar(value = "rel_step = where(relative_step, min(where(warmup_init, 1e-6*t, 1e-2), 1/sqrt(t)), lr)",
    doc = "The step size before the weight's RMS scales it.")
@Update(when = "factored", formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "let g_sq = g*g + epsilon1",
    "let g_sq_rows = rowsum(g_sq)",
    "let g_sq_cols = colsum(g_sq)",
    "let w_sq = sumsq(weight)",
    "v_row = v_row*beta2t + g_sq_rows/cols*one_minus_beta2t",
    "v_col = v_col*beta2t + g_sq_cols/rows*one_minus_beta2t",
    "let v_row_sum = sum(v_row)",
    "let row_factor = 1/sqrt(v_row/(v_row_sum/rows))",
    "let col_factor = 1/sqrt(v_col)",
    "let u = row_factor*col_factor*clip(rescale_grad*grad, clip_gradient)",
    "let u_sq = sumsq(u)",
    "let lr_t = where(scale_parameter, max(epsilon2, sqrt(w_sq)/sqrt(size)), 1)*rel_step",
    "let step = row_factor*col_factor*clip(rescale_grad*grad, clip_gradient)"
        + "/max(sqrt(u_sq)/sqrt(size)/clip_threshold, 1)*lr_t",
    "m = if(first_moment, m*beta1 + step*one_minus_beta1, m)",
    "weight = weight - weight*(wd*lr_t) - if(first_moment, m, step)"})
@Update(when = "!factored", formulas = {
    "let w_sq = sumsq(weight)",
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "v = v*beta2t + (g*g + epsilon1)*one_minus_beta2t",
    "let u = 1/sqrt(v)*g",
    "let u_sq = sumsq(u)",
    "let lr_t = where(scale_parameter, max(epsilon2, sqrt(w_sq)/sqrt(size)), 1)*rel_step",
    "let step = 1/sqrt(v)*clip(rescale_grad*grad, clip_gradient)/max(sqrt(u_sq)/sqrt(size)/clip_threshold, 1)*lr_t",
    "m = if(first_moment, m*beta1 + step*one_minus_beta1, m)",
    "weight = weight - weight*(wd*lr_t) - if(first_moment, m, step)"})
public interface AdafactorSpec {}
