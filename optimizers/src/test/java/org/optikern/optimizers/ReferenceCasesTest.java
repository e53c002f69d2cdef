package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * The built-in optimizers against golden cases worked out from the reference formulas:
 * {@code golden/zoo-reference.jsonl}, written by {@code tools/golden/zoo_reference.py}, an
 * independent numpy float32 re-implementation of what MXNet 1.9.1 (2.0 for AdamW and AdaBelief,
 * lion-pytorch for Lion) computes, Python layer included (update counts from
 * {@code begin_num_update}, bias corrections in double). Each case runs four updates through
 * {@code Optimizer.create(name, params)} and, separately, through the interpreter of the spec;
 * after every update the weight and every state must equal the reference bit for bit (any NaN
 * equals any NaN: numpy's 0/0 has another payload than Java's).
 */
class ReferenceCasesTest {
  private static final String RESOURCE = "/golden/zoo-reference.jsonl";

  /** Signum's cases are real MXNet outputs, in the generated-tests module. */
  private static final Set<String> CHECKED_ELSEWHERE = Set.of("signum");

  private record Case(int line, String optimizer, DType dtype, int index, Map<String, Object> params, Tensor weight,
      JsonArray steps) {
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
      updater.update(List.of(c.index()), List.of(weight), List.of(tensor(c.dtype(), expected.getAsJsonArray("grad"))));
      compare(c, step, expected, weight, updater.state(c.index()).orElseThrow());
    }
  }

  private static void replay(Case c, Optimizer optimizer) {
    Tensor weight = c.weight().copy();
    OptimizerState state = optimizer.createState(c.index(), weight);
    for (int step = 0; step < c.steps().size(); step++) {
      JsonObject expected = c.steps().get(step).getAsJsonObject();
      optimizer.update(c.index(), weight, tensor(c.dtype(), expected.getAsJsonArray("grad")), state);
      compare(c, step, expected, weight, state);
    }
  }

  private static void compare(Case c, int step, JsonObject expected, Tensor weight, OptimizerState state) {
    assertSameBits(c, step, "weight", tensor(c.dtype(), expected.getAsJsonArray("weight")), weight);
    JsonObject states = expected.getAsJsonObject("states");
    assertEquals(new TreeSet<>(states.keySet()), new TreeSet<>(state.names()), c + ": the states");
    for (String name : states.keySet()) {
      assertSameBits(c, step, name, tensor(c.dtype(), states.getAsJsonArray(name)), state.get(name));
    }
    // scalar states (Nadam's m_schedule, LARS's last_lr): every one the optimizer keeps, bit for bit
    JsonObject scalars = expected.has("scalars") ? expected.getAsJsonObject("scalars") : new JsonObject();
    assertEquals(new TreeSet<>(scalars.keySet()), new TreeSet<>(state.scalarNames()), c + ": the scalar states");
    for (String name : scalars.keySet()) {
      double value = Double.longBitsToDouble(Long.parseUnsignedLong(scalars.get(name).getAsString(), 16));
      if (Double.doubleToLongBits(value) != Double.doubleToLongBits(state.scalar(name))) {
        fail(c + ", update " + (step + 1) + ": scalar state " + name + " is " + state.scalar(name)
            + ", the reference gives " + value);
      }
    }
  }

  private static void assertSameBits(Case c, int step, String what, Tensor expected, Tensor actual) {
    for (int i = 0; i < expected.size(); i++) {
      long e = bits(expected, i);
      long a = bits(actual, i);
      if (e != a) {
        fail(c + ", update " + (step + 1) + ": " + what + "[" + i + "] is " + actual.get(i) + " (0x" + Long.toHexString(a)
            + "), the reference gives " + expected.get(i) + " (0x" + Long.toHexString(e) + ")");
      }
    }
  }

  /** Raw bits but for NaN, which numpy and Java give different payloads. */
  private static long bits(Tensor t, int i) {
    return t.dtype() == DType.FLOAT64 ? Double.doubleToLongBits(t.doubleData()[i])
        : Float.floatToIntBits(t.floatData()[i]);
  }

  @Test
  void theCasesCoverFloat64OtherIndicesAndScalarStates() {
    List<Case> cases = load();
    assertTrue(cases.stream().filter(c -> c.dtype() == DType.FLOAT64).count() >= 25, "float64 cases");
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
        cases.add(new Case(line, o.get("optimizer").getAsString(), dtype, index, params,
            tensor(dtype, o.getAsJsonArray("weight")), o.getAsJsonArray("steps")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static Tensor tensor(DType dtype, JsonArray hex) {
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
