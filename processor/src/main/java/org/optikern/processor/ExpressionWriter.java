package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.Map;
import org.optikern.lang.Function;
import org.optikern.kernel.KernelMath;
import org.optikern.lang.Expr;
import org.optikern.model.OptimizerModel;

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

  private CodeBlock hoistedOr(Expr expr, CodeBlock written) {
    if (hoisted.isEmpty()) {
      return written;
    }
    String local = hoisted.get(key(expr, isFloat));
    return local == null ? written : CodeBlock.of("$L", local);
  }

  @Override
  public CodeBlock literal(Expr.Literal literal) {
    if (isFloat) {
      float value = (float) literal.value();
      return CodeBlock.of("$Lf", Float.toString(value));
    }
    return CodeBlock.of("$L", Double.toString(literal.value()));
  }

  @Override
  public CodeBlock name(Expr.Name name) {
    return CodeBlock.of("$L", names.apply(name.id()));
  }

  @Override
  public CodeBlock negate(Expr.Negate negate) {
    return hoistedOr(negate, CodeBlock.of("(-$L)", negate.operand().accept(this)));
  }

  @Override
  public CodeBlock binary(Expr.Binary binary) {
    return hoistedOr(binary, CodeBlock.of("($L $L $L)", binary.left().accept(this), binary.op().symbol,
        binary.right().accept(this)));
  }

  @Override
  public CodeBlock call(Expr.Call call) {
    if (call.function() == Function.NORMAL) {
      // per element: the loop's index and the kernel's noise key, never hoisted
      return CodeBlock.of("$T.$L($L, i)", KERNEL_MATH, isFloat ? "normalFloat" : "normal", OptimizerModel.NOISE_KEY);
    }
    CodeBlock x = call.args().get(0).accept(this);
    CodeBlock written = switch (call.function()) {
      case SIGN -> CodeBlock.of("$T.sign($L)", KERNEL_MATH, x);
      case CLIP -> CodeBlock.of("$T.clip($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case ABS -> CodeBlock.of("$T.abs($L)", Math.class, x);
      case SQRT -> CodeBlock.of("$T.sqrt($L)", KERNEL_MATH, x);
      case MIN -> CodeBlock.of("$T.min($L, $L)", Math.class, x, call.args().get(1).accept(this));
      case MAX -> CodeBlock.of("$T.max($L, $L)", Math.class, x, call.args().get(1).accept(this));
      case SQUARE -> CodeBlock.of("$T.square($L)", KERNEL_MATH, x);
      case POW -> CodeBlock.of("$T.pow($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case EXP -> CodeBlock.of("$T.exp($L)", KERNEL_MATH, x);
      case LOG -> CodeBlock.of("$T.log($L)", KERNEL_MATH, x);
      case GT -> CodeBlock.of("$T.gt($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case EQ -> CodeBlock.of("$T.eq($L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this));
      case WHERE -> CodeBlock.of("$T.where($L, $L, $L)", KERNEL_MATH, x, call.args().get(1).accept(this),
          call.args().get(2).accept(this));
      case SUMSQ -> throw new IllegalStateException("a reduction is written as a pass of its own: " + call);
      case NORMAL -> throw new IllegalStateException("normal() takes no operand and is written above");
    };
    return hoistedOr(call, written);
  }
}
