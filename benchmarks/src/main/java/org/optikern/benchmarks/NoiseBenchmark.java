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
import org.optikern.kernel.Noise;
import org.optikern.kernel.ParallelUpdate;
import org.optikern.optim.Optimizer;
import org.optikern.tensor.Tensor;

/**
 * SGLD's step against Adam's (issue 18, part 2: fast deterministic noise; the target is SGLD within
 * 2x of Adam): one float32 update of a 16M-element tensor through {@link Optimizer#update} for each
 * of Adam and SGLD, and SGLD's kernel as it was with the old noise ({@link BoxMullerSgldKernel}, run
 * in the same parallel chunks), the three sides in turn in one fork, which one goes first rotating,
 * each one's time summed on its own as in {@link PairedBenchmark}; and the two parts of SGLD's
 * kernel on their own ({@link SgldParts}: the noise it draws, and its loop over a buffer of noise
 * drawn once), to say where its time goes. {@code parallelism} 1 is the kernels alone, 2 the chunked
 * update on both cores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class NoiseBenchmark {
  @Param({"1", "2"})
  public int parallelism;

  @Param("16777216")
  public int size;

  private Runnable[] sides;
  private int first;

  /** Nanoseconds spent in each side during one iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long adamNanos;
    public long sgldNanos;
    public long boxMullerSgldNanos;
    public long noiseNanos;
    public long loopNanos;

    @Setup(Level.Iteration)
    public void reset() {
      adamNanos = 0;
      sgldNanos = 0;
      boxMullerSgldNanos = 0;
      noiseNanos = 0;
      loopNanos = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    sides = new Runnable[] {update("adam", new Random(42)), update("sgld", new Random(43)),
        boxMullerSgld(new Random(44)), inChunks(SgldParts.NOISE, new Random(45)),
        inChunks(SgldParts.LOOP, new Random(46))};
  }

  private Tensor[] weightAndGrad(Random random) {
    return new Tensor[] {Tensor.of(KernelFixture.normalFloats(size, random, 1f)),
        Tensor.of(KernelFixture.normalFloats(size, random, KernelFixture.GRADIENT_SCALE))};
  }

  private Runnable update(String optimizer, Random random) {
    Tensor[] arrays = weightAndGrad(random);
    // a tiny learning rate keeps the weights in range over thousands of updates
    return KernelFixture.apiUpdate(optimizer, Map.of("learning_rate", 1e-9), parallelism, arrays[0], arrays[1]);
  }

  private Runnable boxMullerSgld(Random random) {
    Tensor[] arrays = weightAndGrad(random);
    float[] w = arrays[0].floatData();
    float[] g = arrays[1].floatData();
    double lr = 1e-9;
    int[] t = {0};
    return () -> {
      // lr, wd, rescale_grad, clip_gradient, t, neg_half_lr, noise_std, noise_key: SGLD's scalar vector
      double[] scalars = {lr, 0, 1, -1, ++t[0], -lr / 2, Math.sqrt(lr), Noise.key(0, 0, t[0])};
      ParallelUpdate.update(BoxMullerSgldKernel.INSTANCE, w, g, new Object[0], 0, size, scalars,
          ParallelUpdate.DEFAULT_THRESHOLD, parallelism);
    };
  }

  /** One of SGLD's two parts alone ({@link SgldParts}), over the same elements in the same chunks. */
  private Runnable inChunks(SgldParts part, Random random) {
    Tensor[] arrays = weightAndGrad(random);
    float[] w = arrays[0].floatData();
    float[] g = arrays[1].floatData();
    double lr = 1e-9;
    int[] t = {0};
    return () -> {
      double[] scalars = {lr, 0, 1, -1, ++t[0], -lr / 2, Math.sqrt(lr), Noise.key(0, 0, t[0])};
      ParallelUpdate.update(part, w, g, new Object[0], 0, size, scalars, ParallelUpdate.DEFAULT_THRESHOLD,
          parallelism);
    };
  }

  @Benchmark
  public void inTurn(Times times) {
    first = (first + 1) % sides.length;
    for (int k = 0; k < sides.length; k++) {
      int side = (first + k) % sides.length;
      long nanos = PairedBenchmark.timed(sides[side]);
      switch (side) {
        case 0 -> times.adamNanos += nanos;
        case 1 -> times.sgldNanos += nanos;
        case 2 -> times.boxMullerSgldNanos += nanos;
        case 3 -> times.noiseNanos += nanos;
        default -> times.loopNanos += nanos;
      }
    }
  }
}
