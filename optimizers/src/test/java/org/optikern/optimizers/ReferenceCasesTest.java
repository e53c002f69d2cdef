package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.SwitchSet;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;
import org.optikern.tensor.Tensor;

/**
 * The built-in optimizers against golden cases worked out from the reference formulas:
 * {@code golden/zoo-reference.jsonl}, written by {@code tools/golden/zoo_reference.py}, an
 * independent numpy float32 re-implementation of what MXNet 1.9.1 (2.0 for AdamW and AdaBelief,
 * lion-pytorch for Lion, PyTorch for RAdam, TensorFlow Addons for Yogi) computes, Python layer
 * included (update counts from
 * {@code begin_num_update}, bias corrections in double). Each case runs four updates through
 * {@code Optimizer.create(name, params)} and, separately, through the interpreter of the spec;
 * after every update the weight and every state must equal the reference bit for bit (any NaN
 * equals any NaN: numpy's 0/0 has another payload than Java's), except in the float64 cases of the
 * optimizers whose double arithmetic calls the C library (pow, exp, log), compared within measured
 * ulp bounds ({@link #ULPS_LIBM_64}). float32 cases for every optimizer, float64 for every one too,
 * float16 (Optikern's semantics: float arithmetic, each store rounded to half and read back) for
 * the fourteen whose MXNet kernels store where the specs do (NovoGrad's, and LBSGD but for its 'lars' strategy); the
 * weights and gradients are float16
 * tensors, updated without {@code multi_precision}.
 */
class ReferenceCasesTest {
  private static final String RESOURCE = "/golden/zoo-reference.jsonl";

  /** Signum's cases are real MXNet outputs, in the generated-tests module. */
  private static final Set<String> CHECKED_ELSEWHERE = Set.of("signum");

  /**
   * The optimizers whose float64 arithmetic calls pow, exp or log (bias corrections, FTML's,
   * LAMB's, RAdam's and Yogi's {@code beta^t}, Adafactor's {@code t^decay_rate}, Nadam's schedule,
   * the rare paths of SGLD's noise):
   * Optikern calls {@code StrictMath} (fdlibm), the reference Python's, i.e. the C library's (glibc),
   * and the two differ in the last bit of some doubles. For the powers these cases take, glibc's are
   * the correctly rounded ones and {@code StrictMath.pow} is one ulp off for 0.9^4, 0.8^8 and 0.6^10.
   * A reference of correctly rounded values (Python's {@code fractions}, {@code decimal}) would not
   * match bit for bit either, so these cases are compared within a bound of ulps instead:
   * {@link #ULPS_LIBM_64}. Every other case, of every dtype, is compared bit for bit. SGLD's noise
   * takes an exponential only in the 28 of its 1800 draws here that test a ziggurat wedge, and a
   * logarithm only in the tail (none here); those decisions all agree, so its cases match bit for
   * bit (its bound would be 0).
   */
  static final Set<String> LIBM_IN_DOUBLE =
      Set.of("adam", "adamw", "adabelief", "adamax", "ftml", "lamb", "sgld", "nadam", "radam", "yogi", "adafactor");

