package org.optikern.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;

/**
 * A validated spec: the single model that both back ends (interpreter and processor) consume.
 * Built only by {@link SpecResolver}, which guarantees that every variant has exactly one update
 * and that every name resolves.
 */
public final class OptimizerModel {
  /** The built-in switch: on when {@code clip_gradient} is set and positive. */
  public static final String CLIPPED = "clipped";

  public static final String WEIGHT = "weight";
  public static final String GRAD = "grad";
  public static final String LR = "lr";
  public static final String WD = "wd";
  public static final String RESCALE_GRAD = "rescale_grad";
  public static final String CLIP_GRADIENT = "clip_gradient";
  /** The parameter's update count, this update included: MXNet's {@code _index_update_count[index]}. */
  public static final String T = "t";
  /**
   * The number of elements of the parameter being updated (the whole tensor's, also when a kernel
   * runs on a chunk of it): a scalar slot that exists only in specs that read it.
   */
  public static final String SIZE = "size";
  /**
   * The rows and columns of the parameter's 2-D view: {@code cols} its last dimension (its size for
   * a vector, 1 for a scalar), {@code rows} the product of the others ({@code size / cols}). Scalar
   * slots that exist in specs that read them or have a {@link #FACTORED} variant.
   */
  public static final String ROWS = "rows";
  public static final String COLS = "cols";
  /**
   * The built-in switch of a spec with a {@code @State(shape = "rows")} or {@code "columns"}: on for
   * a weight of two or more dimensions. Unlike the other switches it is chosen per parameter, at
   * each update, from the weight's shape.
   */
  public static final String FACTORED = "factored";

  /** The constructor parameters every optimizer takes besides its hyperparameters (MXNet's names, and seed). */
  public static final Set<String> COMMON_PARAMETERS = Set.of("learning_rate", "lr_scheduler", WD, RESCALE_GRAD,
      CLIP_GRADIENT, "param_idx2name", "begin_num_update", "multi_precision", "seed");

  /**
   * The last slot of the scalar vector of a spec that calls {@code normal()}: the key of the noise
   * of one update of one parameter, a whole number below 2^53 ({@code Noise.key}).
   */
  public static final String NOISE_KEY = "noise_key";

  /** The scalars every optimizer passes to every kernel, first, in this order ({@link ScalarLayout#COMMON}). */
  public static final List<String> COMMON_SCALARS = ScalarLayout.COMMON;

  private final String packageName;
  private final String typeName;
  private final String name;
  private final List<String> aliases;
  private final double learningRate;
  private final List<HyperparameterModel> hyperparameters;
  private final List<SwitchModel> switches;
  private final List<StateModel> states;
  private final List<ScalarStateModel> scalarStates;
  private final List<ParameterFlagModel> parameterFlags;
  private final List<String> decayedNameSuffixes;
  private final List<ScalarModel> derivedScalars;
  private final List<UpdateModel> updates;
  private final ScalarLayout scalarLayout;
  private final List<String> scalarNames;
  private final boolean usesNoise;

  OptimizerModel(String packageName, String typeName, String name, List<String> aliases, double learningRate,
      List<String> decayedNameSuffixes, List<HyperparameterModel> hyperparameters, List<SwitchModel> switches,
      List<StateModel> states, List<ScalarStateModel> scalarStates, List<ParameterFlagModel> parameterFlags,
      List<ScalarModel> derivedScalars, List<UpdateModel> updates) {
    this.packageName = packageName;
    this.typeName = typeName;
    this.name = name;
    this.aliases = List.copyOf(aliases);
    this.learningRate = learningRate;
    this.hyperparameters = List.copyOf(hyperparameters);
    this.switches = List.copyOf(switches);
    this.states = List.copyOf(states);
    this.scalarStates = List.copyOf(scalarStates);
    this.parameterFlags = List.copyOf(parameterFlags);
    this.decayedNameSuffixes = List.copyOf(decayedNameSuffixes);
    this.derivedScalars = List.copyOf(derivedScalars);
    this.updates = List.copyOf(updates);
    this.usesNoise = updates.stream().flatMap(u -> u.statements().stream())
        .anyMatch(s -> Exprs.all(s.value(), Expr.Call.class).stream().anyMatch(c -> c.function() == Function.NORMAL));
    boolean usesSize = java.util.stream.Stream.concat(updates.stream().flatMap(u -> u.statements().stream()),
            derivedScalars.stream().map(ScalarModel::statement))
        .anyMatch(s -> Exprs.all(s.value(), Expr.Name.class).stream().anyMatch(n -> n.id().equals(SIZE)));
    boolean usesMatrixShape = factored() || java.util.stream.Stream.concat(
            updates.stream().flatMap(u -> u.statements().stream()), derivedScalars.stream().map(ScalarModel::statement))
        .anyMatch(s -> Exprs.all(s.value(), Expr.Name.class).stream()
            .anyMatch(n -> n.id().equals(ROWS) || n.id().equals(COLS)));
    this.scalarLayout = new ScalarLayout(hyperparameters.stream().map(HyperparameterModel::name).toList(),
        newScalarNames(), scalarStates.stream().map(ScalarStateModel::name).toList(),
        parameterFlags.stream().map(ParameterFlagModel::name).toList(), usesSize, usesMatrixShape, usesNoise);
    this.scalarNames = scalarLayout.names();
  }

