package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * Writes the SIMD twin of a float32 or float64 kernel with jdk.incubator.vector: the same plan,
 * lane by lane, with the same operations in the same order (no fused multiply-add, no
 * reassociation, no reductions), so it equals the scalar kernel and the interpreter bit for bit.
 * Vectors cover whole multiples of the species length; the scalar kernel finishes the tail.
 * Written only when the compilation can see the incubator module.
 */
final class VectorKernelWriter {
  static final String VECTOR_PACKAGE = "jdk.incubator.vector";

  private final OptimizerModel model;
  private final KernelWriter scalar;
  private final DType dtype;
  private final ClassName vectorType;
  private final TypeName elementBox;
  private final String literalSuffix;

  VectorKernelWriter(OptimizerModel model, SwitchSet switches, DType dtype) {
    if (dtype == DType.FLOAT16) {
      throw new IllegalArgumentException("no SIMD kernels for float16 storage yet");
    }
    this.model = model;
    this.scalar = new KernelWriter(model, switches, dtype);
    this.dtype = dtype;
    boolean isFloat = dtype == DType.FLOAT32;
    this.vectorType = ClassName.get(VECTOR_PACKAGE, isFloat ? "FloatVector" : "DoubleVector");
    this.elementBox = isFloat ? ClassName.get(Float.class) : ClassName.get(Double.class);
    this.literalSuffix = isFloat ? "f" : "";
  }

  /**
   * Whether this variant gets a SIMD twin: float32 and float64 storage only, and only formulas
   * whose every function computed per element has a lanewise form with the scalar kernel's exact
   * bits. The Vector API's POW, EXP and LOG are not StrictMath's, so a variant calling them per
   * element stays scalar; inside a loop invariant (FTML's {@code 1 - pow(beta1, t)}) they are
   * computed once, before the loop, by the same scalar code, and do not matter.
   */
  static boolean supports(OptimizerModel model, SwitchSet switches, DType dtype) {
    if (dtype == DType.FLOAT16 || model.plan(switches).reduces()) {
      return false; // reductions: sequential passes between the loops, not written for SIMD yet
    }
    Set<String> perElement = new KernelWriter(model, switches, dtype).perElementNames();
    return model.plan(switches).statements().stream().allMatch(s -> lanewiseExact(s.value(), perElement));
  }

  private static boolean lanewiseExact(Expr expr, Set<String> perElement) {
    if (Invariants.isInvariant(expr, perElement)) {
      return true; // hoisted, or a leaf
    }
    if (expr instanceof Expr.Call call && !LANEWISE_EXACT.contains(call.function())) {
      return false;
    }
    if (expr instanceof Expr.Negate negate) {
      return lanewiseExact(negate.operand(), perElement);
    } else if (expr instanceof Expr.Binary binary) {
      return lanewiseExact(binary.left(), perElement) && lanewiseExact(binary.right(), perElement);
    } else if (expr instanceof Expr.Call call) {
      return call.args().stream().allMatch(a -> lanewiseExact(a, perElement));
    }
    return true;
  }

  private static final Set<Function> LANEWISE_EXACT = EnumSet.of(Function.SIGN, Function.CLIP, Function.ABS,
      Function.SQRT, Function.MIN, Function.MAX, Function.SQUARE, Function.GT, Function.EQ, Function.WHERE);

  String className() {
    return Names.vectorKernelClass(model, scalar.plan().switches(), dtype);
  }

