package org.optikern.processor;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import org.optikern.model.SwitchSet;

/** How values and formulas are spelled in generated Java: literals of lists and switch sets, and text for comments. */
final class GeneratedText {
  private GeneratedText() {}

  static CodeBlock switchSetLiteral(SwitchSet switches) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of($L", SwitchSet.class, listOf(List.copyOf(switches.values().keySet())));
    switches.values().values().forEach(v -> code.add(", $L", v));
    return code.add(")").build();
  }

  static CodeBlock listOf(List<String> items) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < items.size(); i++) {
      code.add(i == 0 ? "$S" : ",$W$S", items.get(i)); // $W: JavaPoet may wrap a long list there
    }
    return code.add(")").build();
  }

  /** {@code Map.ofEntries(Map.entry("k", "v"), ...)}, in {@code pairs}' order. */
  static CodeBlock mapOf(java.util.Map<String, String> pairs) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.ofEntries(", java.util.Map.class);
    int i = 0;
    for (java.util.Map.Entry<String, String> pair : pairs.entrySet()) {
      code.add(i++ == 0 ? "$T.entry($S,$W$S)" : ",$W$T.entry($S,$W$S)", java.util.Map.class, pair.getKey(),
          pair.getValue());
    }
    return code.add(")").build();
  }

  static String escapeJavadoc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
        .replace("@", "&#64;").replace("\\", "&#92;");
  }

  /** For {@code //} comments: a formula written over several lines (a text block) on one line. */
  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }
}