  /**
   * For the float64 cases of {@link #LIBM_IN_DOUBLE}, by optimizer and array: the most an element
   * may differ from the reference, in ulps of the larger of the two magnitudes
   * ({@code |a - b| <= k*ulp(max(|a|, |b|))}, so an element near zero gets a bound near zero). Each
   * bound is the maximum measured over these cases, generated, interpreted and in pieces alike
   * ({@link #theUlpBoundsAreTheMeasuredMaxima} keeps them so); an array not listed (Adam's moments,
   * Nadam's arrays and its {@code m_schedule}, ...) never differed and is compared bit for bit.
   * Elements that differ, of 1800 per array (600 for each of three cases; LAMB 3000): Adam's weight
   * 1, AdamW's 12, AdaBelief's 13, Adamax's 5, FTML's d and z 150 each and weight 64, LAMB's
   * direction 598 and weight 3; of 2400 (600 for each of four cases) RAdam's weight 1 and Yogi's
   * 206. The bounds above 4 come from cancellation: Adamax's weight 2.3e-4 after a step of about its
   * size (12 ulps), LAMB's direction {@code mean_hat/(...) + wd*weight} (8), Yogi's weight 0.087
   * shrunk to 1.5e-4 by its L1 proximal step {@code (c*sign(b) - b)/a} (1023 ulps; its other cases
   * stay within 4). Adafactor's {@code beta2t = 1 - t^decay_rate}: its case with decay_rate -0.5 gives
   * a second moment a few ulps apart (its row statistics 4, columns 1), and every weight bit for bit.
   */
  static final Map<String, Double> ULPS_LIBM_64 = Map.ofEntries(
      Map.entry("adam weight", 1.0), Map.entry("adamw weight", 2.0), Map.entry("adabelief weight", 2.0),
      Map.entry("adamax weight", 12.0), Map.entry("ftml d", 4.0), Map.entry("ftml z", 4.0),
      Map.entry("ftml weight", 3.0), Map.entry("lamb direction", 8.0), Map.entry("lamb weight", 1.0),
      Map.entry("radam weight", 1.0), Map.entry("yogi weight", 1023.0), Map.entry("adafactor v_row", 4.0),
      Map.entry("adafactor v_col", 1.0));

  private static final Logger OPTIKERN_LOG = Logger.getLogger("org.optikern");
  private static boolean logPrinted;

  /** float16 cases log MXNet's warning about float16 accumulation at every createState: not printed here. */
  @BeforeAll
  static void quietFloat16Warnings() {
    logPrinted = OPTIKERN_LOG.getUseParentHandlers();
    OPTIKERN_LOG.setUseParentHandlers(false);
  }

  @AfterAll
  static void restoreLogging() {
    OPTIKERN_LOG.setUseParentHandlers(logPrinted);
  }

  private record Case(int line, String optimizer, DType dtype, int index, Map<String, Object> params, Tensor weight,
      JsonArray steps) {
    /** A gradient of the case: hex values in the weight's shape (a case with a "shape" is not a vector). */
    Tensor grad(JsonObject step) {
      return shaped(tensor(dtype, step.getAsJsonArray("grad")), weight.shape());
    }

    @Override
    public String toString() {
      return optimizer + " " + dtype.mxnetName() + " index " + index + " " + params + " (line " + line + ")";
    }
  }

  @TestFactory
  Stream<DynamicTest> generatedOptimizers() {
    return load().stream().map(c -> DynamicTest.dynamicTest("generated " + c,
        () -> replay(c, Optimizer.create(c.optimizer(), c.params()))));
  }

  @TestFactory
  Stream<DynamicTest> interpretedSpecs() {
    return load().stream().map(c -> DynamicTest.dynamicTest("interpreted " + c,
        () -> replay(c, InterpretedOptimizer.create(c.optimizer(), c.params()))));
  }

  /**
   * Through a multi-tensor update on 3 cores with no threshold: the 150-element float64 cases are
   * updated in pieces at offsets 0, 64 and 128, so the kernels run on ranges that do not start at 0.
   */
  @TestFactory
  Stream<DynamicTest> generatedOptimizersInPieces() {
    return load().stream().map(c -> DynamicTest.dynamicTest("generated in pieces " + c, () -> {
      Optimizer optimizer = Optimizer.create(c.optimizer(), c.params());
      optimizer.setParallelism(3);
      optimizer.setParallelThreshold(1);
      replayInPieces(c, new Updater(optimizer));
    }));
  }

  /** Every optimizer of this module, by its registry name (aliases share the cases of their optimizer). */
  @Test
  void everyBuiltInOptimizerHasAtLeastThreeCases() {
    Map<String, Integer> counts = new HashMap<>();
    load().forEach(c -> counts.merge(c.optimizer(), 1, Integer::sum));
    for (String name : Optimizer.registeredNames()) {
      Optimizer optimizer = Optimizer.create(name);
      if (!optimizer.getClass().getPackageName().equals(getClass().getPackageName())
          || !optimizer.name().equals(name) || CHECKED_ELSEWHERE.contains(name)) {
        continue;
      }
      int n = counts.getOrDefault(name, 0);
      assertTrue(n >= 3, name + " has " + n + " reference cases in " + RESOURCE + "; add them to tools/golden");
    }
  }

