package org.optikern.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.ParameterTracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.spec.OptimizerSpec;
import org.optikern.tensor.DType;

/**
 * A DJL optimizer that runs an Optikern optimizer: any registered one by name (Signum, Adam, LAMB,
 * Lion, ... with MXNet-style parameters), or the optimizer of an {@code @OptimizerSpec} class.
 *
 * <pre>{@code
 * Optimizer signum = OptikernOptimizer.builder("signum")
 *     .optParameter("momentum", 0.9)
 *     .setLearningRateTracker(Tracker.fixed(0.01f))
 *     .build();
 * TrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(signum);
 * }</pre>
 *
 * <p>DJL calls {@link #update} once per parameter (and device) from {@code Trainer.step()}; each call
 * is one Optikern update with that parameter's own state and update count, keyed by its DJL id. On
 * the PyTorch engine the weight is updated in place, through a view of its memory, and its gradient
 * is then zeroed as DJL's own PyTorch optimizers do; on MXNet the weight and gradient are copied out
 * once and the weight back once. The learning rate is Optikern's ({@code learning_rate},
 * {@code lr_scheduler}) unless a DJL tracker is set, which is then asked on every update with DJL's
 * update count, as DJL's own optimizers ask it.
 */
public final class OptikernOptimizer extends ai.djl.training.optimizer.Optimizer {
  private final Optimizer optikern;
  private final ParameterTracker learningRateTracker;
  private final ParameterIndices indices = new ParameterIndices();
  private final Map<Integer, OptimizerState> states = new ConcurrentHashMap<>();
  private final Map<String, EngineMemory> memoryByEngine = new ConcurrentHashMap<>();

  private OptikernOptimizer(Builder builder) {
    super(builder);
    Map<String, Object> params = builder.settings.mergeInto(builder.params, builder.describe());
    if (builder.learningRateTracker != null) {
      for (String driven : new String[] {"learning_rate", "lr_scheduler"}) {
        if (params.containsKey(driven)) {
          throw new IllegalArgumentException(builder.describe() + ": a DJL learning-rate tracker is set and the "
              + "Optikern parameters set " + driven + "; the learning rate comes from one of them");
        }
      }
    }
    this.optikern = builder.specType != null
        ? fromSpec(builder.specType, params)
        : Optimizer.create(builder.name, params);
    this.learningRateTracker = builder.learningRateTracker;
  }

  /** The registered optimizer generated from {@code specType}, or its interpreter if none was generated. */
  private static Optimizer fromSpec(Class<?> specType, Map<String, Object> params) {
    OptimizerSpec spec = specType.getAnnotation(OptimizerSpec.class);
    if (spec == null) {
      throw new IllegalArgumentException(specType.getName() + " is not annotated with @OptimizerSpec");
    }
    if (Optimizer.registeredNames().contains(spec.name().toLowerCase(java.util.Locale.ROOT))) {
      Optimizer registered = Optimizer.create(spec.name(), params);
      // the processor generates XxxSpec's optimizer as Xxx, next to it; another class took the name
      if (registered.getClass().getName().equals(specType.getName().replaceFirst("Spec$", ""))) {
        return registered;
      }
    }
    return InterpretedOptimizer.of(specType, params);
  }

  /** A builder for the registered optimizer {@code name} (case-insensitive, aliases too). */
  public static Builder builder(String name) {
    return new Builder(Objects.requireNonNull(name, "name"), null);
  }

  /**
   * A builder for the optimizer of {@code specType}: its generated kernels when it is registered, else
   * Optikern's interpreter of the spec (correct, but slower).
   */
  public static Builder builder(Class<?> specType) {
    return new Builder(null, Objects.requireNonNull(specType, "specType"));
  }

  /** The Optikern optimizer doing the updates: its hyperparameters, counts, scheduler. */
  public Optimizer optikernOptimizer() {
    return optikern;
  }

  /**
   * The Optikern index of a DJL parameter on a device, assigned on first use (its first update or this
   * call): what {@code optikernOptimizer().updateCount(index)} and its parameter groups take.
   */
  public int indexOf(String parameterId, ai.djl.Device device) {
    return indices.indexOf(parameterId, device);
  }

