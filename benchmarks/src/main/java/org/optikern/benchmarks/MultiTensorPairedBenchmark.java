package org.optikern.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.optikern.examples.ModelShapes;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.ParameterUpdate;
import org.optikern.tensor.Tensor;

/**
 * Issue 15's multi-tensor targets as paired measurements: in one fork, call after call in turn, (a)
 * one {@code updateAll} over a real model's parameter list, (b) one {@code update} of a single
 * tensor of the same total size, and (c) a loop with the same memory traffic (each array the kernel
 * reads, read; each it writes, written; no arithmetic of note) over that single tensor's arrays,
 * split into one contiguous share per core (this thread and {@code parallelism - 1} others). The aux counters sum each side's
 * time. Models: ResNet-50 v1 (161 tensors, 25.6M floats) and BERT-base (199 tensors, 110M floats,
 * many of 768).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms7g", "-Xmx7g", "--add-modules=jdk.incubator.vector"})
public class MultiTensorPairedBenchmark {
  @Param({"signum", "sgd", "adam", "adamw"})
  public String optimizer;

  @Param({"resnet50", "bert-base"})
  public String model;

  private Optimizer multi;
  private Optimizer single;
  private final List<ParameterUpdate> parameters = new ArrayList<>();
  private ParameterUpdate whole;
  private float[][] wholeStates;
  private int turn;
  /** The other cores' threads of the same-traffic loop (this thread is one of the cores). */
  private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "same-traffic");
    thread.setDaemon(true);
    return thread;
  });

  /** Milliseconds' worth of nanoseconds spent in each side during one iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long multiNanos;
    public long singleNanos;
    public long boundNanos;

    @Setup(Level.Iteration)
    public void reset() {
      multiNanos = 0;
      singleNanos = 0;
      boundNanos = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Map<String, Object> params = optimizer.equals("sgd") ? Map.of("momentum", 0.9) : Map.of("learning_rate", 1e-9);
    multi = Optimizer.create(optimizer, params);
    single = Optimizer.create(optimizer, params);
    List<Integer> sizes = model.equals("bert-base") ? ModelShapes.bertBase() : ModelShapes.resnet50();
    int total = 0;
    for (int p = 0; p < sizes.size(); p++) {
      parameters.add(MultiTensorBenchmark.parameter(multi, p, sizes.get(p)));
      total += sizes.get(p);
    }
    whole = MultiTensorBenchmark.parameter(single, 0, total);
    wholeStates = whole.state().arrays().stream().map(Tensor::floatData).toArray(float[][]::new);
  }

  @Benchmark
  public void inTurn(Times times) {
    turn = (turn + 1) % 3;
    for (int k = 0; k < 3; k++) {
      switch ((turn + k) % 3) {
        case 0 -> times.multiNanos += PairedBenchmark.timed(() -> multi.updateAll(parameters));
        case 1 -> times.singleNanos += PairedBenchmark.timed(
            () -> single.update(0, whole.weight(), whole.grad(), whole.state()));
        default -> times.boundNanos += PairedBenchmark.timed(this::sameTraffic);
      }
    }
  }

  /** The single tensor's arrays, each read and the written ones written, in one share per core. */
  private void sameTraffic() {
    float[] weight = whole.weight().floatData();
    float[] grad = whole.grad().floatData();
    int cores = multi.parallelism();
    int n = weight.length;
    List<java.util.concurrent.Future<?>> shares = new ArrayList<>();
    for (int core = 1; core < cores; core++) {
      int from = (int) ((long) n * core / cores);
      int to = (int) ((long) n * (core + 1) / cores);
      shares.add(pool.submit(() -> Baselines.sameTraffic(weight, grad, wholeStates, from, to, 1f, 0f)));
    }
    Baselines.sameTraffic(weight, grad, wholeStates, 0, (int) ((long) n / cores), 1f, 0f); // this thread's share
    for (java.util.concurrent.Future<?> share : shares) {
      try {
        share.get();
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @org.openjdk.jmh.annotations.TearDown(Level.Trial)
  public void tearDown() {
    pool.shutdown();
  }
}
