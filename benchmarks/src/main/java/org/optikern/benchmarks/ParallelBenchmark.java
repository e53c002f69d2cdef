package org.optikern.benchmarks;

import java.util.List;
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
import org.optikern.kernel.ParallelUpdate;
import org.optikern.kernel.UpdateKernel;
import org.optikern.optimizers.SignumKernels;
import org.optikern.tensor.DType;

/**
 * The float32 Signum kernel (momentum, unclipped) at large sizes, one call versus chunks on all
 * cores ({@link ParallelUpdate}, what {@code Optimizer.update} does above its threshold).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class ParallelBenchmark {
  @Param({"1048576", "16777216"})
  public int size;

  @Param({"scalar", "simd"})
  public String backend;

  private UpdateKernel kernel;
  private Object weight;
  private Object grad;
  private Object[] states;
  private final double[] scalars = {0.01, 1e-4, 1.0, 1.0, 0.9, 1e-5};

  @Setup(Level.Trial)
  public void setUp() {
    List<UpdateKernel> candidates = backend.equals("simd") ? SignumKernels.vector() : SignumKernels.SCALAR;
    kernel = candidates.stream().filter(k -> k.dtype() == DType.FLOAT32 && k.switches().isOn("momentum")
        && !k.switches().isOn("clipped")).findFirst().orElseThrow();
    Random random = new Random(42);
    weight = SignumKernelBenchmark.Arrays.random(DType.FLOAT32, size, random);
    grad = SignumKernelBenchmark.Arrays.random(DType.FLOAT32, size, random);
    states = new Object[] {SignumKernelBenchmark.Arrays.random(DType.FLOAT32, size, random)};
  }

  @Benchmark
  public Object oneCall() {
    kernel.update(weight, grad, states, 0, size, scalars);
    return weight;
  }

  @Benchmark
  public Object chunksOnAllCores() {
    ParallelUpdate.update(kernel, weight, grad, states, 0, size, scalars, 1);
    return weight;
  }
}