  JavaFile write(Generation generation) {
    ClassName species = ClassName.get(VECTOR_PACKAGE, "VectorSpecies");
    FieldSpec speciesField = FieldSpec.builder(ParameterizedTypeName.get(species, elementBox), "SPECIES",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("$T.SPECIES_PREFERRED", vectorType).build();
    Set<Function> used = new LinkedHashSet<>();
    MethodSpec loop = loop(used);
    List<MethodSpec> helpers = new ArrayList<>();
    if (used.contains(Function.SIGN)) {
      helpers.add(signHelper());
    }
    if (used.contains(Function.CLIP)) {
      helpers.add(clipHelper());
    }
    if (used.contains(Function.GT)) {
      helpers.add(comparisonHelper("gt", "GT"));
    }
    if (used.contains(Function.EQ)) {
      helpers.add(comparisonHelper("eq", "EQ"));
    }
    if (used.contains(Function.WHERE)) {
      ClassName operators = ClassName.get(VECTOR_PACKAGE, "VectorOperators");
      helpers.add(MethodSpec.methodBuilder("where").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(vectorType).addParameter(vectorType, "c").addParameter(vectorType, "a").addParameter(vectorType, "b")
          .addStatement("return b.blend(a, c.compare($T.NE, 0$L))", operators, literalSuffix).build());
    }
    if (used.contains(Function.SQUARE)) {
      helpers.add(MethodSpec.methodBuilder("square").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(vectorType).addParameter(vectorType, "x").addStatement("return x.mul(x)").build());
    }
    CodeBlock note = CodeBlock.of("\n<p>SIMD: whole vectors of {@code SPECIES_PREFERRED} lanes, then the tail in "
        + "{@link $L}.\n", scalar.className());
    return scalar.writeClass(generation, className(), loop, note, List.of(speciesField), helpers);
  }

  private MethodSpec loop(Set<Function> used) {
    MethodSpec.Builder method = scalar.updateSignature();
    List<Statement> statements = scalar.declareInvariantTemporaries(method, scalar.plan().statements());
    Map<String, String> hoisted = scalar.hoistInvariants(method, statements, 0);
    Set<String> perElement = scalar.perElementNames();

    // every scalar leaf the lanes need, broadcast once before the loop
    Map<String, String> broadcasts = new LinkedHashMap<>();
    VectorExpressionWriter writer = new VectorExpressionWriter(perElement, hoisted, broadcasts, used);
    List<CodeBlock> bodies = new ArrayList<>();
    for (Statement s : statements) {
      bodies.add(writer.write(s.value()));
    }
    broadcasts.forEach((source, local) -> method.addStatement("final $T $L = $T.broadcast(SPECIES, $L)", vectorType,
        local, vectorType, source));
    if (!broadcasts.isEmpty()) {
      method.addCode("\n");
    }

    method.addStatement("int i = offset");
    method.beginControlFlow("for (int upper = offset + SPECIES.loopBound(length); i < upper; i += SPECIES.length())");
    Set<String> declared = new HashSet<>();
    for (String array : scalar.arraysReadBeforeWritten(statements)) {
      method.addStatement("$T $L = $T.fromArray(SPECIES, $L, i)", vectorType, Names.elementLocal(array), vectorType,
          array);
      declared.add(array);
    }
    for (int k = 0; k < statements.size(); k++) {
      Statement s = statements.get(k);
      method.addComment("$L", KernelWriter.oneLine(s.source()));
      String local = Names.elementLocal(s.target());
      if (s.temporary()) {
        method.addStatement("final $T $L = $L", vectorType, local, bodies.get(k));
      } else if (scalar.readAfter(statements, s.target(), k)) {
        method.addStatement("$L$L = $L", declared.add(s.target()) ? vectorType.simpleName() + " " : "", local,
            bodies.get(k));
        method.addStatement("$L.intoArray($L, i)", local, s.target());
      } else {
        method.addStatement("$L.intoArray($L, i)", bodies.get(k), s.target());
      }
    }
    method.endControlFlow();

    CodeBlock.Builder tail = CodeBlock.builder().add("$T.update(", ClassName.get(model.packageName(), scalar.className()));
    for (String array : scalar.arrays()) {
      tail.add("$L, ", array);
    }
    tail.add("i, offset + length - i");
    for (String s : scalar.scalars()) {
      tail.add(", $L", s);
    }
    method.addComment("the last elements, fewer than one vector: the scalar kernel, same formulas");
    method.addStatement("$L)", tail.build());
    return method.build();
  }

  /** MXNet's {@code (x > 0) - (x < 0)} by compare and blend: 0 for NaN and for -0. */
  private MethodSpec signHelper() {
    ClassName operators = ClassName.get(VECTOR_PACKAGE, "VectorOperators");
    return MethodSpec.methodBuilder("sign").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(vectorType).addParameter(vectorType, "x")
        .addStatement("$T zero = $T.zero(SPECIES)", vectorType, vectorType)
        .addStatement("$T one = $T.broadcast(SPECIES, 1$L)", vectorType, vectorType, literalSuffix)
        .addStatement("return zero.blend(one, x.compare($T.GT, 0$L)).sub(zero.blend(one, x.compare($T.LT, 0$L)))",
            operators, literalSuffix, operators, literalSuffix)
        .build();
  }

  /** MXNet's {@code gt} ({@code x > y ? 1 : 0}) or {@code eq} by compare and blend: 0 for NaN lanes. */
  private MethodSpec comparisonHelper(String name, String comparison) {
    ClassName operators = ClassName.get(VECTOR_PACKAGE, "VectorOperators");
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(vectorType).addParameter(vectorType, "x").addParameter(vectorType, "y")
        .addStatement("return $T.zero(SPECIES).blend($T.broadcast(SPECIES, 1$L), x.compare($T.$L, y))", vectorType,
            vectorType, literalSuffix, operators, comparison)
        .build();
  }

  /** MXNet's {@code x > b ? b : (x < -b ? -b : x)} by compare and blend, for any bound: NaN passes. */
  private MethodSpec clipHelper() {
    ClassName operators = ClassName.get(VECTOR_PACKAGE, "VectorOperators");
    return MethodSpec.methodBuilder("clip").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(vectorType).addParameter(vectorType, "x").addParameter(vectorType, "bound")
        .addStatement("$T low = bound.neg()", vectorType)
        .addStatement("return x.blend(low, x.compare($T.LT, low)).blend(bound, x.compare($T.GT, bound))", operators,
            operators)
        .build();
  }

  /** Formula to lanewise calls; leaves become element vectors, broadcasts or hoisted invariants. */
  private final class VectorExpressionWriter implements Expr.Visitor<CodeBlock> {
    /** Arrays and temporaries: a lane vector each; any other name is a broadcast scalar. */
    private final Set<String> perElement;
    private final Map<String, String> hoisted;
    private final Map<String, String> broadcasts;
    private final Set<Function> used;

    VectorExpressionWriter(Set<String> perElement, Map<String, String> hoisted, Map<String, String> broadcasts,
        Set<Function> used) {
      this.perElement = perElement;
      this.hoisted = hoisted;
      this.broadcasts = broadcasts;
      this.used = used;
    }

    CodeBlock write(Expr expr) {
      return expr.accept(this);
    }

    /** A hoisted invariant is broadcast as a whole; otherwise the node is written lanewise. */
    private CodeBlock invariantOr(Expr expr, java.util.function.Supplier<CodeBlock> lanewise) {
      String local = hoisted.get(scalar.plainWriter().write(expr).toString());
      return local == null ? lanewise.get() : CodeBlock.of("$L", broadcast(local));
    }

    /** The vector holding {@code scalarSource} in every lane: {@code momentum_v}, {@code inv_0_v}, {@code lit_0_v}. */
    private String broadcast(String scalarSource, String name) {
      return broadcasts.computeIfAbsent(scalarSource, s -> name + "_v");
    }

    private String broadcast(String local) {
      return broadcast(local, local);
    }

    @Override
    public CodeBlock literal(Expr.Literal literal) {
      String text = scalar.plainWriter().write(literal).toString();
      long literals = broadcasts.keySet().stream().filter(k -> broadcasts.get(k).startsWith("lit_")).count();
      return CodeBlock.of("$L", broadcast(text, "lit_" + literals));
    }

    @Override
    public CodeBlock name(Expr.Name name) {
      return CodeBlock.of("$L", perElement.contains(name.id()) ? Names.elementLocal(name.id()) : broadcast(name.id()));
    }

    @Override
    public CodeBlock negate(Expr.Negate negate) {
      return invariantOr(negate, () -> CodeBlock.of("$L.neg()", negate.operand().accept(this)));
    }

    @Override
    public CodeBlock binary(Expr.Binary binary) {
      String method = switch (binary.op()) {
        case ADD -> "add";
        case SUB -> "sub";
        case MUL -> "mul";
        case DIV -> "div";
      };
      return invariantOr(binary, () -> CodeBlock.of("$L.$L($L)", binary.left().accept(this), method,
          binary.right().accept(this)));
    }

    @Override
    public CodeBlock call(Expr.Call call) {
      return invariantOr(call, () -> {
        CodeBlock x = call.args().get(0).accept(this);
        used.add(call.function());
        return switch (call.function()) {
          case SIGN -> CodeBlock.of("sign($L)", x);
          case CLIP -> CodeBlock.of("clip($L, $L)", x, call.args().get(1).accept(this));
          case ABS -> CodeBlock.of("$L.abs()", x);
          case SQRT -> CodeBlock.of("$L.lanewise($T.SQRT)", x, ClassName.get(VECTOR_PACKAGE, "VectorOperators"));
          case MIN -> CodeBlock.of("$L.min($L)", x, call.args().get(1).accept(this));
          case MAX -> CodeBlock.of("$L.max($L)", x, call.args().get(1).accept(this));
          // a helper, because x.mul(x) would write (and compute) the operand twice
          case SQUARE -> CodeBlock.of("square($L)", x);
          case GT -> CodeBlock.of("gt($L, $L)", x, call.args().get(1).accept(this));
          case EQ -> CodeBlock.of("eq($L, $L)", x, call.args().get(1).accept(this));
          case WHERE -> CodeBlock.of("where($L, $L, $L)", x, call.args().get(1).accept(this),
              call.args().get(2).accept(this));
          case SUMSQ -> throw new IllegalStateException("supports() let a reduction into a SIMD kernel");
          case NORMAL -> throw new IllegalStateException("supports() let normal() into a SIMD kernel");
          case POW, EXP, LOG -> throw new IllegalStateException(
              "supports() let " + call.function().spelling() + " into a SIMD kernel");
        };
      });
    }
  }
}
