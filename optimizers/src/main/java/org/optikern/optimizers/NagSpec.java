package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Nesterov accelerated gradient (Nesterov 1983; Sutskever et al., ICML 2013), as Apache MXNet
 * 1.9.1's {@code mxnet.optimizer.NAG} computes it: {@code nag_mom_update} ({@code NAGMomKernel} in
 * {@code src/operator/optimizer_op-inl.h}) with momentum, {@code sgd_update} ({@code SGDKernel})
 * without.
 *
 * <p>MXNet calls the kernel with {@code out=weight}, so its last line reads the weight the line
 * before has just written: the momentum's weight-decay term uses the <em>new</em> weight. The
 * formulas here read stored values too, so they compute exactly that (it matters only when
 * {@code wd != 0}).
 *
 * <p>Deliberate difference: a negative momentum is used as given (MXNet passes momentum to the
 * kernel only when positive).
 */
@OptimizerSpec(name = "nag", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.0, doc = "Momentum; 0 runs plain SGD without a state.")
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@Update(when = "momentum", formulas = {
    "let g = clip(rescale_grad*grad, clip_gradient)",
    "mom = momentum*mom",
    "weight = weight - mom + (momentum + 1)*(mom - lr*(g + wd*weight))",
    "mom = mom - lr*(g + wd*weight)"})
@Update(when = "!momentum && clipped",
    formulas = "weight = (1 - lr*wd)*weight - lr*clip(rescale_grad*grad, clip_gradient)")
@Update(when = "!momentum && !clipped", formulas = "weight = (1 - lr*wd)*weight - lr*rescale_grad*grad")
public interface NagSpec {}
