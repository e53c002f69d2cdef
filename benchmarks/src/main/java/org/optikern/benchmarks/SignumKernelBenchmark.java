package org.optikern.benchmarks;

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
import org.optikern.tensor.DType;

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
  /** {@code scalar}: the generated scalar kernel; {@code simd}: its jdk.incubator.vector twin. */
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

  private KernelFixture fixture;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = KernelFixture.of(backend, dtype, momentum, clipped, size);
  }

  @Benchmark
  public Object kernel() {
    fixture.update(size);
    return fixture.weight;
  }
}
