package org.optikern.benchmarks;

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
import org.optikern.tensor.DType;

/**
 * The targets of issue 4 as paired measurements: a subject and its reference run alternately in
 * one fork, call after call (which goes first alternates too), and each one's time is summed on
 * its own (JMH aux counters {@code subjectNanos}, {@code referenceNanos}). This machine's memory
 * bandwidth drifts over minutes (the bound loop measured 0.34 to 0.77 ns per element at 16M on
 * different runs of one day), so a ratio of two benchmarks measured minutes apart moves with it;
 * a paired ratio does not.
 *
 * <p>A pair is {@code subject|reference|size}; each side is {@code bound}, {@code obvious} (see
 * {@link Baselines}) or a Signum kernel {@code DTYPE BACKEND momentum|no-momentum clipped|unclipped},
 * BACKEND being {@code scalar}, {@code simd}, or {@code chosen} (what {@code SignumKernels.select}
 * picks in this JVM, which runs with the vector module).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class PairedBenchmark {
  @Param({
    "FLOAT32 simd momentum clipped|bound|16777216",
    "FLOAT32 simd momentum unclipped|bound|16777216",
    "FLOAT32 scalar momentum clipped|bound|16777216",
    "FLOAT32 scalar momentum unclipped|bound|16777216",
    "FLOAT32 simd momentum clipped|obvious|262144",
    "FLOAT32 simd momentum unclipped|obvious|262144",
    "FLOAT16 chosen momentum clipped|FLOAT32 chosen momentum clipped|16777216",
    "FLOAT16 chosen momentum unclipped|FLOAT32 chosen momentum unclipped|16777216",
  })
  public String pair;

  private Runnable subject;
  private Runnable reference;
  private boolean subjectFirst;

  /** Nanoseconds spent in each side during one iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long subjectNanos;
    public long referenceNanos;

    @Setup(Level.Iteration)
    public void reset() {
      subjectNanos = 0;
      referenceNanos = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = pair.split("\\|");
    int size = Integer.parseInt(parts[2]);
    subject = side(parts[0], size, new Random(42));
    reference = side(parts[1], size, new Random(43));
  }

  @Benchmark
  public void alternately(Times times) {
    subjectFirst = !subjectFirst;
    if (subjectFirst) {
      times.subjectNanos += timed(subject);
      times.referenceNanos += timed(reference);
    } else {
      times.referenceNanos += timed(reference);
      times.subjectNanos += timed(subject);
    }
  }

  /** Nanoseconds {@code side} takes once: what each paired benchmark here sums per side. */
  static long timed(Runnable side) {
    long start = System.nanoTime();
    side.run();
    return System.nanoTime() - start;
  }

  private static Runnable side(String text, int size, Random random) {
    if (text.equals("bound") || text.equals("obvious")) {
      float[] weight = (float[]) KernelFixture.random(DType.FLOAT32, size, random);
      float[] grad = (float[]) KernelFixture.random(DType.FLOAT32, size, random);
      float[] mom = (float[]) KernelFixture.random(DType.FLOAT32, size, random);
      return text.equals("bound") ? () -> Baselines.sameTraffic(weight, grad, mom, size)
          : () -> Baselines.obvious(weight, grad, mom, size);
    }
    String[] words = text.split(" ");
    KernelFixture fixture = KernelFixture.of(words[1], DType.valueOf(words[0]), words[2].equals("momentum"),
        words[3].equals("clipped"), size);
    return () -> fixture.update(size);
  }
}