  /**
   * Updates {@code weight} from {@code grad} with the Optikern optimizer. Everything is checked first:
   * the data type (float32, float64, float16), shapes, and on PyTorch that the weight is a dense,
   * contiguous CPU tensor; a rejected update writes nothing.
   */
  @Override
  public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
    DType dtype = DTypes.of(weight.getDataType(), parameterId, optikern.name());
    EngineMemory memory = memoryByEngine.computeIfAbsent(weight.getManager().getEngine().getEngineName(),
        EngineMemory::forEngine);
    BoundParameter bound = memory.bind(parameterId, weight, grad, dtype);
    int index = indices.indexOf(parameterId, weight.getDevice());
    OptimizerState state = states.get(index);
    if (state == null) {
      state = optikern.createStateMultiPrecision(index, bound.weight());
    }
    if (learningRateTracker != null) {
      optikern.setLearningRate(learningRateTracker.getNewValue(parameterId, updateCount(parameterId)));
    }
    optikern.updateMultiPrecision(index, bound.weight(), bound.grad(), state);
    states.putIfAbsent(index, state);
    bound.afterUpdate().run();
  }

  @Override
  public String toString() {
    return "OptikernOptimizer[" + optikern + "]";
  }

  /**
   * Builds an {@link OptikernOptimizer}, in the style of DJL's optimizer builders. DJL's settings
   * ({@code setRescaleGrad}, {@code optWeightDecays}, {@code optClipGrad}, {@code optBeginNumUpdate})
   * become Optikern's {@code rescale_grad}, {@code wd}, {@code clip_gradient} (off when &lt;= 0) and
   * {@code begin_num_update}; giving one both here and in the parameters with different values is an
   * error.
   */
  public static final class Builder extends OptimizerBuilder<Builder> {
    private final String name;
    private final Class<?> specType;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final BuilderSettings settings = new BuilderSettings();
    private ParameterTracker learningRateTracker;

    private Builder(String name, Class<?> specType) {
      this.name = name;
      this.specType = specType;
    }

    /** Sets one Optikern (MXNet-style) parameter, such as {@code "momentum"} or {@code "learning_rate"}. */
    public Builder optParameter(String parameter, Object value) {
      params.put(Objects.requireNonNull(parameter, "parameter"), Objects.requireNonNull(value, parameter));
      return this;
    }

    /** Sets Optikern (MXNet-style) parameters, as {@code Optimizer.create(name, params)} takes them. */
    public Builder optParameters(Map<String, ?> parameters) {
      parameters.forEach(this::optParameter);
      return this;
    }

    /**
     * Drives the learning rate by a DJL tracker (any {@code Tracker}, or a per-parameter
     * {@code ParameterTracker}), asked on every update; then the parameters must not set
     * {@code learning_rate} or {@code lr_scheduler}.
     */
    public Builder setLearningRateTracker(ParameterTracker tracker) {
      this.learningRateTracker = Objects.requireNonNull(tracker, "tracker");
      return this;
    }

    @Override
    public Builder setRescaleGrad(float rescaleGrad) {
      settings.set("rescale_grad", (double) rescaleGrad);
      return super.setRescaleGrad(rescaleGrad);
    }

    @Override
    public Builder optWeightDecays(float weightDecays) {
      settings.set("wd", (double) weightDecays);
      return super.optWeightDecays(weightDecays);
    }

    @Override
    public Builder optClipGrad(float clipGrad) {
      settings.set("clip_gradient", clipGrad > 0 ? (double) clipGrad : null);
      return super.optClipGrad(clipGrad);
    }

    @Override
    public Builder optBeginNumUpdate(int beginNumUpdate) {
      settings.set("begin_num_update", beginNumUpdate);
      return super.optBeginNumUpdate(beginNumUpdate);
    }

    /**
     * Creates the optimizer.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the registered ones), an
     *     unknown or invalid parameter, or a setting given differently here and in the parameters
     */
    public OptikernOptimizer build() {
      return new OptikernOptimizer(this);
    }

    @Override
    protected Builder self() {
      return this;
    }

    private String describe() {
      return name != null ? "optimizer " + name : "spec " + specType.getName();
    }
  }
}
