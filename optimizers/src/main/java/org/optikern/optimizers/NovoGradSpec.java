package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * NovoGrad, stochastic gradient descent with layer-wise adaptive moments (Ginsburg et al.,
 * "Stochastic Gradient Methods with Layer-wise Adaptive Moments for Training of Deep Networks",
 * arXiv:1905.11286, Algorithm 1), as NVIDIA's PyTorch implementation from the Jasper example
 * computes it ({@code NvNovoGrad} in NVIDIA/DeepLearningExamples, kept as
 * {@code timm.optim.nvnovograd}): the second moment {@code v} is one number per tensor, a moving
 * average of the squared norm of its gradient, started at the first norm ({@code v == 0}); the first
 * moment {@code m} averages the gradient normalized by {@code sqrt(v) + eps}, plus weight decay.
 * The reference's 0-dim tensors and Python scalars are float32 arithmetic: {@code 1 - beta} is
 * computed in double and handed over as a float, as PyTorch casts a Python scalar.
 *
 * <p>The norm is a reduction over an expression of the pass, {@code sumsq(g)}, and {@code v} a scalar
 * state the update assigns: neither a buffer of the clipped gradient nor a broadcast array is kept.
 * The gradient is read twice, once for the norm and once for the step.
 *
 * <p>Deliberate differences: the gradient is {@code clip(rescale_grad*grad, clip_gradient)}, MXNet's
 * convention shared by every Optikern optimizer (with the defaults, the reference's gradient). The
 * squared norm is summed in Optikern's reduction order (16 partial sums, combined in a tree), where
 * PyTorch's {@code torch.sum} uses its own, so {@code v} may differ in its last bits. The reference's
 * {@code amsgrad} option is not offered.
 */
@OptimizerSpec(name = "novograd", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.95, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first moment, the average of normalized gradients.")
@Hyperparameter(name = "beta2", defaultValue = 0.98, valid = "beta2 >= 0 && beta2 < 1",
    doc = "Decay of the second moment, the tensor's average squared gradient norm.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, valid = "epsilon >= 0",
    doc = "Added to sqrt(v) against division by zero.")
@Hyperparameter(name = "grad_averaging", defaultValue = 0, valid = "grad_averaging == 0 || grad_averaging == 1",
    doc = "1 (or true) to scale the normalized gradient by 1 - beta1 before it joins the first moment.")
@Switch(name = "grad_averaging", when = "grad_averaging != 0")
@State(name = "v", scalar = true, initial = "0")
@State(name = "m")
@Scalar(value = "one_minus_beta1 = 1 - beta1", doc = "The weight of the new normalized gradient, with averaging.")
@Scalar(value = "one_minus_beta2 = 1 - beta2", doc = "The weight of the new squared norm.")
@Update(formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "let g_sq = sumsq(g)",
    "v = where(eq(v, 0), g_sq, v*beta2 + one_minus_beta2*g_sq)",
    "let step = clip(rescale_grad*grad, clip_gradient)/(sqrt(v) + epsilon) + wd*weight",
    "m = m*beta1 + if(grad_averaging, step*one_minus_beta1, step)",
    "weight = weight - lr*m"})
public interface NovoGradSpec {}
