package org.optikern.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * tensor of shape 4096 x 4096 ({@code Optimizer.update}, its default hyperparameters, or the variant
 * with the most arrays: see {@link OptimizerTraffic}) against a loop with the same memory traffic over arrays of
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
 * <p>The optimizers are not listed here: {@link OptimizerBoundReport} runs every one registered in
 * the build ({@link #optimizers()}, found as the registry finds them), so that an optimizer added
 * later gets its benchmark with no change here. Run through JMH directly, {@code optimizer} must be
 * given ({@code -p optimizer=adam,lamb}; its default stands for every registered optimizer, which
 * only the report expands); a name that is not registered is
 * skipped with a message, both sides doing nothing. An optimizer whose plan cannot be mapped to
 * same-traffic loops (hand-written, a pass of a shape with no loop, states not of the weight's
 * size, such as a factored second moment's rows and columns) has its update measured on its own,
 * the reference doing nothing, and {@link #sameTrafficProblem} says why; the report puts that in
 * its row instead of a ratio.
 *
 * <p>{@code shape} is the tensors' shape: 4096 x 4096 by default, a matrix as most of a model's
 * weights are (an optimizer whose update depends on the shape, such as a factored second moment,
 * then runs its matrix variant); {@code -p shape=16777216} runs the same elements flat. Every
 * elementwise update computes the same bits for either shape ({@code OptimizerBoundBenchmarkTest}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class OptimizerBoundBenchmark {
  /** 2^24 float32 elements: 64 MB per array, far beyond the caches. */
  static final int SIZE = 16_777_216;
  /** The default {@code shape}: {@link #SIZE} elements as a matrix. */
  static final String SHAPE = "4096x4096";
  /** The default {@code optimizer}: every registered one, as {@link OptimizerBoundReport} runs them. */
  static final String EVERY = "every-registered";

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
    /**
     * An optimizer's name. The default, {@link #EVERY}, stands for every registered optimizer
     * ({@link #optimizers()}), which {@link OptimizerBoundReport} passes one by one; JMH itself
     * cannot expand it (its values are literals), so a setup with it fails with a message.
     */
    @Param({EVERY})
    public String optimizer;

    /** The tensors' shape, {@code 4096x4096} or flat {@code 16777216} (see the class's javadoc). */
    @Param({SHAPE})
    public String shape = SHAPE;

    /** {@code 1}: {@code setParallelism(1)}; {@code all}: the default, one chunk per core. */
    @Param({"1", "all"})
    public String cores;

    private Subject updated;

    @Setup(Level.Trial)
    public void setUp() {
      if (optimizer.equals(EVERY)) {
        throw new IllegalStateException("optimizer=" + EVERY + " is expanded by OptimizerBoundReport (java -cp "
            + "benchmarks.jar org.optikern.benchmarks.OptimizerBoundReport); through JMH directly, give the names: "
            + "-p optimizer=" + String.join(",", optimizers()));
      }
      var lookup = OptimizerTraffic.lookup(optimizer);
      if (lookup.isEmpty()) {
        System.out.println("SKIPPED: optimizer '" + optimizer + "' is not registered in this build (registered: "
            + Optimizer.registeredNames() + "); both sides do nothing, ignore this result");
        return;
      }
      int parallelism = parallelism(cores);
      updated = Subject.of(lookup.get().name(), lookup.get().params(), parallelism, dims(shape), new Random(42));
      subject = updated::update;
      String problem = lookup.get().traffic().isEmpty() ? lookup.get().problem()
          : sameTrafficProblem(lookup.get().traffic().get(), updated.weight, updated.state);
      if (!problem.isEmpty()) {
        System.out.println("NO SAME-TRAFFIC LOOP: " + optimizer + ": " + problem + "; its update is measured on its "
            + "own, the reference does nothing");
        return;
      }
      var traffic = lookup.get().traffic();
      Map<String, float[]> arrays = updated.copiesByName();
      List<SameTrafficLoops.Loop> loops = traffic.get().loops(arrays);
      pool = parallelism > 1 ? Executors.newFixedThreadPool(parallelism - 1, OptimizerBoundBenchmark::daemon) : null;
      int size = updated.weight.size();
      reference = () -> inShares(loops, size, parallelism, pool);
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

    @Param({SHAPE})
    public String shape = SHAPE;

    private Subject sgld;
    private Subject adam;

    @Setup(Level.Trial)
    public void setUp() {
      if (!Optimizer.registeredNames().containsAll(List.of("sgld", "adam"))) {
        System.out.println("SKIPPED: sgld or adam is not registered in this build; both sides do nothing");
        return;
      }
      sgld = Subject.of("sgld", Map.of(), parallelism(cores), dims(shape), new Random(42));
      adam = Subject.of("adam", Map.of(), parallelism(cores), dims(shape), new Random(43));
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

  /**
   * The optimizers the benchmark runs: every registered one by its own name (aliases count as their
   * optimizer), sorted, from the class path as the registry finds them: every built-in.
   */
  static List<String> optimizers() {
    return List.copyOf(OptimizerTraffic.registeredOptimizers());
  }

  /** {@code 4096x4096} as {@code {4096, 4096}}; {@code 16777216} as {@code {16777216}}. */
  static int[] dims(String shape) {
    String[] parts = shape.trim().split("\\s*[xX]\\s*");
    int[] dims = new int[parts.length];
    long size = 1;
    for (int k = 0; k < parts.length; k++) {
      dims[k] = Integer.parseInt(parts[k]);
      if (dims[k] <= 0) {
        throw new IllegalArgumentException("shape " + shape + ": every dimension must be positive");
      }
      size *= dims[k];
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + shape + " has more elements than a Java array holds");
      }
    }
    return dims;
  }

  /** Elements of a {@code shape}. */
  static int size(String shape) {
    int size = 1;
    for (int d : dims(shape)) {
      size *= d;
    }
    return size;
  }

  /**
   * Why an update over {@code weight} with {@code state} cannot be measured against the same-traffic
   * loops of {@code traffic}; empty when it can: the loops stream float32 arrays of the weight's
   * size, one per state of the kernel plan, so states of another name, dtype or size (a factored
   * second moment of one value per row and per column, say) have no loop here.
   */
  static String sameTrafficProblem(OptimizerTraffic traffic, Tensor weight, OptimizerState state) {
    if (!state.names().equals(traffic.states())) {
      return "its update keeps the states " + state.names() + " but its kernel plan, read for the same-traffic "
          + "loop, has " + traffic.states();
    }
    List<String> other = new ArrayList<>();
    if (weight.dtype() != org.optikern.tensor.DType.FLOAT32) {
      other.add("weight (" + weight.dtype() + ")");
    }
    java.util.Set<String> streamed = new java.util.HashSet<>();
    traffic.passes().forEach(p -> {
      streamed.addAll(p.read());
      streamed.addAll(p.written());
    });
    for (int k = 0; k < state.names().size(); k++) {
      Tensor t = state.arrays().get(k);
      // a state per row or column (Adafactor's) is read only outside the passes over the elements
      if (!streamed.contains(state.names().get(k))) {
        continue;
      }
      if (t.dtype() != weight.dtype() || t.size() != weight.size()) {
        other.add(state.names().get(k) + " (" + t.dtype().mxnetName() + ", shape "
            + java.util.Arrays.toString(t.shape()) + ")");
      }
    }
    if (!other.isEmpty()) {
      return "same-traffic loops stream float32 arrays of the weight's " + weight.size() + " elements (shape "
          + java.util.Arrays.toString(weight.shape()) + "), not " + String.join(", ", other);
    }
    return "";
  }

  /**
   * {@link #sameTrafficProblem} for a registered optimizer over zeros of {@code shape}, as the
   * benchmark would set it up (what the report puts in the row of an optimizer it measured without
   * a loop); a note when it is not registered or cannot even be created.
   */
  static String sameTrafficProblem(String name, String shape) {
    var lookup = OptimizerTraffic.lookup(name);
    if (lookup.isEmpty()) {
      return "not registered in this build";
    }
    if (lookup.get().traffic().isEmpty()) {
      return lookup.get().problem();
    }
    try {
      Optimizer optimizer = Optimizer.create(lookup.get().name(), lookup.get().params());
      Tensor weight = Tensor.of(new float[size(shape)], dims(shape));
      return sameTrafficProblem(lookup.get().traffic().get(), weight, optimizer.createState(0, weight));
    } catch (RuntimeException e) {
      return "its update could not be set up (" + e + ")";
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
      this.negatedGrad = Tensor.of(negatedValues, grad.shape());
      this.state = state;
    }

    /** The optimizer's update over tensors of shape {@code dims}. */
    static Subject of(String name, Map<String, Object> params, int parallelism, int[] dims, Random random) {
      Optimizer optimizer = Optimizer.create(name, params);
      optimizer.setParallelism(parallelism);
      int size = 1;
      for (int d : dims) {
        size *= d;
      }
      Tensor weight = Tensor.of(KernelFixture.normalFloats(size, random, 1f), dims);
      Tensor grad = Tensor.of(KernelFixture.normalFloats(size, random, 1f), dims);
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
        if (all.get(k).dtype() != org.optikern.tensor.DType.FLOAT32) {
          continue;
        }
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
  }
}
