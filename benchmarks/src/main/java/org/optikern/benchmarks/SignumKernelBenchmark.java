package org.optikern.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import java.util.List;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.optimizers.SignumKernels;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * Every generated Signum kernel (dtype x momentum x clipping) at three sizes: cache-resident (4K,
 * 256K) and memory-bound (16M elements). Time per call; {@link RatioReport} turns it into ns per
 * element and ratios against the baselines measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class SignumKernelBenchmark {
  /** {@code scalar}: the generated scalar kernel; {@code simd}: its jdk.incubator.vector twin (float32/float64). */
  @Param({"scalar", "simd"})
  public String backend;

  @Param({"4096", "262144", "16777216"})
  public int size;

  @Param({"FLOAT32", "FLOAT64", "FLOAT16"})
  public DType dtype;

  @Param({"true", "false"})
  public boolean momentum;

  @Param({"true", "false"})
  public boolean clipped;

  private UpdateKernel kernel;
  private Object weight;
  private Object grad;
  private Object[] states;
  private final double[] scalars = {0.01, 1e-4, 1.0, 1.0, 0.9, 1e-5};

  @Setup(Level.Trial)
  public void setUp() {
    List<UpdateKernel> candidates = backend.equals("simd") ? SignumKernels.vector() : SignumKernels.SCALAR;
    SwitchSet switches = SwitchSet.of(List.of("momentum", OptimizerModel.CLIPPED), momentum, clipped);
    kernel = candidates.stream().filter(k -> k.dtype() == dtype && k.switches().equals(switches)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + backend + " kernel for " + dtype + " " + switches
            + (backend.equals("simd") ? " (SIMD kernels exist for float32 and float64, with the vector module)" : "")));
    Random random = new Random(42);
    weight = Arrays.random(dtype, size, random);
    grad = Arrays.random(dtype, size, random);
    states = momentum ? new Object[] {Arrays.random(dtype, size, random)} : new Object[0];
  }

  @Benchmark
  public Object kernel() {
    kernel.update(weight, grad, states, 0, size, scalars);
    return weight;
  }

  /** Random arrays of a dtype: normal weights and gradients. */
  static final class Arrays {
    private Arrays() {}

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
}
