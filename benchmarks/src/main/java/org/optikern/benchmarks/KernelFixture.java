package org.optikern.benchmarks;

import java.util.List;
import java.util.Random;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.optimizers.SignumKernels;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/** One Signum kernel with its arrays and scalars, as every benchmark sets it up. */
final class KernelFixture {
  /** lr, wd, rescale_grad, clip_gradient, momentum, wd_lh. */
  static final double[] SCALARS = {0.01, 1e-4, 1.0, 1.0, 0.9, 1e-5};

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

  /** {@code backend}: {@code scalar}, or {@code simd} for the jdk.incubator.vector twin. */
  static KernelFixture of(String backend, DType dtype, boolean momentum, boolean clipped, int size) {
    List<UpdateKernel> candidates = backend.equals("simd") ? SignumKernels.vector() : SignumKernels.SCALAR;
    SwitchSet switches = SwitchSet.of(List.of("momentum", OptimizerModel.CLIPPED), momentum, clipped);
    UpdateKernel kernel = candidates.stream().filter(k -> k.dtype() == dtype && k.switches().equals(switches))
        .findFirst().orElseThrow(() -> new IllegalStateException("no " + backend + " kernel for " + dtype + " "
            + switches + (backend.equals("simd") ? " (SIMD kernels: float32 and float64, with the vector module)" : "")));
    Random random = new Random(42);
    Object[] states = momentum ? new Object[] {random(dtype, size, random)} : new Object[0];
    return new KernelFixture(kernel, random(dtype, size, random), random(dtype, size, random), states);
  }

  void update(int size) {
    kernel.update(weight, grad, states, 0, size, SCALARS);
  }

  /** Normal random values of a dtype. */
  static Object random(DType dtype, int n, Random random) {
    switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = (float) random.nextGaussian();
        }
        return a;
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
          a[i] = random.nextGaussian();
        }
        return a;
      }
      default -> {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
          a[i] = Half.fromFloat((float) random.nextGaussian());
        }
        return a;
      }
    }
  }
}
