package org.optikern.optimizers;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * Nadam, Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
 * workshop), as Apache MXNet 1.9.1's {@code mxnet.optimizer.Nadam} computes it: the momentum
 * schedule {@code beta1*(1 - 0.5*0.96^(t*schedule_decay))} and its running product in Python
 * double, the rest as NDArray operations, each rounding to the array's dtype, in its order. Weight
 * decay is coupled and joins the gradient before clipping.
 *
 * <p>Deliberate difference: MXNet keeps one product of the schedule, {@code m_schedule}, for the
 * whole optimizer and multiplies it on every update of any parameter, so a model's results depend
 * on how many parameters it has and in which order they are updated. Here each parameter has its
 * own ({@code @State(scalar = true)}), the product of its own schedule, as in the paper; for a
 * single parameter the two agree bit for bit. Clipping is on when {@code clip_gradient > 0} (MXNet's
 * Python clips whenever it is not None). {@code beta1} and {@code beta2} must lie in [0, 1).
 * Python's {@code pow} is glibc's, Optikern's {@code StrictMath.pow}: they may differ in the last bit
 * of a double, which reaches a float scalar only when it sits on a rounding boundary (as for
 * {@link AdamSpec Adam}).
 */
@OptimizerSpec(name = "nadam", learningRate = 0.001)
@Hyperparameter(name = "beta1", defaultValue = 0.9, valid = "beta1 >= 0 && beta1 < 1",
    doc = "Decay of the first-moment average.")
@Hyperparameter(name = "beta2", defaultValue = 0.999, valid = "beta2 >= 0 && beta2 < 1",
    doc = "Decay of the second-moment average.")
@Hyperparameter(name = "epsilon", defaultValue = 1e-8, doc = "Added to the corrected sqrt(v).")
@Hyperparameter(name = "schedule_decay", defaultValue = 0.004, doc = "Decay of the momentum schedule.")
@State(name = "m_schedule", scalar = true, initial = "1")
@State(name = "m")
@State(name = "v")
@Scalar("momentum_t = beta1*(1 - 0.5*pow(0.96, t*schedule_decay))")
@Scalar("momentum_t_1 = beta1*(1 - 0.5*pow(0.96, (t + 1)*schedule_decay))")
@Scalar("m_schedule = m_schedule*momentum_t")
@Scalar("m_schedule_next = m_schedule*momentum_t_1")
@Scalar("one_minus_beta1 = 1 - beta1")
@Scalar("one_minus_beta2 = 1 - beta2")
@Scalar("grad_scale = 1 - m_schedule")
@Scalar("m_scale = 1 - m_schedule_next")
@Scalar("v_scale = 1 - pow(beta2, t)")
@Scalar("one_minus_momentum_t = 1 - momentum_t")
@Update(formulas = {
    "let g = clip(rescale_grad*grad + wd*weight, clip_gradient)",
    "m = m*beta1",
    "m = m + one_minus_beta1*g",
    "v = v*beta2",
    "v = v + one_minus_beta2*g*g",
    "let grad_prime = g/grad_scale",
    "let m_prime = m/m_scale",
    "let v_prime = v/v_scale",
    "let m_bar = one_minus_momentum_t*grad_prime + momentum_t_1*m_prime",
    "weight = weight - lr*m_bar/(sqrt(v_prime) + epsilon)"})
public interface NadamSpec {}
