package org.optikern.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.Noise;
import org.optikern.model.Conditions;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ParameterFlagModel;
import org.optikern.model.ScalarStateModel;
import org.optikern.model.SpecReader;
import org.optikern.model.StateModel;
import org.optikern.model.SwitchModel;
import org.optikern.model.SwitchSet;
import org.optikern.optim.LrScheduler;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/**
 * The oracle of the API-level properties: what MXNet's {@code Updater} and {@code Optimizer} do
 * for a spec, written again from MXNet's Python (update counts from {@code begin_num_update},
 * the learning rate from the scheduler or {@code learning_rate} times its multiplier, weight
 * decay times its multiplier with MXNet's defaults by name, multi-precision master copies), with
 * each update run by the spec's {@link Interpreter} over the <em>whole</em> tensor in one call.
 *
 * <p>It shares no code with {@code Optimizer}, {@code Updater}, {@code ParallelUpdate} or the
 * generated kernels: no chunking, no scalar-vector layout code (the vector is filled by name from
 * the model's {@code scalarNames()}), its own switch selection from the spec's conditions, its own
 * states. What it shares is the spec's model and interpreter (the definition being checked
 * against), {@code Conditions} (which evaluates the spec's switch conditions), the
 * {@link LrScheduler} classes (a scheduler bug would show on both sides: {@code SchedulerTest}
 * checks them against values worked out by hand), {@link Noise#key} (a pure function of seed,
 * index and count that defines the noise), and {@link Half}'s conversions. Pass it its own scheduler instance: schedulers are stateful.
 * It does not validate parameters: use it with parameters the optimizer under test accepted.
 */
public final class SingleCallReference {
  private final OptimizerModel model;
  private final Interpreter interpreter;
  private final Map<String, Double> hyperparameters = new HashMap<>();
  private final SwitchSet switches;
  private double learningRate;
  private final LrScheduler scheduler;
  private final double wd;
  private double rescaleGrad;
  private final double clipGradient;
  private final Map<Integer, String> idx2name;
  private final int beginNumUpdate;
  private final boolean multiPrecision;
  private final long seed;
  private final Map<Integer, Integer> counts = new HashMap<>();
  private int numUpdate;
  private Map<Object, Double> lrMult = Map.of();
  private final Map<Object, Double> wdMult = new HashMap<>();
  private final Map<Integer, ReferenceState> states = new HashMap<>();

  /** One parameter's state: the arrays by name, the float32 master copy (or null), the scalar states. */
  public record ReferenceState(Map<String, Tensor> arrays, Tensor master, double[] scalarValues) {}

  public SingleCallReference(Class<?> specType, Map<String, ?> params) {
    this(SpecReader.model(specType), params);
  }

  @SuppressWarnings("unchecked")
  public SingleCallReference(OptimizerModel model, Map<String, ?> params) {
    this.model = Objects.requireNonNull(model, "model");
    this.interpreter = new Interpreter(model);
    Map<String, ?> p = params == null ? Map.of() : params;
    model.hyperparameters().forEach(h -> hyperparameters.put(h.name(), number(p, h.name(), h.defaultValue())));
    this.learningRate = number(p, "learning_rate", model.learningRate());
    this.scheduler = (LrScheduler) p.get("lr_scheduler");
    this.wd = number(p, "wd", 0);
    this.rescaleGrad = number(p, "rescale_grad", 1);
    Object clip = p.get("clip_gradient");
    this.clipGradient = clip == null ? -1 : ((Number) clip).doubleValue();
    this.idx2name = p.get("param_idx2name") == null ? Map.of() : Map.copyOf((Map<Integer, String>) p.get("param_idx2name"));
    this.beginNumUpdate = (int) number(p, "begin_num_update", 0);
    this.numUpdate = beginNumUpdate;
    this.multiPrecision = Boolean.TRUE.equals(p.get("multi_precision"));
    this.seed = p.get("seed") == null ? 0 : ((Number) p.get("seed")).longValue();
    if (scheduler != null && p.containsKey("learning_rate")) {
      throw new IllegalArgumentException("give the reference a scheduler whose base_lr is the learning rate, "
          + "not both: it does not reproduce the override");
    }
    setWdMult(Map.of());
    // the variant, from the spec's own conditions over the hyperparameters and clip_gradient
    Map<String, Boolean> values = new java.util.LinkedHashMap<>();
    for (SwitchModel s : model.switches()) {
      // factored is chosen per weight, at each update (variantOf)
      values.put(s.name(), !s.perParameter() && Conditions.holds(s.when(), name -> scalar(name, 0, learningRate, wd)));
    }
    this.switches = new SwitchSet(values);
  }

