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

  private record Case(int line, String optimizer, Map<String, Object> params, float[] weight, JsonArray steps) {
    @Override
    public String toString() {
      return optimizer + " " + params + " (line " + line + ")";
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

  private static void replay(Case c, Optimizer optimizer) {
    Tensor weight = Tensor.of(c.weight().clone());
    OptimizerState state = optimizer.createState(0, weight);
    for (int step = 0; step < c.steps().size(); step++) {
      JsonObject expected = c.steps().get(step).getAsJsonObject();
      optimizer.update(0, weight, Tensor.of(floats(expected.getAsJsonArray("grad"))), state);
      assertSameBits(c, step, "weight", floats(expected.getAsJsonArray("weight")), weight.floatData());
      JsonObject states = expected.getAsJsonObject("states");
      assertEquals(new TreeSet<>(states.keySet()), new TreeSet<>(state.names()), c + ": the states");
      for (String name : states.keySet()) {
        assertSameBits(c, step, name, floats(states.getAsJsonArray(name)), state.get(name).floatData());
      }
    }
  }

  private static void assertSameBits(Case c, int step, String what, float[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        fail(c + ", update " + (step + 1) + ": " + what + "[" + i + "] is " + actual[i] + " (0x"
            + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "), the reference gives " + expected[i] + " (0x"
            + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
      }
    }
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
        cases.add(new Case(line, o.get("optimizer").getAsString(), params, floats(o.getAsJsonArray("weight")),
            o.getAsJsonArray("steps")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static float[] floats(JsonArray hex) {
    float[] values = new float[hex.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hex.get(i).getAsString(), 16));
    }
    return values;
  }
}
