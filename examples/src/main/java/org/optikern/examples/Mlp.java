package org.optikern.examples;

import java.util.List;
import java.util.Random;
import org.optikern.tensor.Tensor;

/**
 * A small classifier with hand-written gradients: softmax regression when {@code hidden == 0},
 * else one ReLU hidden layer. Parameters and their gradients are float32 tensors, in MXNet's
 * naming ({@code fc1_weight}, {@code fc1_bias}, ...) so that biases get no weight decay. Public for
 * the Spark module, which trains the same model data-parallel.
 */
public final class Mlp {
  public final List<String> names;
  public final List<Tensor> params;
  public final List<Tensor> grads;
  private final int inputs;
  private final int hidden;
  private final int outputs;

  public Mlp(int inputs, int hidden, int outputs, long seed) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.outputs = outputs;
    Random random = new Random(seed);
    if (hidden == 0) {
      names = List.of("fc_weight", "fc_bias");
      params = List.of(init(random, outputs, inputs), Tensor.of(new float[outputs]));
    } else {
      names = List.of("fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias");
      params = List.of(init(random, hidden, inputs), Tensor.of(new float[hidden]), init(random, outputs, hidden),
          Tensor.of(new float[outputs]));
    }
    grads = params.stream().map(Tensor::zerosLike).toList();
  }

  /** Glorot-uniform weights, shape [rows, cols]. */
  private static Tensor init(Random random, int rows, int cols) {
    float[] w = new float[rows * cols];
    double limit = Math.sqrt(6.0 / (rows + cols));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
    return Tensor.of(w, rows, cols);
  }

  /** Sums the gradients of the summed cross-entropy over the batch into {@link #grads}; returns the summed loss. */
  public double backward(float[][] x, int[] y, int[] batch) {
    for (Tensor g : grads) {
      java.util.Arrays.fill(g.floatData(), 0f);
    }
    double loss = 0;
    float[] hiddenOut = new float[hidden];
    float[] logits = new float[outputs];
    float[] dLogits = new float[outputs];
    float[] dHidden = new float[hidden];
    for (int b : batch) {
      float[] input = x[b];
      float[] last = forward(input, hiddenOut, logits);
      loss += softmaxCrossEntropy(logits, y[b], dLogits);
      Tensor outW = params.get(hidden == 0 ? 0 : 2);
      float[] gOutW = grads.get(hidden == 0 ? 0 : 2).floatData();
      float[] gOutB = grads.get(hidden == 0 ? 1 : 3).floatData();
      int lastSize = last.length;
      for (int o = 0; o < outputs; o++) {
        gOutB[o] += dLogits[o];
        for (int j = 0; j < lastSize; j++) {
          gOutW[o * lastSize + j] += dLogits[o] * last[j];
        }
      }
      if (hidden > 0) {
        float[] w2 = outW.floatData();
        for (int j = 0; j < hidden; j++) {
          float sum = 0;
          for (int o = 0; o < outputs; o++) {
            sum += dLogits[o] * w2[o * hidden + j];
          }
          dHidden[j] = hiddenOut[j] > 0 ? sum : 0;
        }
        float[] gW1 = grads.get(0).floatData();
        float[] gB1 = grads.get(1).floatData();
        for (int j = 0; j < hidden; j++) {
          gB1[j] += dHidden[j];
          for (int p = 0; p < inputs; p++) {
            gW1[j * inputs + p] += dHidden[j] * input[p];
          }
        }
      }
    }
    return loss;
  }

  public int predict(float[] input) {
    float[] logits = new float[outputs];
    forward(input, new float[hidden], logits);
    int best = 0;
    for (int o = 1; o < outputs; o++) {
      if (logits[o] > logits[best]) {
        best = o;
      }
    }
    return best;
  }

  public double loss(float[][] x, int[] y) {
    float[] logits = new float[outputs];
    float[] unused = new float[outputs];
    double loss = 0;
    for (int i = 0; i < x.length; i++) {
      forward(x[i], new float[hidden], logits);
      loss += softmaxCrossEntropy(logits, y[i], unused);
    }
    return loss / x.length;
  }

  public double accuracy(float[][] x, int[] y) {
    int correct = 0;
    for (int i = 0; i < x.length; i++) {
      if (predict(x[i]) == y[i]) {
        correct++;
      }
    }
    return (double) correct / x.length;
  }

  /** Fills the hidden activations and logits; returns the input of the output layer. */
  private float[] forward(float[] input, float[] hiddenOut, float[] logits) {
    float[] last = input;
    if (hidden > 0) {
      affine(params.get(0).floatData(), params.get(1).floatData(), input, hiddenOut);
      for (int j = 0; j < hidden; j++) {
        hiddenOut[j] = Math.max(0f, hiddenOut[j]);
      }
      last = hiddenOut;
    }
    Tensor w = params.get(hidden == 0 ? 0 : 2);
    Tensor bias = params.get(hidden == 0 ? 1 : 3);
    affine(w.floatData(), bias.floatData(), last, logits);
    return last;
  }

  private static void affine(float[] w, float[] bias, float[] in, float[] out) {
    for (int o = 0; o < out.length; o++) {
      float sum = bias[o];
      for (int j = 0; j < in.length; j++) {
        sum += w[o * in.length + j] * in[j];
      }
      out[o] = sum;
    }
  }

  /** Cross-entropy of softmax(logits) for the label; writes d(loss)/d(logits). */
  private static double softmaxCrossEntropy(float[] logits, int label, float[] dLogits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    for (int o = 0; o < logits.length; o++) {
      dLogits[o] = (float) (Math.exp(logits[o] - max) / sum) - (o == label ? 1f : 0f);
    }
    return Math.log(sum) - (logits[label] - max);
  }
}
