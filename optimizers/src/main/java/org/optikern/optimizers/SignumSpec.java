package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Signum and signSGD (Bernstein, Wang, Azizzadenesheli and Anandkumar, "signSGD: Compressed
 * Optimisation for Non-Convex Problems", ICML 2018, arXiv:1802.04434), as Apache MXNet 1.9.1's
 * native kernels compute them ({@code signum_update} and {@code signsgd_update} in
 * {@code src/operator/optimizer_op-inl.h}, driven by {@code mxnet.optimizer.Signum}).
 *
 * <p>The formulas are the kernels', in the kernels' operation order: C groups {@code a*b*c} as
 * {@code (a*b)*c} and {@code a-b-c} as {@code (a-b)-c}, and so do these formulas, which is what
 * makes float32 and float64 results equal MXNet's bit for bit.
 *
 * <ul>
 *   <li>{@code wd} is coupled (it enters the momentum) and {@code wd_lh} is decoupled
 *       (AdamW-style, arXiv:1711.05101).
 *   <li>{@code mom} holds the <em>negative</em> of the documentation's momentum: the kernel
 *       accumulates {@code -grad} and adds {@code lr*sign(mom)}. We keep the kernel's sign so that
 *       states equal MXNet's; the weights are the same either way.
 *   <li>The kernel clips after rescaling ({@code clip(rescale_grad*grad)}), unlike the
 *       documentation's {@code rescale_grad*clip(grad)}; we follow the kernel. Its clipped and
 *       unclipped paths group the gradient term differently, hence two updates.
 *   <li>{@code sign(x) = (x > 0) - (x < 0)}: sign(NaN) = 0 and sign(-0) = 0.
 * </ul>
 *
 * <p>Where we deliberately differ from MXNet 1.9.1:
 * <ul>
 *   <li>momentum = 0 with {@code wd_lh != 0}: MXNet passes {@code wd_lh} to
 *       {@code signsgd_update}, which has no such parameter, so the first update fails. We apply
 *       {@code wd + wd_lh} as decoupled decay, as MXNet's own test reference (PySignum) and MXNet
 *       2.0 do. With {@code wd_lh = 0} the result is bit-identical to {@code signsgd_update}.
 *   <li>momentum &lt; 0: MXNet creates a state but then omits momentum from the kernel call (it
 *       passes momentum only when &gt; 0), so the kernel runs with momentum 0. We run the formula
 *       with the momentum given.
 *   <li>signSGD ignores {@code rescale_grad} and {@code clip_gradient}, as MXNet's kernel does
 *       (so a negative {@code rescale_grad} does not flip the step); we keep that.
 * </ul>
 */
@OptimizerSpec(name = "signum", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.9, doc = "Momentum decay; 0 selects signSGD.")
@Hyperparameter(name = "wd_lh", defaultValue = 0.0, doc = "Decoupled weight decay (arXiv:1711.05101).")
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@Update(when = "momentum && clipped", formulas = {
    "mom = momentum*mom - (1-momentum)*wd*weight - (1-momentum)*clip(rescale_grad*grad, clip_gradient)",
    "weight = (1 - lr*wd_lh)*weight + lr*sign(mom)"})
@Update(when = "momentum && !clipped", formulas = {
    "mom = momentum*mom - (1-momentum)*wd*weight - (1-momentum)*rescale_grad*grad",
    "weight = (1 - lr*wd_lh)*weight + lr*sign(mom)"})
@Update(when = "!momentum", formulas = "weight = (1 - lr*(wd + wd_lh))*weight - lr*sign(grad)")
public interface SignumSpec {}