  public String packageName() {
    return packageName;
  }

  /** The simple name of the annotated spec type, e.g. {@code SignumSpec}. */
  public String typeName() {
    return typeName;
  }

  /** The registry key as declared, e.g. {@code signum}. */
  public String name() {
    return name;
  }

  public List<String> aliases() {
    return aliases;
  }

  public double learningRate() {
    return learningRate;
  }

  public List<HyperparameterModel> hyperparameters() {
    return hyperparameters;
  }

  /** Declared switches in declaration order, then {@link #CLIPPED}. */
  public List<SwitchModel> switches() {
    return switches;
  }

  public List<StateModel> states() {
    return states;
  }

  /** Whether a state has one value per row or column: then the spec has the per-parameter {@link #FACTORED} variant. */
  public boolean factored() {
    return states.stream().anyMatch(s -> s.shape() != StateShape.FULL);
  }

  /** The shape of state {@code name} relative to the weight's. */
  public StateShape stateShape(String name) {
    return states.stream().filter(s -> s.name().equals(name)).map(StateModel::shape).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no state named '" + name + "'"));
  }

  /** Whether an update calls {@code normal()}: then {@link #NOISE_KEY} ends the scalar vector. */
  public boolean usesNoise() {
    return usesNoise;
  }

  /**
   * The per-update scalars ({@code @Scalar}), in the order they are computed; a few may assign a
   * scalar state rather than name a new scalar.
   */
  public List<ScalarModel> derivedScalars() {
    return derivedScalars;
  }

  /** The names the {@code @Scalar}s add to the scalar vector (not the scalar states they assign). */
  public List<String> newScalarNames() {
    List<String> states = scalarStates.stream().map(ScalarStateModel::name).toList();
    return derivedScalars.stream().map(ScalarModel::name).filter(n -> !states.contains(n)).toList();
  }

  /** Flags from parameter names; their slots follow the scalar states. */
  public List<ParameterFlagModel> parameterFlags() {
    return parameterFlags;
  }

  /** With param_idx2name, names ending in none of these get wd_mult 0. */
  public List<String> decayedNameSuffixes() {
    return decayedNameSuffixes;
  }

  /** One double per parameter, carried across updates; their slots follow the new scalars. */
  public List<ScalarStateModel> scalarStates() {
    return scalarStates;
  }

  public List<UpdateModel> updates() {
    return updates;
  }

  /** Whether a formula reads {@link #SIZE}: then the scalar vector has a slot for it. */
  public boolean usesSize() {
    return scalarLayout.elementCount();
  }

  /** The slots of every kernel's scalar vector, by kind. */
  public ScalarLayout scalarLayout() {
    return scalarLayout;
  }

  /**
   * {@link #COMMON_SCALARS}, the hyperparameters, the per-update scalars, the scalar states, the
   * parameter flags, then {@link #NOISE_KEY} when the spec draws noise: {@link #scalarLayout()}'s names.
   */
  public List<String> scalarNames() {
    return scalarNames;
  }

  public int scalarIndex(String scalar) {
    int index = scalarNames.indexOf(scalar);
    if (index < 0) {
      throw new IllegalArgumentException("no scalar named '" + scalar + "' in " + scalarNames);
    }
    return index;
  }

