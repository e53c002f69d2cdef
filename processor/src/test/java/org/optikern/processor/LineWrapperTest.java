package org.optikern.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LineWrapperTest {
  @Test
  void javadocProseBreaksAtSpacesWithTheLinesOwnPrefix() {
    String source = "  /**\n   * The kernels of {@link Adam}: 3 scalar (3 storage types times 1 switch combinations),"
        + " and its SIMD twins, which load lanes by fromByteBuffer on JDK 17 and 18.\n   */\n  int x;\n";
    String wrapped = LineWrapper.wrap(source);
    assertEquals("  /**\n   * The kernels of {@link Adam}: 3 scalar (3 storage types times 1 switch combinations), and its\n"
        + "   * SIMD twins, which load lanes by fromByteBuffer on JDK 17 and 18.\n   */\n  int x;\n", wrapped);
    assertFits(wrapped);
  }

  @Test
  void javadocKeepsInlineTagsWholeWhereItCan() {
    String source = " * <p>SIMD: blocks of {@code BLOCK} elements, each updated in two passes of whole {@code ShortVector}s,"
        + " even positions then odd.";
    assertEquals(" * <p>SIMD: blocks of {@code BLOCK} elements, each updated in two passes of whole\n"
        + " * {@code ShortVector}s, even positions then odd.", LineWrapper.wrap(source));
  }

  @Test
  void codeBreaksAfterCommasAndBeforeChainedCalls() {
    String call = "      update((float[]) weight, (float[]) grad, (float[]) states[0], (float[]) states[1], offset, length,"
        + " (float) scalars[1]);";
    assertEquals("      update((float[]) weight, (float[]) grad, (float[]) states[0], (float[]) states[1], offset,\n"
        + "          length, (float) scalars[1]);", LineWrapper.wrap(call));
    String chain = "    IntVector weightBits = weightPairs.lanewise(VectorOperators.LSHL, shift).lanewise(VectorOperators"
        + ".ASHR, 16).and(SIGN_EXPONENT_MANTISSA);";
    String wrapped = LineWrapper.wrap(chain);
    assertEquals("    IntVector weightBits = weightPairs.lanewise(VectorOperators.LSHL, shift)\n"
        + "        .lanewise(VectorOperators.ASHR, 16).and(SIGN_EXPONENT_MANTISSA);", wrapped);
    assertFits(wrapped);
  }

  @Test
  void longConditionsAndArithmeticBreakBeforeAnOperator() {
    String condition = "  private static final boolean LANES_FROM_MEMORY = LANE_SOURCE != null && !LANES_OVER_BUFFERS"
        + " && VectorSupport.enabled();";
    assertEquals("  private static final boolean LANES_FROM_MEMORY = LANE_SOURCE != null && !LANES_OVER_BUFFERS\n"
        + "      && VectorSupport.enabled();", LineWrapper.wrap(condition));
    String arithmetic = "      delta_i = ((gamma2 * delta_i) - ((lr * gr_i) / KernelMath.sqrt(((n_i - (g_i * g_i)) + epsilon))));";
    String wrapped = LineWrapper.wrap(arithmetic);
    assertEquals("      delta_i = ((gamma2 * delta_i) - ((lr * gr_i) / KernelMath.sqrt(((n_i - (g_i * g_i))\n"
        + "          + epsilon))));", wrapped);
    assertFits(wrapped);
    // never before * or /: a continuation line starting with one would read as a javadoc line
    String product = "    final float p = (" + "alpha * ".repeat(10) + "beta / gamma);";
    assertEquals(product, LineWrapper.wrap(product));
  }

  @Test
  void stringsCommentsFormulasAndUnbreakableLinesStayWhole() {
    String message = "    throw new IllegalArgumentException(\"expected 11 scalars [lr, wd, rescale_grad, clip_gradient, t, beta1,"
        + " beta2]: a + b, c && d, f(x).g(y)\");";
    String formula = " *   weight = weight - lr * (sign(momentum * mom - (1 - momentum) * (wd * weight + rescale_grad * grad)) + 0)";
    String comment = "    // direction = mean/(1 - pow(beta1, t))/(sqrt(variance/(1 - pow(beta2, t))) + epsilon) + wd*weight, again";
    String unbreakable = " * " + "x".repeat(120);
    String source = "/**\n * <pre>\n" + formula + "\n * </pre>\n" + unbreakable + "\n */\n" + comment + "\n" + message;
    assertEquals(source, LineWrapper.wrap(source));
  }

  private static void assertFits(String text) {
    for (String line : text.split("\n")) {
      assertTrue(line.length() <= LineWrapper.WIDTH, line);
    }
  }
}
