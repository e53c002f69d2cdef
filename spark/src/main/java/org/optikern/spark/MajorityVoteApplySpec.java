package org.optikern.spark;

import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.Update;

/**
 * The step every replica takes with the majority vote (arXiv:1810.05291, Algorithm 1, with
 * decoupled weight decay as Signum's {@code wd_lh}): {@code grad} is the vote, -1 or +1 per
 * element ({@link OneBitSigns#unpack} of {@link VoteTally#majority()}), never a gradient. The
 * driver and every worker run this kernel on the same bits, so all replicas stay identical.
 */
@OptimizerSpec(name = "majority_vote_apply", learningRate = 0.001)
@Hyperparameter(name = "wd_lh", defaultValue = 0.0, doc = "Decoupled weight decay (arXiv:1711.05101), as Signum's.")
@Update(formulas = "weight = (1 - lr*wd_lh)*weight - lr*grad")
public interface MajorityVoteApplySpec {}