  private static void replayInPieces(Case c, Updater updater) {
    Tensor weight = c.weight().copy();
    for (int step = 0; step < c.steps().size(); step++) {
      JsonObject expected = c.steps().get(step).getAsJsonObject();
      updater.update(List.of(c.index()), List.of(weight), List.of(c.grad(expected)));
      compare(c, step, expected, weight, updater.state(c.index()).orElseThrow());
    }
  }

  private static void replay(Case c, Optimizer optimizer) {
    Tensor weight = c.weight().copy();
    OptimizerState state = optimizer.createState(c.index(), weight);
    for (int step = 0; step < c.steps().size(); step++) {
      JsonObject expected = c.steps().get(step).getAsJsonObject();
      optimizer.update(c.index(), weight, c.grad(expected), state);
      compare(c, step, expected, weight, state);
    }
  }

  /** How many ulps an element of {@code array} may differ in case {@code c}: 0 means bit for bit. */
  static double ulpBound(Case c, String array) {
    return c.dtype() == DType.FLOAT64 && LIBM_IN_DOUBLE.contains(c.optimizer())
        ? ULPS_LIBM_64.getOrDefault(c.optimizer() + " " + array, 0.0) : 0;
  }

  static void compare(Case c, int step, JsonObject expected, Tensor weight, OptimizerState state) {
    assertSame(c, step, "weight", tensor(c.dtype(), expected.getAsJsonArray("weight")), weight);
    JsonObject states = expected.getAsJsonObject("states");
    assertEquals(new TreeSet<>(states.keySet()), new TreeSet<>(state.names()), c + ": the states");
    for (String name : states.keySet()) {
      assertSame(c, step, name, tensor(c.dtype(), states.getAsJsonArray(name)), state.get(name));
    }
    // scalar states (Nadam's m_schedule, LARS's last_lr): every one the optimizer keeps, bit for bit
    JsonObject scalars = expected.has("scalars") ? expected.getAsJsonObject("scalars") : new JsonObject();
    assertEquals(new TreeSet<>(scalars.keySet()), new TreeSet<>(state.scalarNames()), c + ": the scalar states");
    for (String name : scalars.keySet()) {
      double value = Double.longBitsToDouble(Long.parseUnsignedLong(scalars.get(name).getAsString(), 16));
      double bound = ulpBound(c, name);
      if (bound > 0) {
        assertWithinUlps(c, step, "scalar state " + name, value, state.scalar(name), bound);
      } else if (Double.doubleToLongBits(value) != Double.doubleToLongBits(state.scalar(name))) {
        fail(c + ", update " + (step + 1) + ": scalar state " + name + " is " + state.scalar(name)
            + ", the reference gives " + value);
      }
    }
  }

  private static void assertSame(Case c, int step, String what, Tensor expected, Tensor actual) {
    double bound = ulpBound(c, what);
    if (bound > 0) {
      for (int i = 0; i < expected.size(); i++) {
        assertWithinUlps(c, step, what + "[" + i + "]", expected.get(i), actual.get(i), bound);
      }
      return;
    }
    for (int i = 0; i < expected.size(); i++) {
      long e = bits(expected, i);
      long a = bits(actual, i);
      if (e != a) {
        fail(c + ", update " + (step + 1) + ": " + what + "[" + i + "] is " + actual.get(i) + " (0x" + Long.toHexString(a)
            + "), the reference gives " + expected.get(i) + " (0x" + Long.toHexString(e) + ")");
      }
    }
  }

  /**
   * {@code |actual - expected| <= bound*ulp(max(|actual|, |expected|))}: relative to each element's
   * own magnitude, so an element near zero gets a bound near zero. NaN equals NaN only, an infinity
   * only itself.
   */
  private static void assertWithinUlps(Case c, int step, String what, double expected, double actual, double bound) {
    double ulps = ulps(expected, actual);
    if (!(ulps <= bound)) {
      fail(c + ", update " + (step + 1) + ": " + what + " is " + actual + " (0x" + Long.toHexString(
          Double.doubleToLongBits(actual)) + "), the reference gives " + expected + " (0x" + Long.toHexString(
          Double.doubleToLongBits(expected)) + "): " + ulps + " ulps apart, more than " + bound);
    }
  }

