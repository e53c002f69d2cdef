package org.optikern.model;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.optikern.lang.Statement;

/**
 * Which names a spec may give its hyperparameters, states and switches. They become Java fields,
 * parameters, locals and accessors of generated code, so they must be lower-case identifiers that
 * collide with nothing the generated code or the {@code Optimizer} API already uses.
 */
final class NameRules {
  /** Registry keys: any identifier-like name; matched case-insensitively. */
  static final Pattern REGISTRY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** MXNet's style, and what keeps spec names apart from the generated code's types and constants. */
  static final Pattern SPEC_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** Locals and parameters of generated kernels and constructors. */
  static final List<String> GENERATED_LOCALS = List.of("i", "end", "upper", "offset", "length", "scalars", "states",
      "params", "dtype", OptimizerModel.NOISE_KEY, "normals", "batch", "batch_end", "lane");

  /**
   * Endings of the locals generated kernels derive from a spec name: {@code g_i} (an element's value),
   * {@code lr_v} (a broadcast), and a reduction {@code x}'s {@code x_lanes}, {@code x_term},
   * {@code x_partials}, {@code x_partials_next} and {@code x_stepped}. A spec name with one of them
   * could be declared twice in one kernel ({@code let x_partials = sum(...)} next to a reduction
   * {@code x}), and javac would fail the generated code instead of the spec getting an error.
   */
  static final List<String> GENERATED_ENDINGS = List.of("_i", "_v", "_lanes", "_term", "_partials", "_partials_next",
      "_stepped");

  /**
   * Zero-argument public and protected methods of {@code Optimizer} and its superclasses ({@code Object}'s
   * {@code clone} and {@code finalize} too): a hyperparameter's accessor must not override one.
   * {@code NameRulesTest} checks this list against the classes.
   */
  static final Set<String> OPTIMIZER_ACCESSORS = Set.of("name", "descriptor", "numUpdate", "beginNumUpdate",
      "getLearningRate", "wd", "rescaleGrad", "clipGradient", "lrScheduler", "multiPrecision", "paramIdx2Name",
      "hyperparameters", "toString", "hashCode", "getClass", "notify", "notifyAll", "wait", "clone", "finalize",
      "constructionScalars", "parallelThreshold", "parallelism", "registeredNames", "seed", "parameterGroups");

  static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
      "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
      "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
      "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
      "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
      "null", "var", "yield", "record", "sealed", "permits", "non_sealed");

  private NameRules() {}

  /**
   * Why {@code name} cannot name a {@code let} temporary, which only ever becomes a local of a
   * kernel ({@code g_i}, or {@code g} when hoisted); null if it can.
   */
  static String problemWithLocal(String name) {
    if (!SPEC_NAME.matcher(name).matches()) {
      return "is not a valid name (a lower-case letter, then lower-case letters, digits or '_')";
    }
    if (JAVA_KEYWORDS.contains(name)) {
      return "is a Java keyword";
    }
    if (name.equals(Statement.LET)) {
      return "is the keyword that declares a temporary";
    }
    if (GENERATED_LOCALS.contains(name) || GENERATED_ENDINGS.stream().anyMatch(name::endsWith)
        || name.startsWith("inv_") || name.startsWith("lit_")) {
      return "is reserved for generated code (" + String.join(", ", GENERATED_LOCALS) + ", names ending in '"
          + String.join("', '", GENERATED_ENDINGS) + "', names starting with 'inv_' or 'lit_')";
    }
    return null;
  }

  /** Why {@code name} cannot name a hyperparameter, state, switch or scalar; null if it can. */
  static String problemWith(String name) {
    String asLocal = problemWithLocal(name);
    if (asLocal != null) {
      return asLocal;
    }
    if (OptimizerModel.COMMON_PARAMETERS.contains(name)) {
      return "is a parameter every optimizer takes";
    }
    if (OPTIMIZER_ACCESSORS.contains(SwitchSet.accessorName(name))) {
      return "would make the accessor " + SwitchSet.accessorName(name) + "(), which every optimizer already has";
    }
    return null;
  }
}
