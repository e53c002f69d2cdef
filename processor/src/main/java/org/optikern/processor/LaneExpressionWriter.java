package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;

/**
 * The lanes of a SIMD twin's formulas ({@link VectorKernelWriter}), one writer per pass: formula to
 * lanewise Vector API calls; leaves become element vectors, broadcasts or hoisted invariants. A
 * function whose inline form reads an operand twice (sign, clip, square) gets that operand as a
 * local first, a prelude ({@code signOf0}), unless it is a plain name already.
 */
final class LaneExpressionWriter implements Expr.Visitor<CodeBlock> {
  private static final ClassName OPERATORS = ClassName.get(VectorKernelWriter.VECTOR_PACKAGE, "VectorOperators");

  /** The scalar kernel's writer: the source form by which hoisted invariants are known. */
  private final ExpressionWriter plainWriter;
  /** {@code FloatVector} or {@code DoubleVector}. */
  private final ClassName vectorType;
  /** {@code f} for float literals, empty for double. */
  private final String literalSuffix;

  /** Arrays and temporaries: a lane vector each; any other name is a broadcast scalar. */
  private final Set<String> perElement;
  private final Map<String, String> hoisted;
  private final Map<String, String> broadcasts;
  private List<CodeBlock> preludes = new ArrayList<>();
  private int operands;

  /** Ends each broadcast's name: empty in a kernel's first pass, {@code _1}, {@code _2} in later ones. */
  private final String suffix;

  LaneExpressionWriter(ExpressionWriter plainWriter, ClassName vectorType, String literalSuffix, Set<String> perElement,
      Map<String, String> hoisted, Map<String, String> broadcasts, String suffix) {
    this.plainWriter = plainWriter;
    this.vectorType = vectorType;
    this.literalSuffix = literalSuffix;
    this.perElement = perElement;
    this.hoisted = hoisted;
    this.broadcasts = broadcasts;
    this.suffix = suffix;
  }

  CodeBlock write(Expr expr) {
    statementRoot = expr;
    return expr.accept(this);
  }

  /** The formula being written: a blend that is the whole formula needs no name of its own. */
  private Expr statementRoot;

  List<CodeBlock> takePreludes() {
    List<CodeBlock> taken = preludes;
    preludes = new ArrayList<>();
    return taken;
  }

  /** A hoisted invariant is broadcast as a whole; otherwise the node is written lanewise. */
  private CodeBlock invariantOr(Expr expr, java.util.function.Supplier<CodeBlock> lanewise) {
    String local = hoisted.get(plainWriter.write(expr).toString());
    return local == null ? lanewise.get() : ExpressionWriter.flat("$L", broadcast(local));
  }

  /** The vector holding {@code scalarSource} in every lane: {@code momentum_v}, {@code inv_0_v}, {@code lit_0_v}. */
  private String broadcast(String scalarSource, String name) {
    return broadcasts.computeIfAbsent(scalarSource, s -> name + "_v" + suffix);
  }

  private String broadcast(String local) {
    return broadcast(local, local);
  }

  /** Camel case, like the preludes' names: a spec's names are lower case, so none collides with these. */
  private String zero() {
    return broadcasts.computeIfAbsent("0" + literalSuffix, s -> "zeroLanes" + suffix);
  }

  private String one() {
    return broadcasts.computeIfAbsent("1" + literalSuffix, s -> "oneLanes" + suffix);
  }

  /**
   * A compare-and-blend result ({@code sign}, {@code clip}, {@code gt}, {@code eq}, {@code where})
   * as a local of its own, {@code signLanes0}: a lane formula then reads like its spec formula,
   * one function per line, instead of one line of 400 characters. The same operations, the same bits.
   */
  private CodeBlock named(CodeBlock blend, String function, Expr.Call call) {
    if (call == statementRoot) {
      return blend;
    }
    String local = function + "Lanes" + operands++;
    preludes.add(ExpressionWriter.flat("final $T $L = $L", vectorType, local, blend));
    return ExpressionWriter.flat("$L", local);
  }

  /** {@code operand} as something that may be read twice: a name as it is, else a new local. */
  private CodeBlock readTwice(CodeBlock operand, String function) {
    if (SourceVersion.isIdentifier(operand.toString())) {
      return operand;
    }
    String local = function + operands++;
    preludes.add(ExpressionWriter.flat("final $T $L = $L", vectorType, local, operand));
    return ExpressionWriter.flat("$L", local);
  }