  private static double number(Map<String, ?> params, String key, double defaultValue) {
    Object value = params.get(key);
    if (value instanceof Boolean flag) {
      return flag ? 1 : 0;
    }
    return value == null ? defaultValue : ((Number) value).doubleValue();
  }

  /**
   * The variant this reference runs for {@code weight}: {@link #switches()}, with {@code factored} on
   * for a weight of two or more dimensions in a spec that has that variant.
   */
  public SwitchSet variantOf(Tensor weight) {
    return model.factored() && weight.shape().length >= 2 ? switches.with(OptimizerModel.FACTORED, true) : switches;
  }

  /** The variant this reference runs: chosen from the parameters alone, not from any kernel (factored off). */
  public SwitchSet switches() {
    return switches;
  }

  /** MXNet's {@code set_learning_rate}: the rate of the updates after it (without a scheduler). */
  public void setLearningRate(double learningRate) {
    this.learningRate = learningRate;
  }

  /** What trainers set before updating; the updates after it use it. */
  public void setRescaleGrad(double rescaleGrad) {
    this.rescaleGrad = rescaleGrad;
  }

  public void setLrMult(Map<?, Double> multipliers) {
    lrMult = Map.copyOf(multipliers);
  }

  /** MXNet's {@code set_wd_mult}: names not ending in a decayed suffix get 0, then the given multipliers. */
  public void setWdMult(Map<?, Double> multipliers) {
    wdMult.clear();
    for (String name : idx2name.values()) {
      if (model.decayedNameSuffixes().stream().noneMatch(name::endsWith)) {
        wdMult.put(name, 0.0);
      }
    }
    wdMult.putAll(multipliers);
  }

  public int updateCount(int index) {
    return counts.getOrDefault(index, beginNumUpdate);
  }

  public int numUpdate() {
    return numUpdate;
  }

  /** The state of {@code index}, or null before its first update. */
  public ReferenceState state(int index) {
    return states.get(index);
  }

