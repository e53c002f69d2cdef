package org.optikern.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.optikern.model.HyperparameterModel;
import org.optikern.model.KernelPlan;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.SwitchSet;
import org.optikern.optim.OptimizerFactory;

/**
 * What one registered optimizer's update must move through memory, read off its kernel plan
 * ({@link KernelPlan}, the one plan the generated kernels are written from), so that its
 * same-traffic loop follows the spec and not a table kept by hand: per pass, the arrays read
 * (loaded before the pass assigns them) and the arrays written. The variant is the one its
 * parameters select: the defaults, or, when another unclipped variant moves more arrays, the
 * defaults with {@link #MORE_ARRAYS} (momentum 0.9, centered 1, ...), which turn on the states and
 * passes the defaults leave off.
 *
 * @param name the optimizer's registry name
 * @param params what {@code Optimizer.create} gets: empty for the defaults
 * @param switches the variant those parameters select (unclipped: {@code clip_gradient} stays unset)
 * @param states the variant's state arrays, in the kernel's order
 * @param passes the plan's passes, in order
 * @param note empty, or why the variant is not the one that moves the most arrays
 */
record OptimizerTraffic(String name, Map<String, Object> params, SwitchSet switches, List<String> states,
    List<Pass> passes, String note) {

  /**
   * Hyperparameter values that turn on the states and passes the defaults leave off: SGD, NAG,
   * DCASGD, LARS and LBSGD keep a momentum only when it is not 0, RMSProp keeps its two extra
   * moments only centered, LBSGD accumulates gradients ({@code cum_grad}) only when
   * {@code batch_scale} is not 1 and takes the norms of the 'lars' strategy only with
   * {@code warmup_strategy} 0.
   */
  static final Map<String, Double> MORE_ARRAYS = Map.of("momentum", 0.9, "centered", 1.0, "batch_scale", 2.0,
      "warmup_strategy", 0.0, "beta1", 0.9);

  OptimizerTraffic {
    params = Map.copyOf(params);
    states = List.copyOf(states);
    passes = List.copyOf(passes);
  }

  /**
   * One pass over the tensor: a loop, with the reductions it computes on the way
   * ({@code loop with sumsq(weight)}); {@code read} the arrays it loads, {@code written} the arrays
   * it stores, each in declaration order and once.
   */
  record Pass(String kind, List<String> read, List<String> written) {
    Pass {
      read = List.copyOf(read);
      written = List.copyOf(written);
    }

    List<String> readOnly() {
      return read.stream().filter(a -> !written.contains(a)).toList();
    }

    List<String> readWritten() {
      return read.stream().filter(written::contains).toList();
    }

    List<String> writeOnly() {
      return written.stream().filter(a -> !read.contains(a)).toList();
    }

    /** Arrays streamed: each read and each write counts once. */
    int arrays() {
      return read.size() + written.size();
    }

    /** {@code 4r/3w}. */
    String counts() {
      return read.size() + "r/" + written.size() + "w";
    }
  }

  /**
   * The plan's passes and states for {@code name} in the variant described above; empty when no
   * optimizer has the name.
   *
   * @throws IllegalArgumentException when the optimizer has no same-traffic loop ({@link Lookup#problem()})
   */
  static Optional<OptimizerTraffic> of(String name) {
    return lookup(name).map(l -> l.traffic().orElseThrow(() -> new IllegalArgumentException(name + ": " + l.problem())));
  }

  /**
   * What the benchmark needs of one registered optimizer: its own name, the parameters of the
   * measured update, and its traffic, or, when its plan cannot be mapped to same-traffic loops
   * (a hand-written optimizer, a plan this class cannot read, a pass of a shape {@link
   * SameTrafficLoops} has no loop for), why not: then the update is still measured, on its own,
   * with its defaults, and the report says why its row has no ratio.
   *
   * @param problem empty when {@code traffic} is present
   */
  record Lookup(String name, Map<String, Object> params, Optional<OptimizerTraffic> traffic, String problem) {}

  /** The lookup for a name or alias; empty when no optimizer has it. */
  static Optional<Lookup> lookup(String name) {
    Optional<OptimizerFactory> factory = factory(name);
    if (factory.isEmpty()) {
      return Optional.empty();
    }
    String own = factory.get().name().toLowerCase(Locale.ROOT);
    if (factory.get().spec().isEmpty()) {
      return Optional.of(unmapped(own, "hand-written (no spec): no kernel plan to read its traffic off"));
    }
    OptimizerTraffic traffic;
    try {
      traffic = of(own, SpecReader.model(factory.get().spec().get()));
    } catch (RuntimeException e) {
      return Optional.of(unmapped(own, "its kernel plan could not be read for a same-traffic loop (" + e + ")"));
    }
    Map<String, float[]> empty = new LinkedHashMap<>();
    empty.put("weight", new float[0]);
    empty.put("grad", new float[0]);
    traffic.states().forEach(s -> empty.put(s, new float[0]));
    try {
      traffic.loops(empty);
    } catch (RuntimeException e) {
      return Optional.of(new Lookup(own, traffic.params(), Optional.empty(), "passes " + traffic.passText() + ": "
          + e.getMessage()));
    }
    return Optional.of(new Lookup(own, traffic.params(), Optional.of(traffic), ""));
  }

  private static Lookup unmapped(String name, String problem) {
    return new Lookup(name, Map.of(), Optional.empty(), problem);
  }

  static OptimizerTraffic of(String name, OptimizerModel model) {
    SwitchSet most = model.allSwitchSets().stream()
        .filter(s -> !s.isOn(OptimizerModel.CLIPPED) && (!model.factored() || s.isOn(OptimizerModel.FACTORED)))
        .max(Comparator.comparingInt(s -> arrays(passes(model, s))))
        .orElseThrow();
    int mostArrays = arrays(passes(model, most));
    Map<String, Object> params = new LinkedHashMap<>();
    SwitchSet switches = factoredIfAny(model, model.switchesFor(scalars(model, params)));
    if (arrays(passes(model, switches)) < mostArrays) {
      for (HyperparameterModel h : model.hyperparameters()) {
        Double value = MORE_ARRAYS.get(h.name());
        if (value != null && value != h.defaultValue()) {
          params.put(h.name(), value);
        }
      }
      switches = factoredIfAny(model, model.switchesFor(scalars(model, params)));
    }
    List<Pass> passes = passes(model, switches);
    String note = arrays(passes) < mostArrays ? "variant " + most + " moves " + mostArrays + " arrays, this one "
        + arrays(passes) + ": add its hyperparameters to OptimizerTraffic.MORE_ARRAYS" : "";
    KernelPlan plan = KernelPlan.of(model, switches);
    List<String> states = plan.arrays().subList(2, plan.arrays().size());
    return new OptimizerTraffic(name, params, switches, states, passes, note);
  }

  /**
   * The registered factory for a name or alias, found as the registry finds it (ServiceLoader);
   * of two under one name, the one that {@link OptimizerFactory#replaces() replaces} the other.
   */
  static Optional<OptimizerFactory> factory(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    OptimizerFactory found = null;
    for (OptimizerFactory f : ServiceLoader.load(OptimizerFactory.class, OptimizerTraffic.class.getClassLoader())) {
      if ((f.name().toLowerCase(Locale.ROOT).equals(key)
          || f.aliases().stream().anyMatch(alias -> alias.toLowerCase(Locale.ROOT).equals(key)))
          && (found == null || f.replaces())) {
        found = f;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The registered optimizers' own names (no aliases), lower-cased, sorted: every built-in, and any
   * other optimizer on the class path, found as the registry finds them. The benchmark runs these.
   */
  static Set<String> registeredOptimizers() {
    Set<String> names = new java.util.TreeSet<>();
    for (OptimizerFactory f : ServiceLoader.load(OptimizerFactory.class, OptimizerTraffic.class.getClassLoader())) {
      names.add(f.name().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  /** A scalar vector with the hyperparameters set, enough to evaluate switches (which read hyperparameters only). */
  private static double[] scalars(OptimizerModel model, Map<String, Object> params) {
    double[] scalars = new double[model.scalarNames().size()];
    scalars[model.scalarIndex(OptimizerModel.LR)] = model.learningRate();
    scalars[model.scalarIndex(OptimizerModel.RESCALE_GRAD)] = 1;
    scalars[model.scalarIndex(OptimizerModel.CLIP_GRADIENT)] = -1; // unset: unclipped
    scalars[model.scalarIndex(OptimizerModel.T)] = 1;
    for (HyperparameterModel h : model.hyperparameters()) {
      Object value = params.get(h.name());
      scalars[model.scalarIndex(h.name())] = value == null ? h.defaultValue() : ((Number) value).doubleValue();
    }
    return scalars;
  }

  /**
   * The benchmark's weights are 4096 x 4096 matrices: a spec with a {@code factored} variant
   * (Adafactor) runs that one.
   */
  private static SwitchSet factoredIfAny(OptimizerModel model, SwitchSet switches) {
    return model.factored() ? switches.with(OptimizerModel.FACTORED, true) : switches;
  }

  /**
   * The passes over the elements; a pass of the factored variant that only runs over rows and
   * columns (Adafactor's new statistics, 4096 + 4096 values) moves no array of the weight's size
   * and is left out, as are the states per row and column in the passes that read them.
   */
  private static List<Pass> passes(OptimizerModel model, SwitchSet switches) {
    List<Pass> passes = new ArrayList<>();
    for (KernelPlan.Loop loop : KernelPlan.of(model, switches).passes()) {
      if (loop.steps().isEmpty()) {
        continue;
      }
      Set<String> written = new LinkedHashSet<>();
      loop.steps().stream().filter(KernelPlan.Step::stores).forEach(step -> written.add(step.statement().target()));
      String reductions = loop.reductions().stream().map(OptimizerTraffic::reducedValue)
          .collect(Collectors.joining(", "));
      passes.add(new Pass(reductions.isEmpty() ? "loop" : "loop with " + reductions, loop.loadedFirst(),
          List.copyOf(written)));
    }
    return passes;
  }

  /** {@code sumsq(weight)} of {@code let w_sq = sumsq(weight)}. */
  private static String reducedValue(org.optikern.lang.Statement reduction) {
    String source = reduction.source();
    return source.substring(source.indexOf('=') + 1).trim();
  }

  private static int arrays(List<Pass> passes) {
    return passes.stream().mapToInt(Pass::arrays).sum();
  }

  /** Arrays streamed over all passes. */
  int arrays() {
    return arrays(passes);
  }

  /** Whether a pass reduces ({@code sumsq}, {@code sum}, ...): then the update is never cut into chunks. */
  boolean reduces() {
    return passes.stream().anyMatch(p -> !p.kind().equals("loop"));
  }

  /** {@code momentum 0.9: momentum, unclipped}; {@code defaults: unclipped}. */
  String variant() {
    String set = params.isEmpty() ? "defaults"
        : new java.util.TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + " " + number(e.getValue())).collect(Collectors.joining(", "));
    String on = switches.values().entrySet().stream()
        .map(e -> e.getKey().equals(OptimizerModel.CLIPPED) ? (e.getValue() ? "clipped" : "unclipped")
            : (e.getValue() ? "" : "no ") + e.getKey())
        .collect(Collectors.joining(", "));
    return set + ": " + on;
  }

  private static String number(Object value) {
    double v = ((Number) value).doubleValue();
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** {@code loop with sumsq(weight), sumsq(direction) 4r/3w, loop 2r/1w}. */
  String passText() {
    return passes.stream().map(p -> p.kind() + " " + p.counts()).collect(Collectors.joining(", "));
  }

  /**
   * The same-traffic loops of the passes, in order, over {@code arrays} by name (the weight, the
   * gradient and each state).
   */
  List<SameTrafficLoops.Loop> loops(Map<String, float[]> arrays) {
    List<SameTrafficLoops.Loop> loops = new ArrayList<>();
    for (Pass pass : passes) {
      loops.add(SameTrafficLoops.of(pick(arrays, pass.readOnly()), pick(arrays, pass.readWritten()),
          pick(arrays, pass.writeOnly())));
    }
    return loops;
  }

  private static List<float[]> pick(Map<String, float[]> arrays, List<String> names) {
    return names.stream().map(n -> {
      float[] a = arrays.get(n);
      if (a == null) {
        throw new IllegalArgumentException("no array named " + n + " among " + arrays.keySet());
      }
      return a;
    }).toList();
  }
}
