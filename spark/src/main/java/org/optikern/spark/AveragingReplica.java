package org.optikern.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * One worker of the float32 all-reduce baseline: the same model, shard and batches as a
 * {@link VotingReplica}, but it sends its whole gradient, and every replica applies the built-in
 * {@code signum} optimizer (generated kernels) to the sum of all workers' gradients. That is
 * Signum on one machine with an N times larger batch: the same update rule as majority vote, with
 * no compression. Never changed in place, for the same reason as {@link VotingReplica}.
 */
public final class AveragingReplica implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DigitsShard shard;
  private final TrainingSettings settings;
  private final float[] weights;
  private final float[] mom;
  private final float[] gradient;

  private AveragingReplica(DigitsShard shard, TrainingSettings settings, float[] weights, float[] mom, float[] gradient) {
    this.shard = shard;
    this.settings = settings;
    this.weights = weights;
    this.mom = mom;
    this.gradient = gradient;
  }

  public static AveragingReplica start(DigitsShard shard, TrainingSettings settings, float[] initialWeights) {
    return new AveragingReplica(shard, settings, initialWeights.clone(), new float[initialWeights.length], null);
  }

  /** Step {@code step}: applies the previous step's summed gradient, then computes this step's own. */
  public AveragingReplica next(SummedGradient previous, int step) {
    float[] nextWeights = weights.clone();
    float[] nextMom = mom.clone();
    if (previous.sum() != null) {
      applySignum(nextWeights, nextMom, previous, settings);
    }
    float[] grad = new FlatModel(settings).gradient(nextWeights, shard.x(), shard.y(), shard.batch(step));
    VotingReplica.FaultInjection.failFirstAttempt(settings, shard.worker(), step);
    return new AveragingReplica(shard, settings, nextWeights, nextMom, grad);
  }

  /** The gradient this worker sent at its last step, summed over its batch. */
  public float[] gradient() {
    if (gradient == null) {
      throw new IllegalStateException("worker " + shard.worker() + " has not computed a gradient yet");
    }
    return gradient;
  }

  /** This replica's weights once {@code pending} is applied: the driver's, after the last step. */
  public float[] weightsAfter(SummedGradient pending) {
    float[] result = weights.clone();
    if (pending.sum() != null) {
      applySignum(result, mom.clone(), pending, settings);
    }
    return result;
  }

  /**
   * Signum's step (MXNet's {@code signum_update} through the registry's generated optimizer) with
   * the gradient summed over all workers' batches: {@code rescale_grad} makes it their mean.
   */
  static void applySignum(float[] weights, float[] mom, SummedGradient summed, TrainingSettings settings) {
    if (summed.sum().length != weights.length) {
      throw new IllegalArgumentException("a summed gradient of " + summed.sum().length + " elements for "
          + weights.length + " weights");
    }
    Map<String, Object> params = new HashMap<>();
    params.put("learning_rate", summed.lr());
    params.put("momentum", settings.momentum());
    params.put("wd", settings.wd());
    params.put("wd_lh", settings.wdLh());
    params.put("rescale_grad", 1.0 / ((double) settings.workers() * settings.batchPerWorker()));
    if (settings.clipGradient() > 0) {
      params.put("clip_gradient", settings.clipGradient());
    }
    Optimizer signum = Optimizer.create("signum", params);
    Tensor weightTensor = Tensor.of(weights);
    OptimizerState state = signum.createState(0, weightTensor);
    if (!state.isEmpty()) {
      float[] live = state.get("mom").floatData();
      System.arraycopy(mom, 0, live, 0, mom.length);
      signum.update(0, weightTensor, Tensor.of(summed.sum()), state);
      System.arraycopy(live, 0, mom, 0, mom.length);
    } else {
      signum.update(0, weightTensor, Tensor.of(summed.sum()), state);
    }
  }

  /** The sum of a step's gradients over all workers and that step's learning rate, sent to every worker. */
  public record SummedGradient(float[] sum, double lr) implements Serializable {}
}
