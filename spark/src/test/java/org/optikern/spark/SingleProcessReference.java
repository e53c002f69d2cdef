package org.optikern.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.optikern.examples.Digits;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * Majority vote trained in one process, without Spark: the same gradients (same model code and
 * batches) and learning rates as the Spark path, the workers' momenta and residuals by the specs'
 * interpreter instead of the generated kernels, and votes counted, decided and applied in plain
 * Java ints and floats, with no packing, no bit-sliced tally and no generated kernel.
 */
final class SingleProcessReference {
  private SingleProcessReference() {}

  record Result(float[] weights, long ties, long zeroMomenta) {}

  static Result signum(Digits digits, TrainingSettings settings) {
    int workers = settings.workers();
    FlatModel model = new FlatModel(settings);
    float[] weights = model.initialWeights();
    int n = weights.length;
    Map<String, Object> params = new HashMap<>();
    params.put("momentum", settings.momentum());
    params.put("wd", settings.wd());
    params.put("rescale_grad", 1.0 / settings.batchPerWorker());
    if (settings.clipGradient() > 0) {
      params.put("clip_gradient", settings.clipGradient());
    }
    Optimizer interpreter = InterpretedOptimizer.of(MajorityVoteMomentumSpec.class, params);
    List<DigitsShard> shards = new ArrayList<>();
    List<OptimizerState> moms = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      shards.add(DigitsShard.of(digits, w, settings));
      moms.add(interpreter.createState(w, Tensor.of(new float[n])));
    }
    int steps = DigitsShard.stepsPerEpoch(digits, settings) * settings.epochs();
    LrScheduler schedule = MajorityVoteTraining.cosine(settings, steps);
    long ties = 0;
    long zeroMomenta = 0;
    for (int step = 0; step < steps; step++) {
      int[] negatives = new int[n];
      for (int w = 0; w < workers; w++) {
        DigitsShard shard = shards.get(w);
        float[] grad = model.gradient(weights, shard.x(), shard.y(), shard.batch(step));
        interpreter.update(w, Tensor.of(weights.clone()), Tensor.of(grad), moms.get(w));
        float[] mom = moms.get(w).get("mom").floatData();
        boolean adversary = w >= workers - settings.adversaries();
        for (int i = 0; i < n; i++) {
          boolean votesMinus = mom[i] < 0; // +0, -0 and NaN vote +1
          zeroMomenta += mom[i] == 0 ? 1 : 0;
          if (votesMinus != adversary) {
            negatives[i]++;
          }
        }
      }
      float lr = (float) schedule.learningRate(step + 1);
      float decay = 1f - lr * (float) settings.wdLh();
      for (int i = 0; i < n; i++) {
        int sum = (workers - negatives[i]) - negatives[i];
        ties += sum == 0 ? 1 : 0;
        float vote = sum < 0 ? -1f : 1f;
        weights[i] = decay * weights[i] - lr * vote;
      }
    }
    return new Result(weights, ties, zeroMomenta);
  }

  static float[] errorFeedback(Digits digits, TrainingSettings settings) {
    int workers = settings.workers();
    FlatModel model = new FlatModel(settings);
    float[] weights = model.initialWeights();
    int n = weights.length;
    float[][] residuals = new float[workers][n];
    int steps = DigitsShard.stepsPerEpoch(digits, settings) * settings.epochs();
    LrScheduler schedule = MajorityVoteTraining.cosine(settings, steps);
    for (int step = 0; step < steps; step++) {
      Optimizer interpreter = InterpretedOptimizer.of(ErrorFeedbackCorrectionSpec.class, Map.of(
          "learning_rate", schedule.learningRate(step + 1), "rescale_grad", 1.0 / settings.batchPerWorker()));
      int[] negatives = new int[n];
      float[] scales = new float[workers];
      for (int w = 0; w < workers; w++) {
        DigitsShard shard = DigitsShard.of(digits, w, settings);
        float[] grad = model.gradient(weights, shard.x(), shard.y(), shard.batch(step));
        OptimizerState state = interpreter.createState(w, Tensor.of(new float[n]));
        float[] residual = state.get("residual").floatData();
        System.arraycopy(residuals[w], 0, residual, 0, n);
        interpreter.update(w, Tensor.of(weights.clone()), Tensor.of(grad), state);
        System.arraycopy(residual, 0, residuals[w], 0, n);
        double magnitude = 0;
        for (float p : residual) {
          magnitude += Math.abs(p);
        }
        scales[w] = (float) (magnitude / n);
        boolean adversary = w >= workers - settings.adversaries();
        for (int i = 0; i < n; i++) {
          if ((residual[i] < 0) != adversary) {
            negatives[i]++;
          }
        }
      }
      java.util.Arrays.sort(scales);
      double scaleSum = 0;
      for (float scale : scales) {
        scaleSum += scale;
      }
      float stepSize = (float) (scaleSum / workers);
      for (int i = 0; i < n; i++) {
        float vote = 2 * negatives[i] > workers ? -1f : 1f;
        weights[i] = weights[i] - stepSize * vote;
        for (float[] residual : residuals) {
          residual[i] = residual[i] - stepSize * vote;
        }
      }
    }
    return weights;
  }
}
