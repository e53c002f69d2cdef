package org.optikern.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.SwitchSet;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optimizers.SignumKernels;
import org.optikern.optimizers.SignumSpec;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/** One Signum kernel with its arrays and scalars, as every benchmark sets it up. */
final class KernelFixture {
  /** Signum's scalar vector, filled by name, so that it follows the spec's layout. */
  static final double[] SCALARS = scalars(Map.of("lr", 0.01, "wd", 1e-4, "rescale_grad", 1.0, "clip_gradient", 1.0,
      "t", 1.0, "momentum", 0.9, "wd_lh", 1e-5));

  private static double[] scalars(Map<String, Double> byName) {
    OptimizerModel model = SpecReader.model(SignumSpec.class);
    double[] scalars = new double[model.scalarNames().size()];
    byName.forEach((name, value) -> scalars[model.scalarIndex(name)] = value);
    return scalars;
  }

  final UpdateKernel kernel;
  final Object weight;
  final Object grad;
  final Object[] states;

  private KernelFixture(UpdateKernel kernel, Object weight, Object grad, Object[] states) {
    this.kernel = kernel;
    this.weight = weight;
    this.grad = grad;
    this.states = states;
  }

  /**
   * {@code backend}: {@code scalar}, {@code simd} for the jdk.incubator.vector twin, or
   * {@code chosen} for the one {@code SignumKernels.select} picks in this JVM.
   */
  static KernelFixture of(String backend, DType dtype, boolean momentum, boolean clipped, int size) {
    SwitchSet switches = SwitchSet.of(List.of("momentum", OptimizerModel.CLIPPED), momentum, clipped);
    UpdateKernel kernel = backend.equals("chosen") ? SignumKernels.select(dtype, momentum, clipped)
        : (backend.equals("simd") ? SignumKernels.vector() : SignumKernels.SCALAR).stream()
            .filter(k -> k.dtype() == dtype && k.switches().equals(switches))
            .findFirst().orElseThrow(() -> new IllegalStateException("no " + backend + " kernel for " + dtype + " "
                + switches + (backend.equals("simd") ? " (SIMD kernels need the vector module)" : "")));
    Random random = new Random(42);
    Object[] states = momentum ? new Object[] {random(dtype, size, random)} : new Object[0];
    return new KernelFixture(kernel, random(dtype, size, random), random(dtype, size, random), states);
  }

  void update(int size) {
    kernel.update(weight, grad, states, 0, size, SCALARS);
  }

  /**
   * One tensor's update through {@code Optimizer.update} on {@code parallelism} cores, as a user
   * calls it: what the benchmarks that time the API run. Give a tiny learning rate in {@code params}
   * to keep the weights in range over thousands of updates.
   */
  static Runnable apiUpdate(String optimizer, Map<String, ?> params, int parallelism, Tensor weight, Tensor grad) {
    Optimizer updater = Optimizer.create(optimizer, params);
    updater.setParallelism(parallelism);
    OptimizerState state = updater.createState(0, weight);
    return () -> updater.update(0, weight, grad, state);
  }

  /** How much smaller than the weights the benchmarks' gradients are, as in training. */
  static final float GRADIENT_SCALE = 1e-3f;

  /** Normal random floats times {@code scale}. */
  static float[] normalFloats(int n, Random random, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian() * scale;
    }
    return a;
  }

  /** Normal random float16 values times {@code scale}, as bits. */
  static short[] normalHalfs(int n, Random random, float scale) {
    short[] a = new short[n];
    for (int i = 0; i < n; i++) {
      a[i] = Half.fromFloat((float) random.nextGaussian() * scale);
    }
    return a;
  }

  /** Normal random values of a dtype. */
  static Object random(DType dtype, int n, Random random) {
    switch (dtype) {
      case FLOAT32 -> {
        return normalFloats(n, random, 1f);
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = random.nextGaussian();
        }
        return a;
      }
      default -> {
        return normalHalfs(n, random, 1f);
      }
    }
  }

}
