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
import org.optikern.interp.Interpreter;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.SwitchSet;
import org.optikern.optimizers.SignumSpec;

/**
 * What the float32 Signum kernel (momentum, unclipped) is measured against, in the same run:
 * the obvious hand-written loop, a loop with the same memory traffic and no sign (3 reads and 2
 * writes per element: the bandwidth bound), and the interpreter of the spec.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class BaselineBenchmark {
  @Param({"4096", "262144", "16777216"})
  public int size;

  private float[] weight;
  private float[] grad;
  private float[] mom;
  private Interpreter interpreter;
  private SwitchSet momentumUnclipped;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    weight = (float[]) KernelFixture.random(org.optikern.tensor.DType.FLOAT32, size, random);
    grad = (float[]) KernelFixture.random(org.optikern.tensor.DType.FLOAT32, size, random);
    mom = (float[]) KernelFixture.random(org.optikern.tensor.DType.FLOAT32, size, random);
    OptimizerModel model = SpecReader.model(SignumSpec.class);
    interpreter = new Interpreter(model);
    momentumUnclipped = SwitchSet.of(java.util.List.of("momentum", OptimizerModel.CLIPPED), true, false);
  }

  /** Signum as one would write it by hand, with MXNet's sign. */
  @Benchmark
  public float[] obviousScalarLoop() {
    Baselines.obvious(weight, grad, mom, size);
    return weight;
  }

  /** The same memory traffic (weight, grad, mom read; mom, weight written) with no sign: the bound. */
  @Benchmark
  public float[] sameTrafficNoSign() {
    Baselines.sameTraffic(weight, grad, mom, size);
    return weight;
  }

  @Benchmark
  public float[] interpreter() {
    interpreter.update(momentumUnclipped, weight, grad, new Object[] {mom}, 0, size, KernelFixture.SCALARS);
    return weight;
  }
}
