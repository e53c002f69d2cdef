package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.optikern.tensor.DType;

/**
 * The code of float16 SIMD kernels that moves halfs in and out of float lanes, bit for bit what
 * {@code Half.portableToFloat} and {@code Half.portableFromFloat} compute, but for one bit no stored
 * half can show: widening leaves a signalling NaN signalling (the portable table quiets it, as the
 * hardware does). Every widened lane is either computed with, which quiets a NaN, or narrowed, which
 * sets the quiet bit anyway; testing for NaN lanes to set it would cost three operations per widening.
 * (Which payload an operation on two NaNs keeps is the JIT's choice, here as in any kernel.)
 * Its locals have camel-case names ({@code momPairs}, {@code keepMask}), which no spec name can
 * be (they are lower case), so nothing a spec declares collides with them.
 *
 * <p>A {@code ShortVector} of 2n halfs, reinterpreted as n ints, holds the half at an even position
 * in the low 16 bits of a lane and the next one in the high 16 bits. A pass moves its halfs to the
 * high 16 bits ({@code shift} 16 for the even positions, 0 for the odd) and clears the rest, then:
 * <ul>
 * <li>widen: an arithmetic shift right by 3 puts the half's sign at the float's sign and its
 *     exponent and mantissa 13 bits up, at the float's; that float is the half's value times
 *     2^-112 (a subnormal half becomes a subnormal float), so a multiplication by 2^112, exact,
 *     gives the value; infinities and NaNs get the float's all-ones exponent instead.
 * <li>narrow: the float's magnitude is rebiased and rounded to nearest even in the integer
 *     ({@code + 0xfff + odd}, then 13 bits off) and capped at infinity; NaNs keep the top of their
 *     payload and become quiet; below the smallest normal half the magnitude plus 0.5f rounds, in
 *     float arithmetic, to a multiple of 2^-24, whose low bits are the subnormal half.
 * </ul>
 * Every operation keeps the lane width, so nothing depends on the shape-changing conversions that
 * JDK 17 does not intrinsify. The constants are {@code static final} vectors: operations with
 * scalar operands did not always intrinsify on JDK 17.
 */
final class HalfLanes {
  static final String HALVES = "HALVES";
  static final String SHIFT = "halfShift";
  static final String EVEN = "EVEN_POSITIONS";
  static final String ODD = "ODD_POSITIONS";

  private static final String VECTOR_PACKAGE = VectorKernelWriter.VECTOR_PACKAGE;
  private static final ClassName INT_VECTOR = ClassName.get(VECTOR_PACKAGE, "IntVector");
  private static final ClassName FLOAT_VECTOR = ClassName.get(VECTOR_PACKAGE, "FloatVector");
  static final ClassName SHORT_VECTOR = ClassName.get(VECTOR_PACKAGE, "ShortVector");
  private static final ClassName OPERATORS = ClassName.get(VECTOR_PACKAGE, "VectorOperators");

  private HalfLanes() {}