  /**
   * How far apart, in ulps of the larger magnitude: 0 for equal values and for two NaNs, infinity
   * when only one is NaN or an infinity and they differ.
   */
  static double ulps(double expected, double actual) {
    if (expected == actual || Double.isNaN(expected) && Double.isNaN(actual)) {
      return 0;
    }
    if (!Double.isFinite(expected) || !Double.isFinite(actual)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.abs(actual - expected) / Math.ulp(Math.max(Math.abs(expected), Math.abs(actual)));
  }

  /** Raw bits but for NaN, which numpy and Java give different payloads. */
  private static long bits(Tensor t, int i) {
    return switch (t.dtype()) {
      case FLOAT64 -> Double.doubleToLongBits(t.doubleData()[i]);
      case FLOAT32 -> Float.floatToIntBits(t.floatData()[i]);
      case FLOAT16 -> Half.isNaN(t.halfData()[i]) ? Half.NaN : t.halfData()[i] & 0xffff;
    };
  }

  /**
   * Each bound of {@link #ULPS_LIBM_64} is reached by some element, and no unlisted array differs:
   * the bounds are the measured maxima, not looser (through the generated optimizers; the factories
   * above hold the interpreted ones and the pieces to the same bounds).
   */
  @Test
  void theUlpBoundsAreTheMeasuredMaxima() {
    Map<String, Double> measured = new java.util.TreeMap<>();
    for (Case c : load()) {
      if (c.dtype() != DType.FLOAT64 || !LIBM_IN_DOUBLE.contains(c.optimizer())) {
        continue;
      }
      Optimizer optimizer = Optimizer.create(c.optimizer(), c.params());
      Tensor weight = c.weight().copy();
      OptimizerState state = optimizer.createState(c.index(), weight);
      for (JsonElement s : c.steps()) {
        JsonObject expected = s.getAsJsonObject();
        optimizer.update(c.index(), weight, c.grad(expected), state);
        Map<String, Tensor> arrays = new HashMap<>();
        arrays.put("weight", weight);
        state.names().forEach(n -> arrays.put(n, state.get(n)));
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
          JsonArray hex = a.getKey().equals("weight") ? expected.getAsJsonArray("weight")
              : expected.getAsJsonObject("states").getAsJsonArray(a.getKey());
          Tensor e = tensor(c.dtype(), hex);
          for (int i = 0; i < e.size(); i++) {
            double u = ulps(e.get(i), a.getValue().get(i));
            if (u > 0) {
              measured.merge(c.optimizer() + " " + a.getKey(), u, Math::max);
            }
          }
        }
        JsonObject scalars = expected.has("scalars") ? expected.getAsJsonObject("scalars") : new JsonObject();
        for (String name : scalars.keySet()) {
          double u = ulps(Double.longBitsToDouble(Long.parseUnsignedLong(scalars.get(name).getAsString(), 16)),
              state.scalar(name));
          if (u > 0) {
            measured.merge(c.optimizer() + " " + name, u, Math::max);
          }
        }
      }
    }
    assertEquals(new java.util.TreeMap<>(ULPS_LIBM_64), measured);
  }

  /**
   * A mutant Adam whose bias-corrected step size {@code lr_t} is rounded to float, as if the
   * {@code @Scalar} were computed in the kernel's arithmetic rather than in double: every float32
   * case passes it (a float32 kernel rounds {@code lr_t} to float anyway, which is why the float32
   * cases could not see it), every float64 case rejects it, within the ulp bound as well.
   */
  @Test
  void theFloat64BoundRejectsAnAdamWithItsStepSizeInFloat() {
    int lrT = org.optikern.verify.KernelVerification.interpreterOf(AdamSpec.class).model().scalarIndex("lr_t");
    int float32 = 0;
    int float64 = 0;
    for (Case c : load()) {
      if (!c.optimizer().equals("adam")) {
        continue;
      }
      Optimizer mutant = new Optimizer(Adam.DESCRIPTOR, c.params()) {
        @Override
        protected UpdateKernel kernel(DType dtype) {
          return AdamKernels.select(dtype, clipGradient().orElse(-1) > 0);
        }

        @Override
        protected void deriveScalars(double[] scalars) {
          AdamKernels.deriveScalars(scalars);
          scalars[lrT] = (float) scalars[lrT];
        }
      };
      if (c.dtype() == DType.FLOAT64) {
        AssertionError e = assertThrows(AssertionError.class, () -> replay(c, mutant), c + " let the mutant through");
        assertTrue(e.getMessage().contains("ulps apart, more than 1.0"), e.getMessage());
        float64++;
      } else if (c.dtype() == DType.FLOAT32) {
        replay(c, mutant);
        float32++;
      }
    }
    assertEquals(List.of(3, 3), List.of(float32, float64));
  }

