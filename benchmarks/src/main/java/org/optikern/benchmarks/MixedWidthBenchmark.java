package org.optikern.benchmarks;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.optikern.optim.Optimizer;
import org.optikern.tensor.Tensor;

/**
 * Does a process that also updates float16 tensors slow its float32 updates? The float16 SIMD twins
 * use the widest vectors (they are bound by arithmetic), the float32 twins at most 256 bits on JDK
 * 17; a 512-bit SGLD twin next to 256-bit twins once slowed Adam's float32 update 4.5 times
 * (BENCHMARKS.md). Each step updates a 16M-element float32 tensor with Adam through {@link
 * Optimizer#update}; with {@code mix=float16-too} the same step first updates a 1M-element float16
 * tensor, also with Adam, so both twins stay hot in one process. The float32 update's time is counted
 * on its own ({@code float32Nanos}, per call), so the two forks compare like with like.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class MixedWidthBenchmark {
  static final String FLOAT32_ONLY = "float32-only";
  static final String FLOAT16_TOO = "float16-too";

  @Param({FLOAT32_ONLY, FLOAT16_TOO})
  public String mix;

  @Param("16777216")
  public int size;

  @Param("1048576")
  public int halfSize;

  private Runnable float32Update;
  private Runnable float16Update;

  /** Nanoseconds of the float32 updates during one iteration, and how many there were. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long float32Nanos;
    public long float32Calls;

    @Setup(Level.Iteration)
    public void reset() {
      float32Nanos = 0;
      float32Calls = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    float32Update = adam(Tensor.of(KernelFixture.normalFloats(size, random, 1f)),
        Tensor.of(KernelFixture.normalFloats(size, random, KernelFixture.GRADIENT_SCALE)));
    if (mix.equals(FLOAT16_TOO)) {
      float16Update = adam(Tensor.ofHalf(KernelFixture.normalHalfs(halfSize, random, 1f)),
          Tensor.ofHalf(KernelFixture.normalHalfs(halfSize, random, KernelFixture.GRADIENT_SCALE)));
    } else if (!mix.equals(FLOAT32_ONLY)) {
      throw new IllegalArgumentException("mix must be " + FLOAT32_ONLY + " or " + FLOAT16_TOO + ", not " + mix);
    }
  }

  private static Runnable adam(Tensor weight, Tensor grad) {
    // a tiny learning rate keeps the weights in range over thousands of updates
    return KernelFixture.apiUpdate("adam", Map.of("learning_rate", 1e-9), 1, weight, grad);
  }

  @Benchmark
  public void step(Times times) {
    if (float16Update != null) {
      float16Update.run();
    }
    times.float32Nanos += PairedBenchmark.timed(float32Update);
    times.float32Calls++;
  }
}
