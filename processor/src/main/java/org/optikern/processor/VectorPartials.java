package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Modifier;
import org.optikern.lang.Statement;
import org.optikern.model.KernelPlan;

/**
 * The partial results of a SIMD twin's reductions over the tensor ({@code sumsq}, {@code sum},
 * {@code sumabs}, {@code max(abs)}) and over a row ({@code rowsum}): the scalar kernel's
 * {@code LANES} partials, stepped a vector at a time.
 *
 * <p>Where they fill one or two vectors ({@code PARTIAL_VECTORS}: float32 at 512 or 256 bits,
 * float64 at 512), they are stepped in two vector locals: {@code x_partials}, the partials the
 * current vector of elements joins, and {@code x_partials_next}, the next vector's; after each step
 * the two trade places (with one vector, both are the same lanes). They are loaded from their array
 * before a loop and stored back after it; over rows, before and after each row, as JDK 17's C2 boxes
 * a vector carried across the row loop. Elsewhere (float32 at 128 bits, float64 at 128 or 256) each
 * step loads its partials from the array and stores them back. Either way each partial adds its
 * elements in element order: the same sums, bit for bit.
 *
 * <p>Why not the array everywhere: a partial stepped through memory waits for its own store of one or
 * two vectors before, a store-to-load round trip per 16 elements that the loop cannot overlap. Where
 * memory is fast that is most of a reduction pass's time: Adafactor's pass that only reads the
 * gradient for {@code sumsq(u)} took 3.0x its same-traffic loop with the partials in an array and
 * 1.6x to 1.8x in registers (AMD EPYC, JDK 17 and 25, {@code AdafactorPassesTiming}).
 */
final class VectorPartials {
  /** How many vectors a reduction's {@code LANES} partials fill. */
  static final String PARTIAL_VECTORS = "PARTIAL_VECTORS";
  /** Whether they are stepped in vector locals: one or two vectors. */
  static final String IN_VECTORS = "PARTIALS_IN_VECTORS";
  /** Where the second of two vectors of partials starts in the array; 0 with one (unused with more). */
  static final String NEXT_AT = "NEXT_PARTIALS_AT";

  private final ClassName vectorType;

  VectorPartials(ClassName vectorType) {
    this.vectorType = vectorType;
  }

  /** Whether any pass of {@code plan} steps partials. */
  static boolean anyIn(KernelPlan plan) {
    return plan.passes().stream().anyMatch(loop -> !stepped(loop).isEmpty());
  }

  /** The reductions whose partials a pass steps: over the tensor, then over each row. */
  static List<Statement> stepped(KernelPlan.Loop loop) {
    List<Statement> stepped = new ArrayList<>(loop.laneReductions());
    stepped.addAll(ScalarLoopWriter.rowSums(loop));
    return stepped;
  }

