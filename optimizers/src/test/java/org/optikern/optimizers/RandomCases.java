package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerDescriptor;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/** Random parameters and tensors for the API-level properties of the built-in optimizers, and a bitwise comparison. */
final class RandomCases {
  private static final double[] HYPERPARAMETER_FACTORS = {1, 1, 0, 0.5, 2, -1};

  private RandomCases() {}

  /** The registry names and aliases of the optimizers this module generates. */
  static List<String> builtInNames() {
    List<String> names = Optimizer.registeredNames().stream()
        .filter(name -> Optimizer.create(name).getClass().getPackageName().equals(RandomCases.class.getPackageName()))
        .toList();
    assertFalse(names.isEmpty(), "no built-in optimizer is registered");
    return names;
  }

  /**
   * Each hyperparameter at its default or a multiple of it (0 and 1 too, so that every switch is
   * tried both ways), kept only if the spec's validity condition accepts it.
   */
  static Map<String, Object> randomParams(String name, Random random) {
    OptimizerDescriptor descriptor = Optimizer.create(name).descriptor();
    Map<String, Object> params = new HashMap<>();
    params.put("learning_rate", new double[] {0.001, 0.01, 0.1}[random.nextInt(3)]);
    params.put("wd", new double[] {0, 1e-4, 0.01}[random.nextInt(3)]);
    params.put("rescale_grad", new double[] {1, 0.5, 1.0 / 32}[random.nextInt(3)]);
    params.put("clip_gradient", random.nextBoolean() ? null : new double[] {0.1, 1, 0, -1}[random.nextInt(4)]);
    params.put("begin_num_update", random.nextInt(4));
    params.put("multi_precision", random.nextBoolean());
    // names decide weight-decay defaults and per-parameter flags (LARS's exemptions): weights, biases, gammas
    if (random.nextBoolean()) {
      params.put("param_idx2name", Map.of(0, "fc_weight", 1, new String[] {"fc_bias", "bn_gamma", "bn_beta"}[
          random.nextInt(3)], 2, "out_weight"));
    }
    if (descriptor.usesNoise()) {
      params.put("seed", random.nextLong());
    }
    for (int h = 0; h < descriptor.hyperparameterNames().size(); h++) {
      String hyperparameter = descriptor.hyperparameterNames().get(h);
      double value = random.nextInt(4) == 0 ? random.nextInt(2)
          : descriptor.hyperparameterDefaults().get(h) * HYPERPARAMETER_FACTORS[random.nextInt(HYPERPARAMETER_FACTORS.length)];
      params.put(hyperparameter, value);
      try {
        Optimizer.create(name, params);
      } catch (IllegalArgumentException invalid) {
        params.put(hyperparameter, descriptor.hyperparameterDefaults().get(h));
      }
    }
    return params;
  }

  static Tensor randomTensor(DType dtype, int n, Random random) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextInt(10) == 0 ? 0 : random.nextGaussian() * (random.nextBoolean() ? 1 : 0.01);
    }
    return switch (dtype) {
      case FLOAT64 -> Tensor.of(values);
      case FLOAT32 -> Tensor.of(values).astype(DType.FLOAT32);
      case FLOAT16 -> {
        short[] halfs = new short[n];
        for (int i = 0; i < n; i++) {
          halfs[i] = Half.fromDouble(values[i]);
        }
        yield Tensor.ofHalf(halfs);
      }
    };
  }

  /**
   * A random tensor of {@code n} elements in a random shape: a vector half the time, else a matrix of
   * {@code n/c} rows of {@code c} columns ({@code c} a divisor of n) or, now and then, three
   * dimensions; so that Adafactor's factored variant (and every optimizer's indifference to shapes)
   * is tested at the sizes drawn.
   */
  static Tensor randomShaped(DType dtype, int n, Random random) {
    return reshaped(randomTensor(dtype, n, random), randomShape(n, random));
  }

  /** A random gradient for {@code weight}: its dtype and shape. */
  static Tensor gradFor(Tensor weight, Random random) {
    return reshaped(randomTensor(weight.dtype(), weight.size(), random), weight.shape());
  }

  static int[] randomShape(int n, Random random) {
    if (random.nextBoolean() || n == 0) {
      return new int[] {n};
    }
    List<Integer> divisors = new java.util.ArrayList<>();
    for (int d = 1; d <= n; d++) {
      if (n % d == 0) {
        divisors.add(d);
      }
    }
    int cols = divisors.get(random.nextInt(divisors.size()));
    int rows = n / cols;
    if (random.nextInt(4) == 0 && rows % 2 == 0) {
      return new int[] {2, rows / 2, cols};
    }
    return new int[] {rows, cols};
  }

  /** {@code tensor}'s elements (on the heap) in {@code shape}. */
  static Tensor reshaped(Tensor tensor, int[] shape) {
    return switch (tensor.dtype()) {
      case FLOAT64 -> Tensor.of(tensor.doubleData(), shape);
      case FLOAT32 -> Tensor.of(tensor.floatData(), shape);
      case FLOAT16 -> Tensor.ofHalf(tensor.halfData(), shape);
    };
  }

  /** Every element the same bits (NaN as NaN); off-heap tensors are read through a copy on the heap. */
  static void assertSameBits(String what, Tensor expectedTensor, Tensor actualTensor) {
    Tensor expected = expectedTensor.isOffHeap() ? expectedTensor.onHeap() : expectedTensor;
    Tensor actual = actualTensor.isOffHeap() ? actualTensor.onHeap() : actualTensor;
    if (expected.size() != actual.size()) {
      fail(what + ": " + actual.size() + " elements, expected " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      long e = bits(expected, i);
      long a = bits(actual, i);
      if (e != a) {
        fail(what + "[" + i + "] of " + expected.size() + ": " + value(actual, i) + ", expected " + value(expected, i));
      }
    }
  }

  /** Bits with every NaN the same. */
  private static long bits(Tensor t, int i) {
    return switch (t.dtype()) {
      case FLOAT32 -> Float.floatToIntBits(t.floatData()[i]);
      case FLOAT64 -> Double.doubleToLongBits(t.doubleData()[i]);
      case FLOAT16 -> Half.isNaN(t.halfData()[i]) ? Half.NaN : t.halfData()[i];
    };
  }

  private static String value(Tensor t, int i) {
    return switch (t.dtype()) {
      case FLOAT32 -> Float.toString(t.floatData()[i]);
      case FLOAT64 -> Double.toString(t.doubleData()[i]);
      case FLOAT16 -> Float.toString(Half.toFloat(t.halfData()[i]));
    };
  }
}