  /**
   * Mutant float16 kernels that compute the whole update in float, through the float32 kernel, and
   * round to half only when writing the arrays back: a formula then reads the float an earlier one
   * assigned, not the half stored (SGD's {@code weight = weight + mom}, Adam's weight from its
   * moments). Every float16 case of SGD with momentum and of Adam rejects them; SGD without momentum,
   * which stores once, passes (the mutant is equivalent there).
   */
  @Test
  void theFloat16CasesRejectKernelsThatRoundToHalfOnlyAtTheEnd() {
    Map<String, Integer> rejected = new java.util.TreeMap<>();
    for (Case c : load()) {
      if (c.dtype() != DType.FLOAT16 || !Set.of("sgd", "adam").contains(c.optimizer())) {
        continue;
      }
      boolean momentum = c.optimizer().equals("sgd") && ((Number) c.params().getOrDefault("momentum", 0.0)).doubleValue() != 0;
      Optimizer mutant = new Optimizer(c.optimizer().equals("sgd") ? Sgd.DESCRIPTOR : Adam.DESCRIPTOR, c.params()) {
        @Override
        protected UpdateKernel kernel(DType dtype) {
          boolean clipped = clipGradient().orElse(-1) > 0;
          UpdateKernel f32 = c.optimizer().equals("sgd") ? SgdKernels.select(DType.FLOAT32, momentum, clipped)
              : AdamKernels.select(DType.FLOAT32, clipped);
          return dtype == DType.FLOAT16 ? roundingToHalfOnlyAtTheEnd(f32) : null;
        }

        @Override
        protected void deriveScalars(double[] scalars) {
          if (c.optimizer().equals("adam")) {
            AdamKernels.deriveScalars(scalars);
          }
        }
      };
      if (c.optimizer().equals("sgd") && !momentum) {
        replay(c, mutant);
        rejected.merge("sgd without momentum", 0, Integer::sum);
      } else {
        AssertionError e = assertThrows(AssertionError.class, () -> replay(c, mutant), c + " let the mutant through");
        assertTrue(e.getMessage().contains("the reference gives"), e.getMessage());
        rejected.merge(momentum ? "sgd with momentum" : c.optimizer(), 1, Integer::sum);
      }
    }
    assertEquals(Map.of("adam", 3, "sgd with momentum", 2, "sgd without momentum", 0), rejected);
  }

