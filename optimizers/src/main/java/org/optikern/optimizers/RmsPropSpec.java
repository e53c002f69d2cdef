package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * RMSProp (Tieleman and Hinton, COURSERA Neural Networks for Machine Learning, lecture 6.5, 2012)
 * and its centered form (Graves, "Generating Sequences With Recurrent Neural Networks",
 * arXiv:1308.0850, eqs. 38-45), as Apache MXNet 1.9.1's {@code mxnet.optimizer.RMSProp} computes
 * them: {@code rmsprop_update} ({@code RMSPropUpdateKernel}) and {@code rmspropalex_update}
 * ({@code RMSPropAlexUpdateKernel}) in {@code src/operator/optimizer_op-inl.h}. Weight decay is
 * coupled and joins the gradient before clipping; epsilon sits <em>inside</em> the square root.
 * The two kernels group the squared gradient differently ({@code (1 - gamma1)*(g*g)} and
 * {@code ((1 - gamma1)*g)*g}); the formulas keep each. One {@code @Update} serves the four variants:
 * {@code if(centered, a, b)} and {@code if(clip_weights, a, b)} are resolved when the kernels are
 * generated, and a state a variant does not have ({@code g = if(centered, ..., g)}) is left out of
 * it.
 *
 * <p>{@code centered} and {@code clip_weights} are switches: the centered kernels keep the mean
 * gradient {@code g} and the update {@code delta} as states, and with {@code clip_weights > 0} the
 * new weight is clipped to that bound (MXNet passes it when set, and its kernel clips when it is
 * {@code >= 0}; 0 here means unset).
 *
 * <p>Deliberate difference: MXNet keeps these states in float32 whatever the weight's dtype; here
 * they have the weight's dtype, like every state (use {@code multi_precision} for float16).
 */
@OptimizerSpec(name = "rmsprop", learningRate = 0.001)
@Hyperparameter(name = "gamma1", defaultValue = 0.9, doc = "Decay of the squared-gradient average.")
@Hyperparameter(name = "gamma2", defaultValue = 0.9, doc = "Momentum of the centered variant's update.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, doc = "Added under the square root.")
@Hyperparameter(name = "centered", defaultValue = 0, valid = "centered == 0 || centered == 1",
    doc = "1 (or true) for the centered variant (Graves 2013).")
@Hyperparameter(name = "clip_weights", defaultValue = 0,
    doc = "Clip the weights to [-clip_weights, clip_weights] when > 0.")
@Switch(name = "centered", when = "centered != 0")
@Switch(name = "clip_weights", when = "clip_weights > 0")
@State(name = "n")
@State(name = "g", when = "centered")
@State(name = "delta", when = "centered")
@Update(formulas = {
    "let gr = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "n = if(centered, (1 - gamma1)*gr*gr, (1 - gamma1)*(gr*gr)) + gamma1*n",
    "g = if(centered, (1 - gamma1)*gr + gamma1*g, g)",
    "delta = if(centered, gamma2*delta - lr*gr/sqrt(n - g*g + epsilon), delta)",
    "let stepped = if(centered, weight + delta, weight - lr*(gr/sqrt(n + epsilon)))",
    "weight = if(clip_weights, clip(stepped, clip_weights), stepped)"})
public interface RmsPropSpec {}
