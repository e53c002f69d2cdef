package org.optikern.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Arbitrary text as a formula or a condition never makes the processor fail: it compiles, or
 * every error is a spec error on the annotation with the column of the offending text.
 */
class FormulaFuzzProperties {
  private static final String VALID = "mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)";

  @Provide
  Arbitrary<String> formulas() {
    Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> languageCharacters = Arbitraries.strings().withChars("weightradmomlpcsqx()+-*/=,.0123456789e_ !&|<>")
        .ofMaxLength(50);
    // near misses: the valid formula with one stretch deleted, duplicated or replaced
    Arbitrary<String> nearMisses = Arbitraries.integers().between(0, VALID.length()).tuple3().flatMap(t -> {
      int from = Math.min(t.get1(), t.get2());
      int to = Math.max(t.get1(), t.get2());
      return Arbitraries.of(
          VALID.substring(0, from) + VALID.substring(to),
          VALID.substring(0, to) + VALID.substring(from),
          VALID.substring(0, from) + "(" + VALID.substring(from, to) + VALID.substring(to),
          VALID.substring(0, from) + VALID.substring(from, to).toUpperCase(Locale.ROOT) + VALID.substring(to),
          VALID.substring(0, from) + "1e999" + VALID.substring(to));
    });
    return Arbitraries.oneOf(anyText, languageCharacters, nearMisses);
  }

  @Property(tries = 150)
  void anyFormulaCompilesOrIsAPositionedSpecError(@ForAll("formulas") String formula) {
    assertSpecErrorsOnly(formula, compile(
        "@Update(when = \"momentum\", formulas = {\"" + javaString(formula) + "\", \"weight = weight + mom\"})",
        "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*grad\")"));
  }

  @Property(tries = 60)
  void anyConditionCompilesOrIsAPositionedSpecError(@ForAll("formulas") String condition) {
    assertSpecErrorsOnly(condition, compile(
        "@Update(when = \"" + javaString(condition) + "\", formulas = {\"mom = mom\", \"weight = weight + mom\"})",
        "@Update(when = \"!(" + javaString(condition) + ")\", formulas = \"weight = weight - lr*grad\")"));
  }

  @Property(tries = 60)
  void anyScalarCompilesOrIsAPositionedSpecError(@ForAll("formulas") String scalar) {
    assertSpecErrorsOnly(scalar, compile("@Scalar(\"" + javaString(scalar) + "\")",
        "@Update(when = \"momentum\", formulas = {\"mom = mom\", \"weight = weight + mom\"})",
        "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*grad\")"));
  }

  private static Compilation compile(String... updates) {
    String[] lines = new String[3 + updates.length];
    lines[0] = "@OptimizerSpec(name = \"fuzzed\")";
    lines[1] = "@Hyperparameter(name = \"momentum\", defaultValue = 0.9)";
    lines[2] = "@Switch(name = \"momentum\", when = \"momentum != 0\") @State(name = \"mom\", when = \"momentum\")";
    System.arraycopy(updates, 0, lines, 3, updates.length);
    JavaFileObject spec = SpecSources.named("FuzzedSpec", lines);
    return javac().withProcessors(new OptimizerSpecProcessor()).compile(spec);
  }

  private static void assertSpecErrorsOnly(String text, Compilation compilation) {
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      String message = error.getMessage(Locale.ROOT);
      assertFalse(message.contains("[OptikernInternal]"), () -> "processor failure on " + show(text) + ":\n" + message);
      assertTrue(error.getLineNumber() > 0, () -> "error without a position for " + show(text) + ": " + message);
      assertTrue(message.contains(" at column ") || message.contains("does not cover") || message.contains("covered by"),
          () -> "error without the column of the offending text for " + show(text) + ": " + message);
    }
  }

  private static String show(String text) {
    StringBuilder shown = new StringBuilder("\"");
    text.codePoints().forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
    return shown.append('"').toString();
  }

  /** The text as the body of a Java string literal: escapes that javac turns back into exactly these chars. */
  private static String javaString(String text) {
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        literal.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        literal.append(c);
      } else if (c < 0x100) {
        literal.append(String.format("\\%03o", (int) c));
      } else {
        literal.append(String.format("\\u%04x", (int) c));
      }
    }
    return literal.toString();
  }
}
