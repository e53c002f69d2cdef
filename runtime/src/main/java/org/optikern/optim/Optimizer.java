package org.optikern.optim;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.Objects;
import java.util.Set;
import org.optikern.kernel.Noise;
import org.optikern.kernel.ParallelUpdate;
import org.optikern.kernel.UpdateKernel;
import org.optikern.lang.Parser;
import org.optikern.model.Conditions;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ScalarLayout;
import org.optikern.model.StateShape;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * The optimizer API of MXNet 1.x ({@code mxnet.optimizer.Optimizer}), with its parameter names,
 * defaults and bookkeeping: per-index update counts starting at {@code begin_num_update}, lr and
 * wd multipliers by index or by name, learning-rate schedulers, gradient rescaling and clipping,
 * and multi-precision float16 training. Subclasses supply only the kernels; generated optimizers
 * supply the generated ones, {@link InterpretedOptimizer} the interpreter.
 *
 * <p>Parameters, as {@code create("signum", Map.of("learning_rate", 0.1, "momentum", 0.9))}:
 * {@code learning_rate}, {@code lr_scheduler} ({@link LrScheduler}), {@code wd},
 * {@code rescale_grad}, {@code clip_gradient} (clipping is on only when set and &gt; 0),
 * {@code param_idx2name} ({@code Map<Integer, String>}), {@code begin_num_update},
 * {@code multi_precision}, {@code seed} (an integer, only for optimizers that draw noise), and the
 * optimizer's own hyperparameters.
 *
 * <p>Deliberate differences from MXNet: scalars reach float64 kernels as given (MXNet rounds every
 * operator parameter to float first); a scheduler's {@code base_lr} is overwritten only when
 * {@code learning_rate} is passed explicitly (MXNet's Signum always passes its default 0.01);
 * {@code sym} and {@code param_dict} are not supported; {@code begin_num_update} must be &gt;= 0
 * (MXNet accepts negative counts, which schedulers then see).
 *
 * <p>Threads: updates of <em>distinct</em> indices may run concurrently. The bookkeeping of one
 * update (counting it, reading the scheduler and the multipliers) is atomic, and the kernel then
 * runs outside the lock, so concurrent updates give the result of some serial order of them, update
 * counts included; without a scheduler every order gives the same bits. Setters may be called at any
 * time and take effect for the updates that start after them. Concurrent updates of the <em>same</em>
 * index (or of states shared between indices) race on the arrays and are not supported. A scheduler
 * is read under this optimizer's lock: do not share one between optimizers that update concurrently.
 * Large tensors are updated in parallel chunks internally ({@link #setParallelThreshold}), which
 * never changes a result.
 */
public abstract class Optimizer {
  static final System.Logger LOG = System.getLogger("org.optikern");

  /**
   * The largest update count: counts are ints, and an update that would count past this throws
   * before anything is written (2^31 - 1 updates of one parameter are decades of training at
   * 100 updates a second; a count that wrapped around would make {@code t} negative).
   */
  public static final int MAX_UPDATE_COUNT = Integer.MAX_VALUE;

  private final OptimizerDescriptor descriptor;
  /** Where each scalar goes in the kernels' scalar vector. */
  private final ScalarLayout scalarLayout;
  private final double[] hyperparameters;
  private final LrScheduler lrScheduler;
  /** Guards the mutable bookkeeping below: counts, learning rate, multipliers, rescale_grad. */
  private final Object lock = new Object();
  private double lr;
  private final double wd;
  private double rescaleGrad;
  private final Double clipGradient;
  private final Map<Integer, String> idx2name;
  private final int beginNumUpdate;
  private int numUpdate;
  private final Map<Integer, Integer> indexUpdateCount = new HashMap<>();
  private final boolean multiPrecision;
  /** The base of the noise of optimizers that draw it ({@code normal()}); MXNet has a global seed instead. */
  private final long seed;
  private Map<Object, Double> lrMult = Map.of();
  private int parallelThreshold = ParallelUpdate.DEFAULT_THRESHOLD;
  private int parallelism = Runtime.getRuntime().availableProcessors();
  private Map<Object, Double> wdMult = Map.of();
  /** The parameters this optimizer was made with: a group's optimizer is made from them and the group's. */
  private final Map<String, Object> params;
  /**
   * Parameter groups by index, each with its own hyperparameters ({@link #addParameterGroup}); in
   * the order the groups were added, as each adds all its indices at once.
   */
  private final Map<Integer, ParameterGroup> groups = new java.util.LinkedHashMap<>();

  protected Optimizer(OptimizerDescriptor descriptor, Map<String, ?> params) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.scalarLayout = descriptor.scalarLayout();
    this.params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    Parameters p = new Parameters(descriptor.name(), params == null ? Map.of() : params);
    Set<String> known = new HashSet<>(OptimizerModel.COMMON_PARAMETERS);
    known.addAll(descriptor.hyperparameterNames());
    p.rejectUnknown(known);

    // read and check everything first: a rejected construction must not touch the caller's scheduler
    this.hyperparameters = new double[descriptor.hyperparameterNames().size()];
    for (int i = 0; i < hyperparameters.length; i++) {
      hyperparameters[i] = p.hyperparameter(descriptor.hyperparameterNames().get(i),
          descriptor.hyperparameterDefaults().get(i));
    }
    checkValidity(descriptor, hyperparameters);
    this.lrScheduler = p.value("lr_scheduler", LrScheduler.class);
    this.lr = p.finiteDouble("learning_rate", descriptor.defaultLearningRate());
    this.wd = p.finiteDouble("wd", 0.0);
    this.rescaleGrad = p.finiteDouble("rescale_grad", 1.0);
    this.clipGradient = p.has("clip_gradient") ? p.finiteDouble("clip_gradient", 0) : null;
    this.idx2name = p.indexNames("param_idx2name");
    this.beginNumUpdate = p.integer("begin_num_update", 0);
    if (beginNumUpdate > MAX_UPDATE_COUNT - 1) {
      throw new IllegalArgumentException("begin_num_update must be at most " + (MAX_UPDATE_COUNT - 1)
          + ", so that an update can be counted; found " + beginNumUpdate);
    }
    this.numUpdate = beginNumUpdate;
    this.multiPrecision = p.bool("multi_precision", false);
    this.seed = p.longInteger("seed", 0);
    if (p.has("seed") && !descriptor.usesNoise()) {
      throw new IllegalArgumentException("seed is for optimizers that draw noise; " + descriptor.name() + " draws none");
    }
    setLrMult(Map.of());
    setWdMult(Map.of());

    if (lrScheduler != null && p.has("learning_rate") && lrScheduler.baseLr() != lr) {
      LOG.log(Level.WARNING, "learning rate from lr_scheduler has been overwritten by learning_rate in optimizer.");
      lrScheduler.setBaseLr(lr);
    }
  }

  /** Each hyperparameter against its spec's {@code valid} condition, which may involve the others. */
  private static void checkValidity(OptimizerDescriptor descriptor, double[] values) {
    List<String> names = descriptor.hyperparameterNames();
    for (int i = 0; i < names.size(); i++) {
      String condition = descriptor.hyperparameterConditions().get(i);
      if (!condition.isEmpty()
          && !Conditions.holds(Parser.parseCondition(condition), name -> values[names.indexOf(name)])) {
        throw new IllegalArgumentException(names.get(i) + " = " + values[i] + " is not valid for " + descriptor.name()
            + ": it must satisfy " + condition);
      }
    }
  }

  /**
   * The kernel for weights of {@code dtype}, for this optimizer's (fixed) switch values; in a spec
   * with a {@code factored} variant, the kernel of weights of fewer than two dimensions.
   */
  protected abstract UpdateKernel kernel(DType dtype);

  /**
   * The {@code factored} variant's kernel for weights of {@code dtype} (two or more dimensions), for
   * a descriptor with states of one value per row or column ({@link OptimizerDescriptor#factored()});
   * generated optimizers of such specs override it.
   */
  protected UpdateKernel factoredKernel(DType dtype) {
    throw new IllegalStateException(getClass().getName() + " keeps states per row or column "
        + descriptor.stateShapes().keySet() + " but does not override factoredKernel");
  }

  /**
   * Fills in the spec's per-update scalars ({@code @Scalar}), once per update, before the kernel
   * runs: {@code scalars} holds the common scalars ({@code t} included) and the hyperparameters,
   * laid out as the spec's {@code scalarNames()}; the derived slots at its end are overwritten.
   * Generated and interpreted optimizers override it; a hand-written optimizer whose descriptor
   * names no per-update scalars has nothing to do.
   */
  protected void deriveScalars(double[] scalars) {
    if (!descriptor.derivedScalarNames().isEmpty()) {
      throw new IllegalStateException(getClass().getName() + " declares the per-update scalars "
          + descriptor.derivedScalarNames() + " but does not override deriveScalars");
    }
  }

  // ---- registry (MXNet: Optimizer.create_optimizer, Optimizer.register) ----

  /** Creates a registered optimizer by name, case-insensitively. */
  public static Optimizer create(String name, Map<String, ?> params) {
    return OptimizerRegistry.create(name, params);
  }

  public static Optimizer create(String name) {
    return create(name, Map.of());
  }

  /** Registers a factory under its name and aliases; replacing an existing name logs a warning. */
  public static void register(OptimizerFactory factory) {
    Objects.requireNonNull(factory, "factory");
    OptimizerRegistry.register(factory);
  }

  /** The names every registered optimizer can be created by (names and aliases, lower-cased), sorted. */
  public static SortedSet<String> registeredNames() {
    return OptimizerRegistry.names();
  }

  public String name() {
    return descriptor.name();
  }

  public OptimizerDescriptor descriptor() {
    return descriptor;
  }

  // ---- state ----

  /**
   * For each state of this variant, zeros of the weight's shape and dtype, a copy of the weight
   * for a state declared {@code initial = "weight"}, or a hyperparameter's value (the index's
   * parameter group's) in every element for one declared {@code initial = "<hyperparameter>"};
   * empty when there are none.
   */
  public OptimizerState createState(int index, Tensor weight) {
    Objects.requireNonNull(weight, "weight");
    List<String> names = kernelOf(index, weight.dtype(), factored(weight)).stateNames();
    List<Tensor> arrays = new ArrayList<>();
    for (String name : names) {
      String fill = descriptor.stateFills().get(name);
      StateShape shape = descriptor.stateShape(name);
      Tensor like = shape == StateShape.FULL ? weight : shapedLike(weight, shape.of(weight.shape()));
      arrays.add(descriptor.statesCopyingWeight().contains(name) ? weight.copy()
          : fill != null ? Tensor.fullLike(like, hyperparameters(index).get(fill)) : Tensor.zerosLike(like));
    }
    double[] scalarValues = descriptor.scalarStateInitials().stream().mapToDouble(Double::doubleValue).toArray();
    return new OptimizerState(name(), names, arrays, null, descriptor.scalarStateNames(), scalarValues);
  }

  /** Zeros of {@code weight}'s dtype and storage in another shape: a state of one value per row or column. */
  private static Tensor shapedLike(Tensor weight, int[] shape) {
    return weight.isOffHeap() ? Tensor.zerosOffHeap(weight.dtype(), shape) : Tensor.zeros(weight.dtype(), shape);
  }

  /**
   * Whether {@code weight} runs the {@code factored} variant: the spec keeps values per row or column
   * and the weight has two or more dimensions (Adafactor's rule: a vector keeps the full second moment).
   */
  final boolean factored(Tensor weight) {
    return descriptor.factored() && weight.shape().length >= 2;
  }

  /** The weight's last dimension: the columns of its 2-D view (1 for a weight of no dimension). */
  static int columnsOf(Tensor weight) {
    int[] shape = weight.shape();
    return shape.length == 0 ? 1 : shape[shape.length - 1];
  }

  /**
   * As MXNet: for a float16 weight with {@code multi_precision}, the state also holds a float32
   * master copy of the weight and the states are float32; a float16 weight without it logs the
   * accuracy warning.
   */
  public OptimizerState createStateMultiPrecision(int index, Tensor weight) {
    Objects.requireNonNull(weight, "weight");
    if (multiPrecision && weight.dtype() == DType.FLOAT16) {
      Tensor master = weight.astype(DType.FLOAT32);
      OptimizerState inner = createState(index, master);
      return new OptimizerState(name(), inner.names(), inner.arrays(), master, inner.scalarNames(),
          inner.scalarValues());
    }
    if (weight.dtype() == DType.FLOAT16) {
      LOG.log(Level.WARNING, "Accumulating with float16 in optimizer can lead to poor accuracy or slow convergence. "
          + "Consider using multi_precision=True option of the optimizer");
    }
    return createState(index, weight);
  }

  // ---- update ----

  /**
   * Updates {@code weight} in place from {@code grad}. Every argument is checked before anything
   * is written or counted: shapes, dtypes and the state's arrays must match.
   */
  public void update(int index, Tensor weight, Tensor grad, OptimizerState state) {
    UpdateKernel kernel = checkedKernel(index, weight, grad, state);
    double[] scalars;
    int threshold;
    int chunks;
    synchronized (lock) {
      scalars = bookkeeping(index, weight.size(), columnsOf(weight), state);
      threshold = parallelThreshold;
      chunks = parallelism;
    }
    ParallelUpdate.update(kernel, weight.data(), grad.data(), stateArrays(kernel, state), 0, weight.size(), scalars,
        threshold, chunks);
    keepAssignedScalarStates(state, scalars);
  }

  /**
   * After the kernel: the scalar states an update assigns ({@code nu = beta2*nu + (1 - beta2)*g_sq})
   * come back in its scalar vector; they are kept under the lock, like those a {@code @Scalar} assigns.
   */
  final void keepAssignedScalarStates(OptimizerState state, double[] scalars) {
    if (state == null || state.scalarValues().length == 0) {
      return;
    }
    synchronized (lock) {
      System.arraycopy(scalars, scalarLayout.firstScalarState(), state.scalarValues(), 0, state.scalarValues().length);
    }
  }

  /**
   * Updates several parameters in one call, with exactly the bits and update counts of calling
   * {@link #updateMultiPrecision} for each in the list's order: the bookkeeping runs in that order,
   * then the work is spread over {@link #parallelism()} cores in equal shares (the tensors laid end to
   * end and cut at multiples of 64 elements; a tensor whose update reduces is kept whole). Every
   * parameter is checked before anything is counted or written; indices and weights must be distinct.
   */
  public void updateAll(List<ParameterUpdate> parameters) {
    MultiTensorUpdate.run(this, parameters);
  }

  /** The kernel for an update of {@code weight} from {@code grad} with {@code state}, every argument checked. */
  final UpdateKernel kernelFor(int index, Tensor weight, Tensor grad, OptimizerState state) {
    return checkedKernel(index, weight, grad, state);
  }

  /** The lock of the bookkeeping: {@link MultiTensorUpdate} counts a whole list under it. */
  final Object bookkeepingLock() {
    return lock;
  }

  /** Throws, before anything is counted, if {@code index} cannot be counted once more. Under the lock. */
  final void requireCountable(int index) {
    if (indexUpdateCount.getOrDefault(index, beginNumUpdate) >= MAX_UPDATE_COUNT) {
      throw new IllegalStateException("index " + index + " has reached the largest update count, " + MAX_UPDATE_COUNT
          + ": it cannot be updated again (its weight and state are unchanged)");
    }
  }

  final int parallelThresholdUnlocked() {
    return parallelThreshold;
  }

  final int parallelismUnlocked() {
    return parallelism;
  }

  /**
   * One update's bookkeeping, under the lock: counts it, reads the learning rate and weight decay,
   * and returns the kernel's scalar vector with the per-update scalars derived and the scalar
   * states read in and written back; {@code elements}: the whole parameter's, for {@code size};
   * {@code columns}: its last dimension, for {@code cols} (and {@code rows}, {@code elements / columns}).
   */
  final double[] bookkeeping(int index, int elements, int columns, OptimizerState state) {
    int count = countUpdate(index);
    ParameterGroup group = groups.get(index);
    double[] scalars = scalarVector(learningRate(index), weightDecay(index), count,
        group == null ? hyperparameters : group.optimizer().hyperparameters);
    // scalar states in, per-update scalars, scalar states out: under the lock, so that a state is never
    // half-updated for another thread
    double[] scalarStates = state == null ? new double[0] : state.scalarValues();
    System.arraycopy(scalarStates, 0, scalars, scalarLayout.firstScalarState(), scalarStates.length);
    int flag = scalarLayout.firstFlag();
    for (List<String> suffixes : descriptor.flagSuffixes()) {
      scalars[flag++] = nameEndsInAny(index, suffixes) ? 1 : 0;
    }
    if (scalarLayout.elementCount()) {
      scalars[scalarLayout.elementCountSlot()] = elements;
    }
    if (scalarLayout.matrixShape()) {
      scalars[scalarLayout.rowsSlot()] = columns == 0 ? 0 : elements / columns;
      scalars[scalarLayout.colsSlot()] = columns;
    }
    if (scalarLayout.noise()) {
      scalars[scalarLayout.noiseSlot()] = Noise.key(seed, index, count);
    }
    deriveScalars(scalars);
    System.arraycopy(scalars, scalarLayout.firstScalarState(), scalarStates, 0, scalarStates.length);
    return scalars;
  }

  /**
   * Tensors of at least this many elements are updated in parallel chunks (same result, more memory
   * bandwidth); {@code Integer.MAX_VALUE} turns it off. Default {@link ParallelUpdate#DEFAULT_THRESHOLD}.
   */
  public void setParallelThreshold(int elements) {
    if (elements < 1) {
      throw new IllegalArgumentException("parallel threshold must be >= 1, found " + elements);
    }
    synchronized (lock) {
      this.parallelThreshold = elements;
    }
  }

  public int parallelThreshold() {
    synchronized (lock) {
      return parallelThreshold;
    }
  }

  /**
   * How many chunks, at most, a tensor above the parallel threshold is split into; by default the
   * number of processors available when the optimizer was made. 1 turns splitting off; a Spark
   * executor or a server sharing its cores may want fewer.
   */
  public void setParallelism(int chunks) {
    if (chunks < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, found " + chunks);
    }
    synchronized (lock) {
      this.parallelism = chunks;
    }
  }

  public int parallelism() {
    synchronized (lock) {
      return parallelism;
    }
  }

  /**
   * As MXNet: with {@code multi_precision} and a float16 weight, casts the gradient to float32,
   * updates the master copy with the float32 kernel, and rounds the master back into the weight.
   */
  public void updateMultiPrecision(int index, Tensor weight, Tensor grad, OptimizerState state) {
    Objects.requireNonNull(weight, "weight");
    Tensor master = masterCopy(weight, grad, state, "");
    if (master != null) {
      Tensor grad32 = grad.astype(DType.FLOAT32);
      update(index, master, grad32, state.inner());
      master.castInto(weight);
    } else {
      update(index, weight, grad, state);
    }
  }

  /**
   * The float32 master copy that a multi-precision update of {@code weight} runs on, with the
   * weight, gradient and copy checked against each other; null when the update is not
   * multi-precision, after checking that the state holds no copy. Messages start with {@code where}.
   */
  final Tensor masterCopy(Tensor weight, Tensor grad, OptimizerState state, String where) {
    if (multiPrecision && weight.dtype() == DType.FLOAT16) {
      Objects.requireNonNull(state, "state");
      Tensor master = state.master().orElseThrow(() -> new IllegalArgumentException(where
          + "multi-precision update of a float16 weight needs the state from createStateMultiPrecision "
          + "(it holds the float32 master copy); this state has none"));
      checkSameShape("weight", weight, "master copy", master);
      checkGrad(weight, grad);
      return master;
    }
    if (state != null && state.master().isPresent()) {
      throw new IllegalArgumentException(where + "this state holds a float32 master copy, but the update is not "
          + "multi-precision (multi_precision=" + multiPrecision + ", weight " + weight.dtype().mxnetName() + ")");
    }
    return null;
  }

  /** The arrays of {@code state} that {@code kernel} takes, in its order. */
  static Object[] stateArrays(UpdateKernel kernel, OptimizerState state) {
    Object[] arrays = new Object[kernel.stateNames().size()];
    for (int s = 0; s < arrays.length; s++) {
      arrays[s] = state.arrays().get(s).data();
    }
    return arrays;
  }

  private UpdateKernel checkedKernel(int index, Tensor weight, Tensor grad, OptimizerState state) {
    Objects.requireNonNull(weight, "weight");
    checkGrad(weight, grad);
    UpdateKernel kernel = kernelOf(index, weight.dtype(), factored(weight));
    List<String> expected = kernel.stateNames();
    if (state == null) {
      if (!expected.isEmpty() || !descriptor.scalarStateNames().isEmpty()) {
        throw new IllegalArgumentException(name() + " needs the states " + allStateNames(expected)
            + " with these hyperparameters; create them with createState");
      }
      return kernel;
    }
    if (state.master().isPresent()) {
      throw new IllegalArgumentException("this state holds a float32 master copy: update it with updateMultiPrecision");
    }
    if (!state.optimizer().equals(name()) || !state.names().equals(expected)
        || !state.scalarNames().equals(descriptor.scalarStateNames())) {
      List<String> given = new ArrayList<>(state.names());
      given.addAll(state.scalarNames());
      throw new IllegalArgumentException("state " + given + " of optimizer '" + state.optimizer()
          + "' does not fit " + name() + " with these hyperparameters, which needs " + allStateNames(expected));
    }
    for (int s = 0; s < expected.size(); s++) {
      Tensor array = state.arrays().get(s);
      if (array.dtype() != weight.dtype()) {
        throw new IllegalArgumentException("state '" + expected.get(s) + "' is " + array.dtype().mxnetName()
            + " but the weight is " + weight.dtype().mxnetName());
      }
      StateShape shape = descriptor.stateShape(expected.get(s));
      if (shape == StateShape.FULL) {
        checkSameShape("weight", weight, "state '" + expected.get(s) + "'", array);
      } else if (!Arrays.equals(array.shape(), shape.of(weight.shape()))) {
        throw new IllegalArgumentException("state '" + expected.get(s) + "' has shape " + Arrays.toString(array.shape())
            + " but holds one value per " + (shape == StateShape.ROWS ? "row" : "column") + " of a weight of shape "
            + Arrays.toString(weight.shape()) + ": " + Arrays.toString(shape.of(weight.shape())));
      }
      checkSameStorage("weight", weight, "state '" + expected.get(s) + "'", array);
      if (array.data() == weight.data() || array.data() == grad.data()) {
        throw new IllegalArgumentException("state '" + expected.get(s) + "' shares its array with the weight or gradient");
      }
    }
    return kernel;
  }

  /** Whether the parameter's name ({@code param_idx2name}, else the index as text) ends in one of {@code suffixes}. */
  private boolean nameEndsInAny(int index, List<String> suffixes) {
    String name = idx2name.getOrDefault(index, String.valueOf(index));
    return suffixes.stream().anyMatch(name::endsWith);
  }

  /** The arrays, then the scalar states: every name a state of this optimizer has. */
  private List<String> allStateNames(List<String> arrays) {
    List<String> names = new ArrayList<>(arrays);
    names.addAll(descriptor.scalarStateNames());
    return names;
  }

  private static void checkGrad(Tensor weight, Tensor grad) {
    Objects.requireNonNull(grad, "grad");
    if (grad.dtype() != weight.dtype()) {
      throw new IllegalArgumentException("grad is " + grad.dtype().mxnetName() + " but the weight is "
          + weight.dtype().mxnetName());
    }
    checkSameShape("weight", weight, "grad", grad);
    checkSameStorage("weight", weight, "grad", grad);
  }

  /** A kernel reads all its arrays from one kind of storage: Java arrays, or buffers outside the heap. */
  static void checkSameStorage(String what, Tensor a, String other, Tensor b) {
    if (a.isOffHeap() != b.isOffHeap()) {
      throw new IllegalArgumentException(other + " is " + storage(b) + " but the " + what + " is " + storage(a)
          + ": one update reads all its tensors from one kind of storage (copy with Tensor.onHeap() or offHeap())");
    }
  }

  private static String storage(Tensor tensor) {
    return tensor.isOffHeap() ? "off-heap (a ByteBuffer)" : "on the heap (a Java array)";
  }

  private static void checkSameShape(String what, Tensor a, String other, Tensor b) {
    if (!a.sameShape(b)) {
      throw new IllegalArgumentException(other + " has shape " + Arrays.toString(b.shape()) + " but the " + what
          + " has shape " + Arrays.toString(a.shape()));
    }
  }

  /**
   * The scalar vector with defaults for lr and wd, t = 0 and no per-update scalars: what a subclass
   * uses to evaluate its switches, which read hyperparameters only.
   */
  protected final double[] constructionScalars() {
    synchronized (lock) {
      return scalarVector(lr, wd, 0, hyperparameters);
    }
  }

  /**
   * lr, wd, rescale_grad, clip_gradient (-1 when unset: no clipping), t, then the hyperparameters,
   * and room for the per-update scalars and the noise key.
   */
  private double[] scalarVector(double learningRate, double weightDecay, int t, double[] hyperparameters) {
    double[] scalars = new double[scalarLayout.size()];
    scalars[ScalarLayout.LR_SLOT] = learningRate;
    scalars[ScalarLayout.WD_SLOT] = weightDecay;
    scalars[ScalarLayout.RESCALE_GRAD_SLOT] = rescaleGrad;
    scalars[ScalarLayout.CLIP_GRADIENT_SLOT] = clipGradient == null ? -1.0 : clipGradient;
    scalars[ScalarLayout.T_SLOT] = t;
    System.arraycopy(hyperparameters, 0, scalars, scalarLayout.firstHyperparameter(), hyperparameters.length);
    return scalars;
  }

  // ---- counts (MXNet: _update_count, num_update) ----

  /** Counts an update of {@code index} and returns its new count: the update's {@code t}. */
  private int countUpdate(int index) {
    requireCountable(index);
    int count = indexUpdateCount.getOrDefault(index, beginNumUpdate) + 1;
    indexUpdateCount.put(index, count);
    numUpdate = Math.max(count, numUpdate);
    return count;
  }

  /** The largest update count over all indices; starts at {@code begin_num_update}. */
  public int numUpdate() {
    synchronized (lock) {
      return numUpdate;
    }
  }

  /** How many updates {@code index} has seen, counting from {@code begin_num_update}. */
  public int updateCount(int index) {
    synchronized (lock) {
      return indexUpdateCount.getOrDefault(index, beginNumUpdate);
    }
  }

  /** Every index's count and num_update, taken together: what a checkpoint saves. */
  UpdateCounts updateCounts() {
    synchronized (lock) {
      return new UpdateCounts(numUpdate, indexUpdateCount);
    }
  }

  /** Replaces every count with a checkpoint's; the caller has checked them. */
  void restoreUpdateCounts(UpdateCounts counts) {
    synchronized (lock) {
      indexUpdateCount.clear();
      indexUpdateCount.putAll(counts.byIndex());
      numUpdate = counts.numUpdate();
    }
  }

  /**
   * The state names a weight of {@code dtype} at {@code index} gets, with its group's hyperparameters,
   * in the {@code factored} variant (weights of two or more dimensions) or not.
   */
  List<String> stateNames(int index, DType dtype, boolean factored) {
    return kernelOf(index, dtype, factored).stateNames();
  }

  /** As {@link #stateNames(int, DType, boolean)}, were {@code groups} (by index) this optimizer's groups. */
  List<String> stateNames(int index, DType dtype, boolean factored, Map<Integer, ParameterGroup> groups) {
    ParameterGroup group = groups.get(index);
    return (group == null ? this : group.optimizer()).variantKernel(dtype, factored).stateNames();
  }

  /** The kernel of {@code index}: its group's (whose hyperparameters may select another variant), else this one's. */
  private UpdateKernel kernelOf(int index, DType dtype, boolean factored) {
    ParameterGroup group;
    synchronized (lock) {
      group = groups.get(index);
    }
    return (group == null ? this : group.optimizer()).variantKernel(dtype, factored);
  }

  private UpdateKernel variantKernel(DType dtype, boolean factored) {
    return factored ? factoredKernel(dtype) : kernel(dtype);
  }

  // ---- parameter groups ----

  /** The names a parameter group may set: the spec's hyperparameters, {@code learning_rate} and {@code wd}. */
  private Set<String> groupParameterNames() {
    Set<String> names = new java.util.TreeSet<>(descriptor.hyperparameterNames());
    names.add("learning_rate");
    names.add("wd");
    return names;
  }

  /**
   * Gives the parameters at {@code indices} their own hyperparameters, as torch.optim's parameter
   * groups do (say {@code wd} 0 for biases and norms, or other betas): {@code hyperparameters} may
   * set any of the spec's hyperparameters, {@code learning_rate} and {@code wd}; the others stay
   * this optimizer's. Counts, {@code num_update}, {@code rescale_grad}, clipping, the lr and wd
   * multipliers (which multiply the group's values) and a scheduler stay shared; with a scheduler a
   * group cannot set {@code learning_rate}, as the scheduler sets it. A group may select another
   * variant (momentum 0 in SGD): its indices then need states of that variant, which
   * {@link #createState} makes. Every value is checked as at construction, before anything changes.
   *
   * @throws IllegalArgumentException for an unknown or invalid value, an empty or null index list,
   *     or an index already in a group
   */
  public void addParameterGroup(java.util.Collection<Integer> indices, Map<String, ?> hyperparameters) {
    ParameterGroup group = makeGroup(indices, hyperparameters);
    synchronized (lock) {
      for (Integer index : group.indices()) {
        if (groups.containsKey(index)) {
          throw new IllegalArgumentException("index " + index + " is already in a parameter group "
              + groups.get(index).hyperparameters());
        }
      }
      group.indices().forEach(index -> groups.put(index, group));
    }
  }

  /** A group checked and made, not added: its values as at construction, its optimizer made with them. */
  ParameterGroup makeGroup(java.util.Collection<Integer> indices, Map<String, ?> hyperparameters) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(hyperparameters, "hyperparameters");
    indices.forEach(index -> Objects.requireNonNull(index, "index in a parameter group"));
    if (indices.isEmpty()) {
      throw new IllegalArgumentException("a parameter group needs at least one index");
    }
    for (String key : hyperparameters.keySet()) {
      if (!groupParameterNames().contains(key)) {
        throw new IllegalArgumentException("a parameter group of " + name() + " may set " + groupParameterNames()
            + ", not '" + key + "' (it is shared by every parameter)");
      }
    }
    if (lrScheduler != null && hyperparameters.containsKey("learning_rate")) {
      throw new IllegalArgumentException("a parameter group cannot set learning_rate while an lr_scheduler sets "
          + "the rate of every parameter; give the group an lr multiplier (setLrMult) instead");
    }
    if (java.util.Set.copyOf(indices).size() != indices.size()) {
      throw new IllegalArgumentException("a parameter group lists an index twice: " + indices);
    }
    Map<String, Object> merged = new java.util.LinkedHashMap<>(params);
    merged.remove("lr_scheduler"); // the group's rate is its own learning_rate or the shared one; never a second scheduler
    merged.putAll(hyperparameters);
    return new ParameterGroup(List.copyOf(indices), Map.copyOf(hyperparameters), withParameters(merged));
  }

  /** Replaces every group (a checkpoint's, already made with {@link #makeGroup}). */
  void replaceParameterGroups(List<ParameterGroup> replacement) {
    synchronized (lock) {
      groups.clear();
      for (ParameterGroup group : replacement) {
        group.indices().forEach(index -> groups.put(index, group));
      }
    }
  }

  /**
   * The values a group sets, each as the number its optimizer uses (a flag as 1 or 0): what a
   * checkpoint saves, and what {@link #makeGroup} takes back.
   */
  static Map<String, Double> resolvedValues(ParameterGroup group) {
    Map<String, Double> values = new java.util.TreeMap<>();
    for (String key : group.hyperparameters().keySet()) {
      values.put(key, switch (key) {
        case "learning_rate" -> group.optimizer().lr;
        case "wd" -> group.optimizer().wd;
        default -> group.optimizer().hyperparameter(key);
      });
    }
    return values;
  }

  /**
   * A new optimizer of this kind with {@code parameters}: what a parameter group runs with. The
   * generated optimizers' constructor taking a parameter map; a subclass without one overrides this.
   */
  protected Optimizer withParameters(Map<String, ?> parameters) {
    try {
      return getClass().getConstructor(Map.class).newInstance(parameters);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime; // the parameters' own error, named
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException(getClass().getName() + " has no public constructor taking a "
          + "parameter map: override withParameters to use parameter groups", e);
    }
  }

  /** The hyperparameters {@code index} is updated with: its group's, or this optimizer's. */
  public Map<String, Double> hyperparameters(int index) {
    ParameterGroup group;
    synchronized (lock) {
      group = groups.get(index);
    }
    return group == null ? hyperparameters() : group.optimizer().hyperparameters();
  }

  /** Every parameter group, in the order they were added. */
  public List<ParameterGroup> parameterGroups() {
    synchronized (lock) {
      return groups.values().stream().distinct().toList();
    }
  }

  public int beginNumUpdate() {
    return beginNumUpdate;
  }

  // ---- learning rate and weight decay ----

  /** {@code lr_scheduler(num_update)} when a scheduler is set (which may advance it), else the learning rate. */
  public double getLearningRate() {
    synchronized (lock) {
      return currentLearningRate();
    }
  }

  private double currentLearningRate() {
    return lrScheduler != null ? lrScheduler.learningRate(numUpdate) : lr;
  }

  public void setLearningRate(double learningRate) {
    if (lrScheduler != null) {
      throw new IllegalStateException("LRScheduler of the optimizer has already been defined. Note that "
          + "set_learning_rate can mutate the value of the learning rate of the optimizer only when the "
          + "LRScheduler of the optimizer is undefined.");
    }
    requireFinite("learning_rate", learningRate);
    synchronized (lock) {
      this.lr = learningRate;
    }
  }

  /** @deprecated as in MXNet: use {@link #setLrMult}. Always throws. */
  @Deprecated
  public void setLrScale(Map<?, Double> lrScale) {
    throw new UnsupportedOperationException("setLrScale is deprecated (as in MXNet): use setLrMult");
  }

  /** Learning-rate multipliers keyed by parameter index ({@code Integer}) or name ({@code String}). */
  public void setLrMult(Map<?, Double> multipliers) {
    Objects.requireNonNull(multipliers, "multipliers (use an empty map for none)");
    Map<Object, Double> checked = Map.copyOf(checkedMultipliers(multipliers));
    synchronized (lock) {
      this.lrMult = checked;
    }
  }

  /**
   * Weight-decay multipliers keyed by index or name. As in MXNet, every name in
   * {@code param_idx2name} that does not end in {@code _weight} or {@code _gamma} (the spec's
   * {@code decayedNameSuffixes}; LARS: {@code _weight} only) first gets 0.
   */
  public void setWdMult(Map<?, Double> multipliers) {
    Objects.requireNonNull(multipliers, "multipliers (use an empty map for none)");
    Map<Object, Double> result = new HashMap<>();
    for (String n : idx2name.values()) {
      if (descriptor.decayedNameSuffixes().stream().noneMatch(n::endsWith)) {
        result.put(n, 0.0);
      }
    }
    result.putAll(checkedMultipliers(multipliers));
    Map<Object, Double> checked = Map.copyOf(result);
    synchronized (lock) {
      this.wdMult = checked;
    }
  }

  private static Map<Object, Double> checkedMultipliers(Map<?, Double> multipliers) {
    Map<Object, Double> result = new HashMap<>();
    multipliers.forEach((key, value) -> {
      if (!(key instanceof Integer) && !(key instanceof String)) {
        throw new IllegalArgumentException("multiplier keys are parameter indices (Integer) or names (String), found "
            + (key == null ? "null" : key.getClass().getSimpleName()));
      }
      requireFinite("multiplier for " + key, value == null ? Double.NaN : value);
      result.put(key, value);
    });
    return result;
  }

  /** The learning rate index {@code index} is updated with: scheduler or lr, times its multiplier. */
  double learningRate(int index) {
    ParameterGroup group = groups.get(index);
    double base = group != null && group.hyperparameters().containsKey("learning_rate") ? group.optimizer().lr
        : currentLearningRate();
    return base * multiplier(lrMult, index);
  }

  double weightDecay(int index) {
    ParameterGroup group = groups.get(index);
    double base = group != null && group.hyperparameters().containsKey("wd") ? group.optimizer().wd : wd;
    return base * multiplier(wdMult, index);
  }

  private double multiplier(Map<Object, Double> multipliers, int index) {
    Double byIndex = multipliers.get(index);
    if (byIndex != null) {
      return byIndex;
    }
    String name = idx2name.get(index);
    return name == null ? 1.0 : multipliers.getOrDefault(name, 1.0);
  }

  // ---- plain accessors ----

  public double wd() {
    return wd;
  }

  public double rescaleGrad() {
    synchronized (lock) {
      return rescaleGrad;
    }
  }

  /** MXNet's trainers set this to 1/batch_size before updating. */
  public void setRescaleGrad(double rescaleGrad) {
    requireFinite("rescale_grad", rescaleGrad);
    synchronized (lock) {
      this.rescaleGrad = rescaleGrad;
    }
  }

  /** The clipping bound, or empty when not set. Clipping is on only when it is set and &gt; 0. */
  public java.util.OptionalDouble clipGradient() {
    return clipGradient == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(clipGradient);
  }

  public LrScheduler lrScheduler() {
    return lrScheduler;
  }

  public boolean multiPrecision() {
    return multiPrecision;
  }

  /** The {@code seed} parameter: with the parameter's index and update count, it keys the noise of {@code normal()}. */
  public long seed() {
    return seed;
  }

  public Map<Integer, String> paramIdx2Name() {
    return idx2name;
  }

  /** Hyperparameter values by name, in spec order. */
  public Map<String, Double> hyperparameters() {
    Map<String, Double> result = new java.util.LinkedHashMap<>();
    for (int i = 0; i < hyperparameters.length; i++) {
      result.put(descriptor.hyperparameterNames().get(i), hyperparameters[i]);
    }
    return result;
  }

  protected final double hyperparameter(String hyperparameterName) {
    int i = descriptor.hyperparameterNames().indexOf(hyperparameterName);
    if (i < 0) {
      throw new IllegalArgumentException(name() + " has no hyperparameter '" + hyperparameterName + "'");
    }
    return hyperparameters[i];
  }

  static void requireFinite(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number, found " + value);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return name() + hyperparameters() + " lr=" + lr + " wd=" + wd;
    }
  }
}