  @Override
  public CodeBlock literal(Expr.Literal literal) {
    String text = plainWriter.write(literal).toString();
    long literals = broadcasts.keySet().stream().filter(k -> broadcasts.get(k).startsWith("lit_")).count();
    return ExpressionWriter.flat("$L", broadcast(text, "lit_" + literals));
  }

  @Override
  public CodeBlock name(Expr.Name name) {
    return ExpressionWriter.flat("$L", perElement.contains(name.id()) ? Names.elementLocal(name.id()) : broadcast(name.id()));
  }

  @Override
  public CodeBlock negate(Expr.Negate negate) {
    return invariantOr(negate, () -> ExpressionWriter.flat("$L.neg()", negate.operand().accept(this)));
  }

  @Override
  public CodeBlock binary(Expr.Binary binary) {
    String method = switch (binary.op()) {
      case ADD -> "add";
      case SUB -> "sub";
      case MUL -> "mul";
      case DIV -> "div";
    };
    return invariantOr(binary, () -> ExpressionWriter.flat("$L.$L($L)", binary.left().accept(this), method,
        binary.right().accept(this)));
  }

  @Override
  public CodeBlock call(Expr.Call call) {
    if (call.function() == Function.NORMAL) {
      // the values of the batch (drawingVectorLoop), as the scalar kernel reads them
      return ExpressionWriter.flat("$T.fromArray(SPECIES, $L, i - $L)", vectorType, ScalarLoopWriter.NORMALS,
          ScalarLoopWriter.BATCH);
    }
    return invariantOr(call, () -> {
      List<CodeBlock> args = call.args().stream().map(a -> a.accept(this)).toList();
      CodeBlock x = args.get(0);
      return switch (call.function()) {
        // MXNet's (x > 0) - (x < 0) by compare and blend: 0 for NaN and for -0
        case SIGN -> {
          CodeBlock v = readTwice(x, "signOf");
          yield named(ExpressionWriter.flat("$L.blend($L, $L.compare($T.GT, $L)).sub($L.blend($L, $L.compare($T.LT, $L)))",
              zero(), one(), v, OPERATORS, zero(), zero(), one(), v, OPERATORS, zero()), "sign", call);
        }
        // MXNet's x > b ? b : (x < -b ? -b : x), for any bound: NaN passes
        case CLIP -> {
          CodeBlock v = readTwice(x, "clipOf");
          CodeBlock bound = readTwice(args.get(1), "clipBound");
          yield named(ExpressionWriter.flat("$L.blend($L.neg(), $L.compare($T.LT, $L.neg())).blend($L, $L.compare($T.GT, $L))",
              v, bound, v, OPERATORS, bound, bound, v, OPERATORS, bound), "clip", call);
        }
        case ABS -> ExpressionWriter.flat("$L.abs()", x);
        case SQRT -> ExpressionWriter.flat("$L.lanewise($T.SQRT)", x, OPERATORS);
        case MIN -> ExpressionWriter.flat("$L.min($L)", x, args.get(1));
        case MAX -> ExpressionWriter.flat("$L.max($L)", x, args.get(1));
        case SQUARE -> {
          CodeBlock v = readTwice(x, "squareOf");
          yield ExpressionWriter.flat("$L.mul($L)", v, v);
        }
        // MXNet's gt and eq: 1 or 0, and 0 for NaN lanes
        case GT -> named(ExpressionWriter.flat("$L.blend($L, $L.compare($T.GT, $L))", zero(), one(), x, OPERATORS,
            args.get(1)), "gt", call);
        case EQ -> named(ExpressionWriter.flat("$L.blend($L, $L.compare($T.EQ, $L))", zero(), one(), x, OPERATORS,
            args.get(1)), "eq", call);
        case WHERE -> named(ExpressionWriter.flat("$L.blend($L, $L.compare($T.NE, $L))", args.get(2), args.get(1), x,
            OPERATORS, zero()), "where", call);
        case SUMSQ, SUM, SUMABS, MAXABS, ROWSUM, COLSUM -> throw new IllegalStateException(
            "lanewiseExact() let a reduction into a SIMD kernel");
        case NORMAL -> throw new IllegalStateException("normal() takes no operand and is written above");
        case IF -> throw new IllegalStateException("if(...) is resolved per variant, before writing: " + call);
        case POW, EXP, LOG -> throw new IllegalStateException(
            "lanewiseExact() let " + call.function().spelling() + " into a SIMD kernel");
      };
    });
  }
}
