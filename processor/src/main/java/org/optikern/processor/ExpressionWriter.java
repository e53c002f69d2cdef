package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.Map;
import org.optikern.lang.Function;
import org.optikern.kernel.KernelMath;
import org.optikern.lang.Expr;

/**
 * Writes a formula as a Java expression in the kernel's arithmetic type. Every binary operation is
 * parenthesized, so the grouping in the generated source is the grouping of the formula, visible
 * to the reader and immune to precedence slips. No operation is reordered or fused.
 */
final class ExpressionWriter implements Expr.Visitor<CodeBlock> {
  private static final ClassName KERNEL_MATH = ClassName.get(KernelMath.class);

  private final boolean isFloat;
  private final java.util.function.Function<String, String> names;
  private final Map<String, String> hoisted;

  /**
   * @param names maps a spec name to the Java local or parameter holding its value
   * @param hoisted maps the source form of a hoisted subexpression to its local
   */
  ExpressionWriter(boolean isFloat, java.util.function.Function<String, String> names, Map<String, String> hoisted) {
    this.isFloat = isFloat;
    this.names = names;
    this.hoisted = hoisted;
  }

  CodeBlock write(Expr expr) {
    return expr.accept(this);
  }

  /** The expression with no hoisting and scalar names as-is: the key used to share hoisted locals. */
  static String key(Expr expr, boolean isFloat) {
    return expr.accept(new ExpressionWriter(isFloat, n -> n, Map.of())).toString();
  }

  /**
   * {@code CodeBlock.of(format, args)}, but with the code blocks among {@code args} spliced in rather than
   * nested: JavaPoet writes nested blocks recursively, and a long chain ({@code a + b + ... }) would
   * nest one block per operation. Only {@code $L} and {@code $T} are used here.
   */
  static CodeBlock flat(String format, Object... args) {
    CodeBlock.Builder code = CodeBlock.builder();
    int arg = 0;
    int from = 0;
    for (int at = format.indexOf('$'); at >= 0; at = format.indexOf('$', from)) {
      code.add(format.substring(from, at));
      Object value = args[arg++];
      if (format.charAt(at + 1) == 'L' && value instanceof CodeBlock block) {
        code.add(block);
      } else {
        code.add("$" + format.charAt(at + 1), value);
      }
      from = at + 2;
    }
    return code.add(format.substring(from)).build();
  }

  private CodeBlock hoistedOr(Expr expr, CodeBlock written) {
    if (hoisted.isEmpty()) {
      return written;
    }
    String local = hoisted.get(key(expr, isFloat));
    return local == null ? written : flat("$L", local);
  }

  @Override
  public CodeBlock literal(Expr.Literal literal) {
    if (isFloat) {
      float value = (float) literal.value();
      return flat("$Lf", Float.toString(value));
    }
    return flat("$L", Double.toString(literal.value()));
  }

  @Override
  public CodeBlock name(Expr.Name name) {
    return flat("$L", names.apply(name.id()));
  }

  @Override
  public CodeBlock negate(Expr.Negate negate) {
    return hoistedOr(negate, flat("(-$L)", negate.operand().accept(this)));
  }

  @Override
  public CodeBlock binary(Expr.Binary binary) {
    return hoistedOr(binary, flat("($L $L $L)", binary.left().accept(this), binary.op().symbol,
        binary.right().accept(this)));
  }

  @Override
  public CodeBlock call(Expr.Call call) {
    if (call.function() == Function.NORMAL) {
      // per element, never hoisted: the loop's batch of values drawn under the noise key (KernelWriter)
      return flat(isFloat ? "(float) $L[i - $L]" : "$L[i - $L]", ScalarLoopWriter.NORMALS, ScalarLoopWriter.BATCH);
    }
    CodeBlock x = call.args().get(0).accept(this);
    CodeBlock written = switch (call.function()) {
      case SIGN -> flat("$T.sign($L)", KERNEL_MATH, x);
      case CLIP -> flat("$T.clip($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case ABS -> flat("$T.abs($L)", Math.class, x);
      case SQRT -> flat("$T.sqrt($L)", KERNEL_MATH, x);
      case MIN -> flat("$T.min($L, $L)", Math.class, x, call.args().get(1).accept(this));
      case MAX -> flat("$T.max($L, $L)", Math.class, x, call.args().get(1).accept(this));
      case SQUARE -> flat("$T.square($L)", KERNEL_MATH, x);
      case POW -> flat("$T.pow($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case EXP -> flat("$T.exp($L)", KERNEL_MATH, x);
      case LOG -> flat("$T.log($L)", KERNEL_MATH, x);
      case GT -> flat("$T.gt($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case EQ -> flat("$T.eq($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case WHERE -> flat("$T.where($L, $L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this),
          call.args().get(2).accept(this));
      case SUMSQ, SUM, SUMABS, MAXABS, ROWSUM, COLSUM -> throw new IllegalStateException("a reduction is written as a pass of its own: "
          + call);
      case NORMAL -> throw new IllegalStateException("normal() takes no operand and is written above");
      case IF -> throw new IllegalStateException("if(...) is resolved per variant, before writing: " + call);
    };
    return hoistedOr(call, written);
  }
}