  private static UpdateKernel roundingToHalfOnlyAtTheEnd(UpdateKernel f32) {
    return new UpdateKernel() {
      @Override
      public DType dtype() {
        return DType.FLOAT16;
      }

      @Override
      public SwitchSet switches() {
        return f32.switches();
      }

      @Override
      public List<String> stateNames() {
        return f32.stateNames();
      }

      @Override
      public void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars) {
        Object[] wide = new Object[states.length];
        for (int s = 0; s < states.length; s++) {
          wide[s] = widen((short[]) states[s]);
        }
        float[] w = widen((short[]) weight);
        f32.update(w, widen((short[]) grad), wide, offset, length, scalars);
        for (int i = offset; i < offset + length; i++) {
          ((short[]) weight)[i] = Half.fromFloat(w[i]);
          for (int s = 0; s < states.length; s++) {
            ((short[]) states[s])[i] = Half.fromFloat(((float[]) wide[s])[i]);
          }
        }
      }
    };
  }

  private static float[] widen(short[] halfs) {
    float[] floats = new float[halfs.length];
    for (int i = 0; i < halfs.length; i++) {
      floats[i] = Half.toFloat(halfs[i]);
    }
    return floats;
  }

  @Test
  void theCasesCoverFloat64OtherIndicesAndScalarStates() {
    List<Case> cases = load();
    assertTrue(cases.stream().filter(c -> c.dtype() == DType.FLOAT64).count() >= 25, "float64 cases");
    for (String name : LIBM_IN_DOUBLE) {
      assertTrue(cases.stream().filter(c -> c.dtype() == DType.FLOAT64 && c.optimizer().equals(name)).count() >= 3,
          name + ": float64 cases");
    }
    // float16: the optimizers whose MXNet kernels store exactly where the specs do (tools/golden)
    for (String name : List.of("sgd", "nag", "signum", "adam", "adamw", "adabelief", "lion", "rmsprop", "ftrl", "ftml",
        "lamb", "lars", "novograd", "lbsgd")) {
      assertTrue(cases.stream().filter(c -> c.dtype() == DType.FLOAT16 && c.optimizer().equals(name)).count() >= 3,
          name + ": float16 cases");
    }
    assertTrue(cases.stream().anyMatch(c -> c.index() != 0), "a case at another index");
    assertTrue(cases.stream().anyMatch(c -> c.weight().size() > 9), "a longer case");
    assertTrue(cases.stream().anyMatch(c -> c.steps().get(0).getAsJsonObject().has("scalars")), "scalar states");
  }

  private static List<Case> load() {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = ReferenceCasesTest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int line = 0;
      for (String text; (text = reader.readLine()) != null; ) {
        line++;
        JsonObject o = JsonParser.parseString(text).getAsJsonObject();
        Map<String, Object> params = new HashMap<>();
        for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
          JsonElement v = p.getValue();
          if (v.isJsonObject()) { // param_idx2name
            Map<Integer, String> names = new HashMap<>();
            v.getAsJsonObject().entrySet().forEach(n -> names.put(Integer.valueOf(n.getKey()), n.getValue().getAsString()));
            params.put(p.getKey(), names);
            continue;
          }
          params.put(p.getKey(), v.getAsJsonPrimitive().isBoolean() ? (Object) v.getAsBoolean()
              : p.getKey().equals("begin_num_update") ? (Object) v.getAsInt()
              : p.getKey().equals("seed") ? (Object) v.getAsLong() : (Object) v.getAsDouble());
        }
        DType dtype = o.has("dtype") ? DType.valueOf(o.get("dtype").getAsString().toUpperCase(java.util.Locale.ROOT))
            : DType.FLOAT32;
        int index = o.has("index") ? o.get("index").getAsInt() : 0;
        Tensor weight = tensor(dtype, o.getAsJsonArray("weight"));
        if (o.has("shape")) { // Adafactor's matrices
          int[] shape = new int[o.getAsJsonArray("shape").size()];
          for (int d = 0; d < shape.length; d++) {
            shape[d] = o.getAsJsonArray("shape").get(d).getAsInt();
          }
          weight = shaped(weight, shape);
        }
        cases.add(new Case(line, o.get("optimizer").getAsString(), dtype, index, params, weight,
            o.getAsJsonArray("steps")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  /** {@code vector}'s values in {@code shape}. */
  static Tensor shaped(Tensor vector, int[] shape) {
    return switch (vector.dtype()) {
      case FLOAT16 -> Tensor.ofHalf(vector.halfData(), shape);
      case FLOAT64 -> Tensor.of(vector.doubleData(), shape);
      case FLOAT32 -> Tensor.of(vector.floatData(), shape);
    };
  }

  static Tensor tensor(DType dtype, JsonArray hex) {
    if (dtype == DType.FLOAT16) {
      short[] values = new short[hex.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (short) Integer.parseUnsignedInt(hex.get(i).getAsString(), 16);
      }
      return Tensor.ofHalf(values);
    }
    if (dtype == DType.FLOAT64) {
      double[] values = new double[hex.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Double.longBitsToDouble(Long.parseUnsignedLong(hex.get(i).getAsString(), 16));
      }
      return Tensor.of(values);
    }
    float[] values = new float[hex.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hex.get(i).getAsString(), 16));
    }
    return Tensor.of(values);
  }
}