  /** Updates {@code weight} in place, as {@code Updater.update(index, weight, grad)} does. */
  public void update(int index, Tensor weight, Tensor grad) {
    ReferenceState state = states.computeIfAbsent(index, i -> newState(weight));
    // MXNet: _update_count(index), then _get_lr(index) and _get_wd(index)
    int count = counts.getOrDefault(index, beginNumUpdate) + 1;
    counts.put(index, count);
    numUpdate = Math.max(numUpdate, count);
    double lr = (scheduler != null ? scheduler.learningRate(numUpdate) : learningRate) * multiplier(lrMult, index);
    double decay = wd * multiplier(wdMult, index);
    double[] scalars = new double[model.scalarNames().size()];
    for (int s = 0; s < scalars.length; s++) {
      scalars[s] = scalar(model.scalarNames().get(s), count, lr, decay);
    }
    List<ScalarStateModel> scalarStates = model.scalarStates();
    for (int s = 0; s < scalarStates.size(); s++) {
      scalars[model.scalarIndex(scalarStates.get(s).name())] = state.scalarValues()[s];
    }
    for (ParameterFlagModel flag : model.parameterFlags()) {
      String name = idx2name.getOrDefault(index, String.valueOf(index));
      scalars[model.scalarIndex(flag.name())] = flag.suffixes().stream().anyMatch(name::endsWith) ? 1 : 0;
    }
    if (model.usesSize()) {
      scalars[model.scalarIndex(OptimizerModel.SIZE)] = weight.size(); // the whole tensor, in one call
    }
    if (model.scalarLayout().matrixShape()) {
      int[] shape = weight.shape();
      int cols = shape.length == 0 ? 1 : shape[shape.length - 1];
      scalars[model.scalarIndex(OptimizerModel.COLS)] = cols;
      scalars[model.scalarIndex(OptimizerModel.ROWS)] = cols == 0 ? 0 : weight.size() / cols;
    }
    SwitchSet variant = variantOf(weight);
    List<String> stateNames = model.statesFor(variant);
    if (model.usesNoise()) {
      scalars[model.scalarIndex(OptimizerModel.NOISE_KEY)] = Noise.key(seed, index, count);
    }
    interpreter.deriveScalars(scalars);
    for (int s = 0; s < scalarStates.size(); s++) {
      state.scalarValues()[s] = scalars[model.scalarIndex(scalarStates.get(s).name())];
    }
    Object[] arrays = new Object[stateNames.size()];
    for (int s = 0; s < arrays.length; s++) {
      arrays[s] = state.arrays().get(stateNames.get(s)).data();
    }
    if (state.master() != null) {
      short[] halfGrad = grad.halfData();
      float[] grad32 = new float[halfGrad.length];
      for (int i = 0; i < grad32.length; i++) {
        grad32[i] = Half.toFloat(halfGrad[i]);
      }
      float[] master = state.master().floatData();
      interpreter.update(variant, master, grad32, arrays, 0, master.length, scalars);
      short[] halfWeight = weight.halfData();
      for (int i = 0; i < master.length; i++) {
        halfWeight[i] = Half.fromFloat(master[i]);
      }
    } else {
      interpreter.update(variant, weight.data(), grad.data(), arrays, 0, weight.size(), scalars);
    }
    // the scalar states the update assigned came back in the vector
    for (int s = 0; s < scalarStates.size(); s++) {
      state.scalarValues()[s] = scalars[model.scalarIndex(scalarStates.get(s).name())];
    }
  }

  /** A scalar of the kernels' vector, by name; per-update scalars, scalar states and flags are filled in later. */
  private double scalar(String name, int t, double lr, double decay) {
    return switch (name) {
      case OptimizerModel.LR -> lr;
      case OptimizerModel.WD -> decay;
      case OptimizerModel.RESCALE_GRAD -> rescaleGrad;
      case OptimizerModel.CLIP_GRADIENT -> clipGradient;
      case OptimizerModel.T -> t;
      default -> hyperparameters.getOrDefault(name, 0.0);
    };
  }

  private ReferenceState newState(Tensor weight) {
    boolean withMaster = multiPrecision && weight.dtype() == DType.FLOAT16;
    Tensor master = null;
    if (withMaster) {
      float[] copy = new float[weight.size()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = Half.toFloat(weight.halfData()[i]);
      }
      master = Tensor.of(copy, weight.shape());
    }
    Tensor like = withMaster ? master : weight;
    Map<String, Tensor> arrays = new HashMap<>();
    List<String> names = model.statesFor(variantOf(weight));
    for (StateModel s : model.states()) {
      if (names.contains(s.name())) {
        int[] shape = s.shape().of(like.shape());
        arrays.put(s.name(), s.copiesWeight() ? like.copy() : s.filledWith() != null
            ? Tensor.fullLike(Tensor.zeros(like.dtype(), shape), hyperparameters.get(s.filledWith()))
            : Tensor.zeros(like.dtype(), shape));
      }
    }
    double[] scalarValues = model.scalarStates().stream().mapToDouble(ScalarStateModel::initial).toArray();
    return new ReferenceState(arrays, master, scalarValues);
  }

  private double multiplier(Map<Object, Double> multipliers, int index) {
    if (multipliers.containsKey(index)) {
      return multipliers.get(index);
    }
    String name = idx2name.get(index);
    return name == null ? 1.0 : multipliers.getOrDefault(name, 1.0);
  }
}