  /** Every combination of switch values, the first switch varying slowest. */
  public List<SwitchSet> allSwitchSets() {
    List<SwitchSet> result = new ArrayList<>();
    int n = switches.size();
    for (int bits = 0; bits < (1 << n); bits++) {
      Map<String, Boolean> values = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        // on before off, so that the "interesting" variant comes first in listings
        values.put(switches.get(i).name(), ((bits >> (n - 1 - i)) & 1) == 0);
      }
      result.add(new SwitchSet(values));
    }
    return result;
  }

  /**
   * The switch values for a scalar vector laid out as {@link #scalarNames()}, with {@link #FACTORED}
   * off (see {@link SwitchSet#with}).
   */
  public SwitchSet switchesFor(double[] scalars) {
    ToDoubleFunction<String> lookup = s -> scalars[scalarIndex(s)];
    Map<String, Boolean> values = new LinkedHashMap<>();
    for (SwitchModel s : switches) {
      // factored is chosen per parameter, by the optimizer: off here, for the parameters of one dimension
      values.put(s.name(), !s.perParameter() && Conditions.holds(s.when(), lookup));
    }
    return new SwitchSet(values);
  }

  /** The states that exist under these switches, in declaration order. */
  public List<String> statesFor(SwitchSet switchSet) {
    List<String> result = new ArrayList<>();
    for (StateModel s : states) {
      if (Conditions.selects(s.when(), switchSet)) {
        result.add(s.name());
      }
    }
    return result;
  }

  public UpdatePlan plan(SwitchSet switchSet) {
    UpdateModel update = updates.stream()
        .filter(u -> Conditions.selects(u.when(), switchSet))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("validation let through a variant with no update: " + switchSet));
    List<Statement> statements = new ArrayList<>();
    for (ReducedStatement reduced : reduce(update, switchSet)) {
      Statement s = reduced.statement();
      // the kernels' comments show the formula with this variant's choices made
      String text = VariantReducer.reduceSource(reduced.written().source(), reduced.written().value(), switchSet);
      statements.add(new Statement(s.target(), s.targetSpan(), s.value(), text, s.temporary()));
    }
    // the scalar states this variant assigns, in declaration order: the order kernels hand them back in
    List<String> assigned = scalarStates.stream().map(ScalarStateModel::name)
        .filter(name -> statements.stream().anyMatch(s -> !s.temporary() && s.target().equals(name))).toList();
    return new UpdatePlan(switchSet, statements, statesFor(switchSet), assigned);
  }

  /** A statement as one variant runs it ({@code statement}, its spans into the formula as written) and as written. */
  record ReducedStatement(Statement statement, Statement written) {}

  /**
   * {@code update}'s statements as they run in the variant {@code switchSet}: each formula reduced
   * ({@link VariantReducer}), then without the statements that became {@code s = s} for a state
   * {@code s} (an {@code if(...)} that leaves it as it is; {@code weight = weight} stays) and the
   * {@code let}s that nothing after them reads any more.
   */
  static List<ReducedStatement> reduce(UpdateModel update, SwitchSet switchSet) {
    List<ReducedStatement> kept = new ArrayList<>();
    for (Statement s : update.statements()) {
      Expr value = VariantReducer.reduce(s.value(), switchSet);
      // only a choice drops a statement, and only a state's: the weight is always assigned, as a
      // 'weight = weight' written as such is meant (a variant that keeps the weight, a spec that only fills states)
      boolean unchanged = !s.temporary() && !s.target().equals(WEIGHT) && value instanceof Expr.Name name
          && name.id().equals(s.target()) && !VariantReducer.selectors(s.value()).isEmpty();
      if (!unchanged) {
        kept.add(new ReducedStatement(new Statement(s.target(), s.targetSpan(), value, s.source(), s.temporary()), s));
      }
    }
    // from the end: a let is kept only if a kept statement after it reads it
    Set<String> readLater = new HashSet<>();
    List<ReducedStatement> live = new ArrayList<>();
    for (int i = kept.size() - 1; i >= 0; i--) {
      Statement s = kept.get(i).statement();
      if (s.temporary() && !readLater.contains(s.target())) {
        continue;
      }
      live.add(0, kept.get(i));
      Exprs.all(s.value(), Expr.Name.class).forEach(n -> readLater.add(n.id()));
    }
    return live;
  }

  public boolean isState(String id) {
    return states.stream().anyMatch(s -> s.name().equals(id));
  }

  public boolean isScalar(String id) {
    return scalarNames.contains(id);
  }
}
