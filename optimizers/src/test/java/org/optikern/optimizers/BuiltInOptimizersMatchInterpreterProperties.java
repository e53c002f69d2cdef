package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerDescriptor;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/**
 * Every built-in optimizer, generated and interpreted, driven call for call through the Optimizer
 * API: random hyperparameters (every switch on and off), weight decay, rescaling, clipping,
 * {@code begin_num_update}, dtype and multi-precision, and updates of interleaved indices, so each
 * index has its own update count {@code t} for the per-update scalars. Weights, states, master
 * copies and counts must be identical after every call.
 */
class BuiltInOptimizersMatchInterpreterProperties {
  private static final double[] HYPERPARAMETER_FACTORS = {1, 1, 0, 0.5, 2, -1};

  @Provide
  Arbitrary<String> builtInNames() {
    List<String> names = Optimizer.registeredNames().stream()
        .filter(name -> Optimizer.create(name).getClass().getPackageName().equals(getClass().getPackageName()))
        .toList();
    assertFalse(names.isEmpty(), "no built-in optimizer is registered");
    return Arbitraries.of(names);
  }

  @Property(tries = 400)
  void generatedAndInterpretedAgreeAfterEveryCall(@ForAll("builtInNames") String name, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Object> params = randomParams(name, random);
    Optimizer generated = Optimizer.create(name, params);
    Optimizer interpreted = InterpretedOptimizer.create(name, params);
    DType dtype = DType.values()[random.nextInt(DType.values().length)];
    int[] sizes = {5, 1, 8};
    List<Tensor> weightsG = new ArrayList<>();
    List<Tensor> weightsI = new ArrayList<>();
    List<OptimizerState> statesG = new ArrayList<>();
    List<OptimizerState> statesI = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      Tensor w = randomTensor(dtype, sizes[p], random);
      weightsG.add(w);
      weightsI.add(w.copy());
      statesG.add(generated.createStateMultiPrecision(p, weightsG.get(p)));
      statesI.add(interpreted.createStateMultiPrecision(p, weightsI.get(p)));
    }
    String context = name + " " + params + " " + dtype.mxnetName();
    for (int call = 1; call <= 8; call++) {
      int index = random.nextInt(sizes.length);
      Tensor grad = randomTensor(dtype, sizes[index], random);
      generated.updateMultiPrecision(index, weightsG.get(index), grad, statesG.get(index));
      interpreted.updateMultiPrecision(index, weightsI.get(index), grad.copy(), statesI.get(index));
      String at = context + ", call " + call + ", index " + index;
      assertSameBits(at + ": weight", weightsI.get(index), weightsG.get(index));
      for (int s = 0; s < statesG.get(index).arrays().size(); s++) {
        assertSameBits(at + ": state " + statesG.get(index).names().get(s), statesI.get(index).arrays().get(s),
            statesG.get(index).arrays().get(s));
      }
      if (statesG.get(index).master().isPresent()) {
        assertSameBits(at + ": master", statesI.get(index).master().orElseThrow(),
            statesG.get(index).master().orElseThrow());
      }
      assertEquals(interpreted.updateCount(index), generated.updateCount(index), at);
    }
  }

  /**
   * Each hyperparameter at its default or a multiple of it (0 and 1 too, so that every switch is
   * tried both ways), kept only if the spec's validity condition accepts it.
   */
  private static Map<String, Object> randomParams(String name, Random random) {
    OptimizerDescriptor descriptor = Optimizer.create(name).descriptor();
    Map<String, Object> params = new HashMap<>();
    params.put("learning_rate", new double[] {0.001, 0.01, 0.1}[random.nextInt(3)]);
    params.put("wd", new double[] {0, 1e-4, 0.01}[random.nextInt(3)]);
    params.put("rescale_grad", new double[] {1, 0.5, 1.0 / 32}[random.nextInt(3)]);
    params.put("clip_gradient", random.nextBoolean() ? null : new double[] {0.1, 1, 0, -1}[random.nextInt(4)]);
    params.put("begin_num_update", random.nextInt(4));
    params.put("multi_precision", random.nextBoolean());
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

  private static Tensor randomTensor(DType dtype, int n, Random random) {
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

  private static void assertSameBits(String what, Tensor expected, Tensor actual) {
    for (int i = 0; i < expected.size(); i++) {
      long e = bits(expected, i);
      long a = bits(actual, i);
      if (e != a) {
        fail(what + "[" + i + "]: generated " + value(actual, i) + ", interpreted " + value(expected, i));
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
