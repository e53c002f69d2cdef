package org.optikern.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * Issue 18's benchmark per optimizer: every built-in optimizer's float32 update of a 16M-element
 * tensor ({@code Optimizer.update}, its default hyperparameters, or the variant with the most
 * arrays: see {@link OptimizerTraffic}) against a loop with the same memory traffic over arrays of
 * its own ({@link SameTrafficLoops}: each pass of the kernel's plan, its arrays read and written,
 * no arithmetic of note), paired as in {@link PairedBenchmark}: the two alternate call by call in
 * one fork and each one's time is summed on its own, since this machine's memory bandwidth drifts
 * over minutes. {@code cores} 1 is the kernel alone ({@code setParallelism(1)}); {@code all} is the
 * default, chunks on every core for elementwise updates (an update with a reduction always runs in
 * one call), against the same-traffic loops cut into one share per core.
 *
 * <p>{@code sgldAgainstAdam} pairs SGLD's update with Adam's, the target for SGLD (its
 * noise is arithmetic no traffic loop accounts for).
 *
 * <p>The {@code optimizer} list must be literal. It names every optimizer registered in this build
 * (a setup fails when one is missing, as does {@code OptimizerBoundBenchmarkTest}), and may name
 * optimizers a build does not have (another branch's, when this list was written ahead of them): a
 * listed name that is not registered is skipped with a message, both sides doing nothing. {@link OptimizerBoundReport} runs only the registered ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class OptimizerBoundBenchmark {
  /** 2^24 float32 elements: 64 MB per array, far beyond the caches. */
  static final int SIZE = 16_777_216;

  /** Nanoseconds spent in each side during one iteration, and how many pairs ran. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    public long subjectNanos;
    public long referenceNanos;
    public long pairs;

    @Setup(Level.Iteration)
    public void reset() {
      subjectNanos = 0;
      referenceNanos = 0;
      pairs = 0;
    }
  }

  /** A subject and a reference that run alternately; which goes first alternates too. */
  public abstract static class Pair {
    Runnable subject = () -> {};
    Runnable reference = () -> {};
    private boolean subjectFirst;
    /** The other cores' threads, for a reference cut into shares. */
    ExecutorService pool;

    void runBoth(Times times) {
      subjectFirst = !subjectFirst;
      if (subjectFirst) {
        times.subjectNanos += PairedBenchmark.timed(subject);
        times.referenceNanos += PairedBenchmark.timed(reference);
      } else {
        times.referenceNanos += PairedBenchmark.timed(reference);
        times.subjectNanos += PairedBenchmark.timed(subject);
      }
      times.pairs++;
    }

    @TearDown(Level.Trial)
    public void stopPool() {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  /** One optimizer's update against its own same-traffic loops. */
  @State(Scope.Thread)
  public static class OwnBound extends Pair {
    @Param({"adabelief", "adadelta", "adagrad", "adam", "adamax", "adamw", "dcasgd", "ftml", "ftrl", "lamb", "lars",
        "lbsgd", "lion", "nadam", "nag", "novograd", "radam", "rmsprop", "sgd", "sgld", "signum", "yogi"})
    public String optimizer;

    /** {@code 1}: {@code setParallelism(1)}; {@code all}: the default, one chunk per core. */
    @Param({"1", "all"})
    public String cores;

    private Subject updated;

    @Setup(Level.Trial)
    public void setUp() {
      requireEveryRegisteredOptimizerListed();
      var traffic = OptimizerTraffic.of(optimizer);
      if (traffic.isEmpty()) {
        System.out.println("SKIPPED: optimizer '" + optimizer + "' is not registered in this build (registered: "
            + Optimizer.registeredNames() + "); both sides do nothing, ignore this result");
        return;
      }
      int parallelism = parallelism(cores);
      updated = Subject.of(traffic.get().name(), traffic.get().params(), parallelism, new Random(42));
      if (!updated.state.names().equals(traffic.get().states())) {
        throw new IllegalStateException(optimizer + "'s update keeps the states " + updated.state.names()
            + " but its kernel plan, read for the same-traffic loop, has " + traffic.get().states());
      }
      subject = updated::update;
      Map<String, float[]> arrays = updated.copiesByName();
      List<SameTrafficLoops.Loop> loops = traffic.get().loops(arrays);
      pool = parallelism > 1 ? Executors.newFixedThreadPool(parallelism - 1, OptimizerBoundBenchmark::daemon) : null;
      reference = () -> inShares(loops, SIZE, parallelism, pool);
      System.out.println(optimizer + ", " + traffic.get().variant() + "; passes " + traffic.get().passText()
          + (traffic.get().note().isEmpty() ? "" : "; " + traffic.get().note()) + "; read-only passes of the "
          + "same-traffic loops: " + (SameTrafficLoops.VECTOR_READS ? "Vector API" : "scalar"));
    }

    @TearDown(Level.Trial)
    public void checkValues() {
      if (updated != null) {
        updated.warnAboutSlowValues(optimizer);
      }
    }
  }

  /** SGLD's update against Adam's, both with their defaults. */
  @State(Scope.Thread)
  public static class SgldAgainstAdam extends Pair {
    @Param({"1", "all"})
    public String cores;

    private Subject sgld;
    private Subject adam;

    @Setup(Level.Trial)
    public void setUp() {
      if (!Optimizer.registeredNames().containsAll(List.of("sgld", "adam"))) {
        System.out.println("SKIPPED: sgld or adam is not registered in this build; both sides do nothing");
        return;
      }
      sgld = Subject.of("sgld", Map.of(), parallelism(cores), new Random(42));
      adam = Subject.of("adam", Map.of(), parallelism(cores), new Random(43));
      subject = sgld::update;
      reference = adam::update;
    }

    @TearDown(Level.Trial)
    public void checkValues() {
      if (sgld != null) {
        sgld.warnAboutSlowValues("sgld");
        adam.warnAboutSlowValues("adam");
      }
    }
  }

  @Benchmark
  public void ownBound(OwnBound pair, Times times) {
    pair.runBoth(times);
  }

  @Benchmark
  public void sgldAgainstAdam(SgldAgainstAdam pair, Times times) {
    pair.runBoth(times);
  }

  /** The listed optimizer names: the {@code @Param} of {@link OwnBound#optimizer}. */
  static List<String> listedOptimizers() {
    try {
      return List.of(OwnBound.class.getField("optimizer").getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registered optimizers (by their own names; aliases count as their optimizer) that the list lacks. */
  static Set<String> unlistedOptimizers() {
    Set<String> missing = new TreeSet<>();
    for (String name : Optimizer.registeredNames()) {
      String own = OptimizerTraffic.factory(name).map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).orElse(name);
      if (!listedOptimizers().contains(own)) {
        missing.add(own);
      }
    }
    return missing;
  }

  static void requireEveryRegisteredOptimizerListed() {
    Set<String> missing = unlistedOptimizers();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("registered optimizers missing from OptimizerBoundBenchmark.OwnBound's "
          + "@Param list: " + missing + "; add them, so that every optimizer gets its benchmark");
    }
  }

  static int parallelism(String cores) {
    return cores.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(cores);
  }

  /**
   * Every pass over {@code [0, size)}, cut into {@code shares} contiguous shares: this thread runs
   * the first, the pool's threads the others, each share's passes in order.
   */
  static void inShares(List<SameTrafficLoops.Loop> loops, int size, int shares, ExecutorService pool) {
    List<Future<?>> others = new ArrayList<>();
    for (int share = 1; share < shares; share++) {
      int from = (int) ((long) size * share / shares);
      int to = (int) ((long) size * (share + 1) / shares);
      others.add(pool.submit(() -> loops.forEach(loop -> loop.run(from, to))));
    }
    int to = (int) ((long) size / shares);
    for (SameTrafficLoops.Loop loop : loops) {
      loop.run(0, to);
    }
    for (Future<?> other : others) {
      try {
        other.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread thread = new Thread(r, "same-traffic share");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * One optimizer, a 16M-element float32 weight with normal random values, its state, and a
   * normal random gradient that changes sign every update: with one constant gradient, centered
   * RMSProp's {@code n - g*g} goes to 0 and rounds below it, and a fifth of its weights became
   * NaN within 340 updates; gradients that change keep every optimizer's values in range, as in
   * training. Each update reads one of the two gradients: the same traffic.
   */
  static final class Subject {
    final Optimizer optimizer;
    final Tensor weight;
    final Tensor grad;
    final Tensor negatedGrad;
    final OptimizerState state;
    private boolean negated;

    private Subject(Optimizer optimizer, Tensor weight, Tensor grad, OptimizerState state) {
      this.optimizer = optimizer;
      this.weight = weight;
      this.grad = grad;
      float[] negatedValues = grad.floatData().clone();
      for (int i = 0; i < negatedValues.length; i++) {
        negatedValues[i] = -negatedValues[i];
      }
      this.negatedGrad = Tensor.of(negatedValues);
      this.state = state;
    }

    static Subject of(String name, Map<String, Object> params, int parallelism, Random random) {
      Optimizer optimizer = Optimizer.create(name, params);
      optimizer.setParallelism(parallelism);
      Tensor weight = Tensor.of(normal(random));
      Tensor grad = Tensor.of(normal(random));
      return new Subject(optimizer, weight, grad, optimizer.createState(0, weight));
    }

    void update() {
      negated = !negated;
      optimizer.update(0, weight, negated ? negatedGrad : grad, state);
    }

    /** Copies of the weight, the gradient and each state, by name: the same-traffic loop's own arrays. */
    Map<String, float[]> copiesByName() {
      Map<String, float[]> arrays = new LinkedHashMap<>();
      arrays.put("weight", weight.floatData().clone());
      arrays.put("grad", grad.floatData().clone());
      for (int k = 0; k < state.names().size(); k++) {
        arrays.put(state.names().get(k), state.arrays().get(k).floatData().clone());
      }
      return arrays;
    }

    /**
     * Subnormal floats make arithmetic slow on x86 (microcode assists) and infinities or NaNs
     * would mean the run left its range: after thousands of updates at the default learning rate,
     * says so when the weight or a state holds any.
     */
    void warnAboutSlowValues(String name) {
      List<Tensor> all = new ArrayList<>(state.arrays());
      all.add(0, weight);
      for (int k = 0; k < all.size(); k++) {
        long subnormal = 0;
        long nonFinite = 0;
        for (float v : all.get(k).floatData()) {
          if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) {
            subnormal++;
          } else if (!Float.isFinite(v)) {
            nonFinite++;
          }
        }
        if (subnormal + nonFinite > 0) {
          String array = k == 0 ? "weight" : state.names().get(k - 1);
          System.out.println("WARNING: " + name + "'s " + array + " holds " + subnormal + " subnormal and " + nonFinite
              + " non-finite values after " + optimizer.updateCount(0) + " updates");
        }
      }
    }

    private static float[] normal(Random random) {
      float[] a = new float[SIZE];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
      }
      return a;
    }
  }
}
