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
import org.optikern.kernel.ParallelUpdate;
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

  private KernelFixture fixture;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = KernelFixture.of(backend, DType.FLOAT32, true, false, size);
  }

  @Benchmark
  public Object oneCall() {
    fixture.update(size);
    return fixture.weight;
  }

  @Benchmark
  public Object chunksOnAllCores() {
    ParallelUpdate.update(fixture.kernel, fixture.weight, fixture.grad, fixture.states, 0, size, KernelFixture.SCALARS,
        1);
    return fixture.weight;
  }
}