  /** The fields a float16 SIMD kernel declares: species, block size, parities and the conversions' constants. */
  static List<FieldSpec> constants() {
    ClassName species = ClassName.get(VECTOR_PACKAGE, "VectorSpecies");
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(FieldSpec.builder(ParameterizedTypeName.get(species, ClassName.get(Short.class)), HALVES,
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(VectorKernelWriter.speciesOf("short", DType.FLOAT16))
        .addJavadoc("Twice as many lanes as {@code SPECIES}, in the same bits.\n").build());
    fields.add(FieldSpec.builder(ParameterizedTypeName.get(species, ClassName.get(Integer.class)), "INTS",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(VectorKernelWriter.speciesOf("int", DType.FLOAT16)).build());
    fields.add(FieldSpec.builder(TypeName.INT, "BLOCK", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("2048")
        .addJavadoc("Elements per block: a few KB per array, in the L1 cache for the second pass; a multiple of "
            + "any {@code HALVES.length()}.\n").build());
    fields.add(constant(TypeName.INT, EVEN, "16", "The shift that moves the even positions' halfs to the high 16 bits."));
    fields.add(constant(TypeName.INT, ODD, "0", "The odd positions' halfs are in the high 16 bits already."));
    fields.add(ints("HIGH_HALF", "0xffff0000"));
    fields.add(ints("SIGN_EXPONENT_MANTISSA", "0x8fffe000"));
    fields.add(ints("EXPONENT_MANTISSA", "0x0fffe000"));
    fields.add(floats("HALF_INFINITY_SCALED", "Float.intBitsToFloat(0x0f800000)"));
    fields.add(floats("TWO_TO_112", "0x1p112f"));
    fields.add(ints("FLOAT_EXPONENT", "0x7f800000"));
    fields.add(ints("MAGNITUDE", "0x7fffffff"));
    fields.add(ints("REBIAS", "0x38000000"));
    fields.add(ints("ROUNDING", "0xfff"));
    fields.add(ints("LOWEST_BIT", "1"));
    fields.add(ints("HALF_INFINITY", "0x7c00"));
    fields.add(ints("HALF_QUIET_NAN", "0x7e00"));
    fields.add(ints("HALF_PAYLOAD", "0x3ff"));
    fields.add(ints("SMALLEST_NORMAL_HALF", "0x38800000"));
    fields.add(floats("ONE_HALF", "0.5f"));
    fields.add(ints("ONE_HALF_BITS", "0x3f000000"));
    fields.add(ints("HALF_SIGN", "0x8000"));
    return fields;
  }

  private static FieldSpec constant(TypeName type, String name, String value, String doc) {
    return FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(value)
        .addJavadoc("$L\n", doc).build();
  }

  private static FieldSpec ints(String name, String value) {
    return FieldSpec.builder(INT_VECTOR, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.broadcast(INTS, $L)", INT_VECTOR, value).build();
  }

  private static FieldSpec floats(String name, String value) {
    return FieldSpec.builder(FLOAT_VECTOR, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.broadcast(SPECIES, $L)", FLOAT_VECTOR, value).build();
  }

  /** Before a pass's loop: which half of each lane it keeps, and how far its results move back. */
  static void declareParityLocals(MethodSpec.Builder method) {
    method.addStatement("final $T keepMask = $T.broadcast(INTS, $L == $L ? 0xffff0000 : 0x0000ffff)", INT_VECTOR,
        INT_VECTOR, SHIFT, EVEN);
    method.addStatement("final int shiftBack = 16 - $L", SHIFT);
  }

  /** {@code weightPairs}: the array's halfs at {@code i}, two per int lane. */
  static void loadPairs(MethodSpec.Builder method, String array, Storage storage) {
    method.addStatement("final $T $L = $L.reinterpretAsInts()", INT_VECTOR, pairs(array),
        storage.vectorLoad(SHORT_VECTOR, HALVES, storage.laneSource(array), "i"));
  }

  /** This pass's halfs of {@code array}, in the high 16 bits of each lane. */
  static CodeBlock ownHalfs(String array) {
    return CodeBlock.of("$L.lanewise($T.LSHL, $L).and(HIGH_HALF)", pairs(array), OPERATORS, SHIFT);
  }

  /** The halfs just narrowed for {@code target}, in the high 16 bits of each lane. */
  static CodeBlock stored(String target) {
    return CodeBlock.of("$L.lanewise($T.LSHL, 16)", narrowed(target), OPERATORS);
  }

  /** Declares or assigns {@code target_i}, the float lanes of the halfs in the high 16 bits of {@code highHalfs}. */
  static void widen(MethodSpec.Builder method, String target, CodeBlock highHalfs, Set<String> declared) {
    String bits = target + "Bits";
    method.addStatement("$L$L = $L.lanewise($T.ASHR, 3).and(SIGN_EXPONENT_MANTISSA)",
        declaration(INT_VECTOR, declared.add(bits)), bits, highHalfs, OPERATORS);
    method.addStatement("$L$L = $L.reinterpretAsFloats().mul(TWO_TO_112).blend($L.or(FLOAT_EXPONENT).reinterpretAsFloats(),"
        + "\n$L.and(EXPONENT_MANTISSA).reinterpretAsFloats().compare($T.GE, HALF_INFINITY_SCALED))",
        declaration(FLOAT_VECTOR, declared.add(Names.elementLocal(target))), Names.elementLocal(target), bits, bits,
        bits, OPERATORS);
  }

  /** Declares or assigns {@code targetHalf}: {@code value}'s lanes as halfs, in the low 16 bits of each lane. */
  static void narrow(MethodSpec.Builder method, String target, CodeBlock value, Set<String> declared) {
    String bits = target + "Float";
    String magnitude = target + "Magnitude";
    String rebiased = target + "Rebiased";
    CodeBlock prefix = declaration(INT_VECTOR, declared.add(bits));
    method.addStatement("$L$L = $L.reinterpretAsInts()", prefix, bits, value);
    method.addStatement("$L$L = $L.and(MAGNITUDE)", prefix, magnitude, bits);
    method.addStatement("$L$L = $L.sub(REBIAS)", prefix, rebiased, magnitude);
    method.addStatement("$L$L = $L.add(ROUNDING).add($L.lanewise($T.LSHR, 13).and(LOWEST_BIT)).lanewise($T.LSHR, 13)"
        + ".min(HALF_INFINITY)"
        + "\n.blend(HALF_QUIET_NAN.or($L.lanewise($T.LSHR, 13).and(HALF_PAYLOAD)), $L.compare($T.GT, FLOAT_EXPONENT))"
        + "\n.blend($L.reinterpretAsFloats().add(ONE_HALF).reinterpretAsInts().sub(ONE_HALF_BITS),"
        + " $L.compare($T.LT, SMALLEST_NORMAL_HALF))"
        + "\n.or($L.lanewise($T.LSHR, 16).and(HALF_SIGN))",
        prefix, narrowed(target), rebiased, rebiased, OPERATORS, OPERATORS,
        magnitude, OPERATORS, magnitude, OPERATORS,
        magnitude, magnitude, OPERATORS,
        bits, OPERATORS);
  }

  /** Stores {@code targetHalf} at this pass's positions of {@code target}, the other positions as loaded. */
  static void storePairs(MethodSpec.Builder method, String target, Storage storage) {
    CodeBlock merged = CodeBlock.of("$L.and(keepMask).or($L.lanewise($T.LSHL, shiftBack)).reinterpretAsShorts()",
        pairs(target), narrowed(target), OPERATORS);
    method.addStatement("$L", storage.vectorStore(merged, storage.laneSource(target), "i"));
  }

  private static CodeBlock declaration(ClassName type, boolean first) {
    return first ? CodeBlock.of("$T ", type) : CodeBlock.of("");
  }

  private static String pairs(String array) {
    return array + "Pairs";
  }

  private static String narrowed(String target) {
    return target + "Half";
  }
}
