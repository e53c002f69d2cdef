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
 * Off-heap against heap, paired as in {@link PairedBenchmark}: one float32 update of a 16M-element
 * tensor through {@link Optimizer#update}, the weight, gradient and states in direct buffers
 * (subject) or in Java arrays (reference), alternating call by call in one fork. The issue's
 * target: off-heap within 1.2x of heap for Signum and Adam, on JDK 17 and 25. {@code parallelism}
 * 1 measures the kernels alone, 2 the chunked update on both cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class OffHeapBenchmark {
  @Param({"signum", "adam"})
  public String optimizer;

  @Param({"1", "2"})
  public int parallelism;

  @Param("16777216")
  public int size;

  private Runnable offHeap;
  private Runnable onHeap;
  private boolean offHeapFirst;

  /** Nanoseconds spent in each side during one iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long offHeapNanos;
    public long onHeapNanos;

    @Setup(Level.Iteration)
    public void reset() {
      offHeapNanos = 0;
      onHeapNanos = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    onHeap = side(false, new Random(42));
    offHeap = side(true, new Random(42));
  }

  private Runnable side(boolean inBuffers, Random random) {
    float[] w = KernelFixture.normalFloats(size, random, 1f);
    float[] g = KernelFixture.normalFloats(size, random, KernelFixture.GRADIENT_SCALE);
    Tensor weight = inBuffers ? Tensor.of(w).offHeap() : Tensor.of(w);
    Tensor grad = inBuffers ? Tensor.of(g).offHeap() : Tensor.of(g);
    // a tiny learning rate keeps the weights in range over thousands of updates
    Map<String, Object> params = optimizer.equals("signum") ? Map.of("learning_rate", 1e-9, "momentum", 0.9)
        : Map.of("learning_rate", 1e-9);
    return KernelFixture.apiUpdate(optimizer, params, parallelism, weight, grad);
  }

  @Benchmark
  public void alternately(Times times) {
    offHeapFirst = !offHeapFirst;
    if (offHeapFirst) {
      times.offHeapNanos += PairedBenchmark.timed(offHeap);
      times.onHeapNanos += PairedBenchmark.timed(onHeap);
    } else {
      times.onHeapNanos += PairedBenchmark.timed(onHeap);
      times.offHeapNanos += PairedBenchmark.timed(offHeap);
    }
  }
}
