package org.optikern.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.optikern.tensor.DType;

/** One case of {@code golden/signum-mxnet-1.9.1.jsonl}: arrays as raw bit patterns of their dtype. */
record GoldenCase(int line, String op, DType dtype, JsonObject params, long[] weight, long[] mom, List<long[]> grads,
    long[] outWeight, long[] outMom) {

  static final String RESOURCE = "/golden/signum-mxnet-1.9.1.jsonl";

  boolean hasMomentum() {
    return op.equals("signum_update");
  }

  /** A parameter as MXNet's C float; 0 when the op has no such parameter (signsgd: momentum, wd_lh). */
  float param(String name) {
    return params.has(name) ? Float.intBitsToFloat((int) Long.parseLong(params.get(name).getAsString(), 16)) : 0f;
  }

  @Override
  public String toString() {
    return "line " + line + " " + op + " " + dtype.mxnetName() + " n=" + weight.length + " steps=" + grads.size();
  }

  static List<GoldenCase> load() {
    List<GoldenCase> cases = new ArrayList<>();
    try (InputStream in = GoldenCase.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int line = 0;
      for (String text; (text = reader.readLine()) != null; ) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonObject o = JsonParser.parseString(text).getAsJsonObject();
        List<long[]> grads = new ArrayList<>();
        for (var g : o.getAsJsonArray("grads")) {
          grads.add(bits(g.getAsJsonArray()));
        }
        cases.add(new GoldenCase(line, o.get("op").getAsString(), DType.fromMxnetName(o.get("dtype").getAsString()),
            o.getAsJsonObject("params"), bits(o.getAsJsonArray("weight")),
            o.has("mom") && o.get("mom").isJsonArray() ? bits(o.getAsJsonArray("mom")) : null, grads, bits(o.getAsJsonArray("out_weight")),
            o.has("out_mom") && o.get("out_mom").isJsonArray() ? bits(o.getAsJsonArray("out_mom")) : null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static long[] bits(JsonArray array) {
    long[] result = new long[array.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = Long.parseUnsignedLong(array.get(i).getAsString(), 16);
    }
    return result;
  }
}
