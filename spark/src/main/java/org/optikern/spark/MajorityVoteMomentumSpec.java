package org.optikern.spark;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;

/**
 * A worker's half of Signum with majority vote (Bernstein, Zhao, Azizzadenesheli and Anandkumar,
 * "signSGD with Majority Vote is Communication Efficient and Fault Tolerant", ICLR 2019,
 * arXiv:1810.05291, Algorithm 1): the worker updates its own momentum from its own gradient, and
 * then votes with the momentum's sign ({@link OneBitSigns#pack}); the weight moves only by the
 * majority of the votes, in {@link MajorityVoteApplySpec}.
 *
 * <p>The momentum is Signum's ({@code org.optikern.optimizers.SignumSpec}, MXNet 1.9.1's
 * {@code signum_update}, coupled {@code wd} included) in the papers' sign: MXNet's state holds
 * the negative, {@code -mom}, and the weight steps along {@code +sign}; here {@code mom} points
 * uphill, as the paper's {@code v}, and the weight steps along {@code -vote}. IEEE negation is
 * exact, so this {@code mom} is MXNet's negated bit for bit except for the sign of zeros, which
 * vote +1 either way. Clipping applies to the rescaled gradient, as in Signum.
 *
 * <p>{@code weight = weight}: the spec language makes every update assign the weight, and a
 * worker must leave its replica alone until the vote comes back; the kernel stores each weight's
 * own bits.
 */
@OptimizerSpec(name = "majority_vote_momentum", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.9, doc = "Momentum decay; 0 votes with the sign of the gradient itself (signSGD).")
@State(name = "mom")
@Update(formulas = {
    "mom = momentum*mom + (1-momentum)*wd*weight + (1-momentum)*clip(rescale_grad*grad, clip_gradient)",
    "weight = weight"})
public interface MajorityVoteMomentumSpec {}