  /** The constants that choose between vector locals and the array, fixed when the class loads. */
  static List<FieldSpec> fields() {
    return List.of(
        FieldSpec.builder(int.class, PARTIAL_VECTORS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("How many vectors a reduction's {@code LANES} partial results fill.\n")
            .initializer("$T.LANES / SPECIES.length()", Storage.KERNEL_MATH).build(),
        FieldSpec.builder(boolean.class, IN_VECTORS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("One or two: stepped in vector locals, not through their array.\n")
            .initializer("$L <= 2", PARTIAL_VECTORS).build(),
        FieldSpec.builder(int.class, NEXT_AT, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Where the second of two vectors of partials starts; 0 with one; unused with more.\n")
            .initializer("($L - 1) * SPECIES.length()", PARTIAL_VECTORS).build());
  }

  /** Before a row's loop: a row is a whole number of {@code LANES} columns, so it starts at lane 0. */
  void loadBeforeRow(MethodSpec.Builder method, KernelPlan.Loop loop) {
    if (!stepped(loop).isEmpty()) {
      method.addComment("a row is a whole number of LANES columns: it starts and ends at lane 0 of the partials");
    }
    loadBeforePass(method, loop);
  }

  /**
   * After a pass's loop: the vector locals back into their arrays, at the lanes the next vector
   * would join, so that the pass's last elements continue them one by one.
   */
  void storeAfterPass(MethodSpec.Builder method, KernelPlan.Loop loop) {
    if (stepped(loop).isEmpty()) {
      return;
    }
    method.beginControlFlow("if ($L)", IN_VECTORS);
    method.addStatement("final int partialsLane = (i - offset) & ($T.LANES - 1)", Storage.KERNEL_MATH);
    // with two vectors, the other one is at the other half of the lanes
    store(method, loop, CodeBlock.of("partialsLane"), CodeBlock.of("partialsLane ^ $L", NEXT_AT));
    method.endControlFlow();
  }

  /** After a row's loop, which ends at lane 0: the vector locals back into their arrays. */
  void storeAfterRow(MethodSpec.Builder method, KernelPlan.Loop loop) {
    if (stepped(loop).isEmpty()) {
      return;
    }
    method.beginControlFlow("if ($L)", IN_VECTORS);
    store(method, loop, CodeBlock.of("0"), CodeBlock.of("$L", NEXT_AT));
    method.endControlFlow();
  }

  /**
   * Before a pass's loop from {@code offset}, whose first vector joins the partials at lane 0: the
   * vector locals, from the array. Loaded at every width, used only in vectors
   * ({@code PARTIALS_IN_VECTORS}); C2 drops them elsewhere.
   */
  void loadBeforePass(MethodSpec.Builder method, KernelPlan.Loop loop) {
    List<Statement> stepped = stepped(loop);
    if (!stepped.isEmpty()) {
      method.addComment("partials in one or two vectors: x_partials, those this vector joins, and");
      method.addComment("x_partials_next, the next vector's (with one vector, the same); they trade places");
    }
    for (Statement reduction : stepped) {
      String lanes = Names.lanesLocal(reduction.target());
      method.addStatement("$T $L = $T.fromArray(SPECIES, $L, 0)", vectorType, partials(reduction), vectorType, lanes);
      method.addStatement("$T $L = $T.fromArray(SPECIES, $L, $L)", vectorType, next(reduction), vectorType, lanes,
          NEXT_AT);
    }
  }

  /** Each reduction's two vector locals into its array; with one vector both hold the same partials. */
  private static void store(MethodSpec.Builder method, KernelPlan.Loop loop, CodeBlock at, CodeBlock nextAt) {
    for (Statement reduction : stepped(loop)) {
      String lanes = Names.lanesLocal(reduction.target());
      method.addStatement("$L.intoArray($L, $L)", next(reduction), lanes, nextAt);
      method.addStatement("$L.intoArray($L, $L)", partials(reduction), lanes, at);
    }
  }

  /**
   * One vector's step of {@code reduction}'s partials, at {@code lane} of the array:
   * {@code addTerm} of the partials before the step is the partials after it.
   */
  void step(MethodSpec.Builder method, Statement reduction, String lane, UnaryOperator<CodeBlock> addTerm) {
    String lanes = Names.lanesLocal(reduction.target());
    String partials = partials(reduction);
    String next = next(reduction);
    String steppedLocal = reduction.target() + "_stepped";
    method.beginControlFlow("if ($L)", IN_VECTORS)
        .addStatement("final $T $L = $L", vectorType, steppedLocal, addTerm.apply(CodeBlock.of("$L", partials)))
        .addStatement("$L = $L == 2 ? $L : $L", partials, PARTIAL_VECTORS, next, steppedLocal)
        .addStatement("$L = $L", next, steppedLocal)
        .nextControlFlow("else")
        .addStatement("$L.intoArray($L, $L)",
            addTerm.apply(CodeBlock.of("$T.fromArray(SPECIES, $L, $L)", vectorType, lanes, lane)), lanes, lane)
        .endControlFlow();
  }

  private static String partials(Statement reduction) {
    return reduction.target() + "_partials";
  }

  private static String next(Statement reduction) {
    return reduction.target() + "_partials_next";
  }
}
