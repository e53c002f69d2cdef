package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.optikern.kernel.UpdateKernel;
import org.optikern.lang.Expr;
import org.optikern.lang.Statement;
import org.optikern.model.KernelPlan;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.model.UpdatePlan;
import org.optikern.tensor.DType;

/**
 * What the scalar kernel and its SIMD twin have in common, written once: the plan they follow, the
 * class around their loops (the instance, the {@link UpdateKernel} methods and the adapter from
 * {@code Object} arrays and a scalar vector to the typed {@code update}s), the typed signatures, the
 * temporaries computed once per call and the hoisted loop invariants. {@link KernelWriter} and
 * {@link VectorKernelWriter} each write only their loops over it; neither calls into the other.
 */
final class KernelClassWriter {

  private final OptimizerModel model;
  private final KernelPlan kernelPlan;
  private final UpdatePlan plan;
  private final DType dtype;
  private final boolean isFloat;
  private final TypeName compute;
  private final List<String> arrays;
  private final List<String> scalars;

  KernelClassWriter(OptimizerModel model, SwitchSet switches, DType dtype) {
    this.model = model;
    this.kernelPlan = KernelPlan.of(model, switches);
    this.plan = kernelPlan.update();
    this.dtype = dtype;
    this.isFloat = dtype != DType.FLOAT64;
    this.compute = isFloat ? TypeName.FLOAT : TypeName.DOUBLE;
    this.arrays = kernelPlan.arrays();
    this.scalars = kernelPlan.scalars();
  }

  /** The scalar kernel's class, {@code SignumMomentumClippedF32Kernel}: a twin's tail calls its {@code update}. */
  ClassName scalarKernelClass() {
    return ClassName.get(model.packageName(), Names.kernelClass(model, plan.switches(), dtype));
  }

  /**
   * The class around a loop: the instance, the {@link UpdateKernel} methods and the adapter from
   * {@code Object} arrays and a scalar vector to the typed {@code update}. Shared with the SIMD writer.
   */
  JavaFile writeClass(Generation generation, String simpleName, List<MethodSpec> loops, CodeBlock note,
      List<FieldSpec> fields, List<MethodSpec> helpers) {
    ClassName self = ClassName.get(model.packageName(), simpleName);
    TypeSpec.Builder type = generation.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(UpdateKernel.class)
        .addJavadoc(javadoc().toBuilder().add(note).build())
        .addFields(fields)
        .addField(FieldSpec.builder(self, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .initializer("new $T()", self).build())
        .addField(FieldSpec.builder(ParameterizedTypeName.get(List.class, String.class), "STATE_NAMES",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(GeneratedText.listOf(plan.states())).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethods(loops)
        .addMethod(MethodSpec.methodBuilder("dtype").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(DType.class).addStatement("return $T.$L", DType.class, dtype.name()).build())
        .addMethod(MethodSpec.methodBuilder("switches").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(SwitchSet.class).addStatement("return $L", GeneratedText.switchSetLiteral(plan.switches())).build())
        .addMethod(MethodSpec.methodBuilder("stateNames").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(List.class, String.class)).addStatement("return STATE_NAMES").build())
        .addMethod(adapter())
        .addMethods(helpers);
    if (plan.inOneCall()) {
      type.addMethod(MethodSpec.methodBuilder("inOneCall").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(boolean.class).addJavadoc(plan.reduces() ? "A reduction over the range: update a tensor in one call.\n"
              : "It assigns a scalar state: update a tensor in one call.\n")
          .addStatement("return true").build());
    }
    return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private CodeBlock javadoc() {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("$L kernel of {@code $L} for $L storage, variant {@code $L}.\n", optimizerName(), model.typeName(),
            dtype.mxnetName(), plan.switches())
        .add("$L\n\n<p>Per element, in order:\n<pre>\n", arithmeticNote());
    for (Statement s : plan.statements()) {
      doc.add("$L\n", GeneratedText.escapeJavadoc(s.source()));
    }
    doc.add("</pre>\n");
    if (plan.statements().stream().anyMatch(Statement::temporary)) {
      doc.add("A {@code let} temporary is a local in $L arithmetic, never stored.\n", isFloat ? "float" : "double");
    }
    if (!plan.switches().isOn(OptimizerModel.CLIPPED)) {
      doc.add("Unclipped: {@code clip(x, clip_gradient)} is {@code x} here.\n");
    }
    return doc.build();
  }

  private String optimizerName() {
    return Names.optimizerClass(model);
  }

  private String arithmeticNote() {
    return switch (dtype) {
      case FLOAT32 -> "Arithmetic in float.";
      case FLOAT64 -> "Arithmetic in double.";
      case FLOAT16 -> "Values are IEEE binary16 bit patterns; each is widened to float, computed in float, "
          + "and rounded to half once, when stored.";
    };
  }

  /**
   * Formulas as written in this kernel's arithmetic type, names as they are: the spelling of
   * literals and the key of hoisted invariants, shared with the SIMD writer.
   */
  ExpressionWriter plainWriter() {
    return new ExpressionWriter(isFloat, n -> n, Map.of());
  }

  /**
   * Declares each loop invariant of {@code statements} once, before their loop; returns its local by
   * source form. Locals are numbered from {@code firstNumber}, so that passes do not reuse names.
   */
  Map<String, String> hoistInvariants(MethodSpec.Builder method, List<Statement> statements, int firstNumber) {
    Map<String, String> hoisted = new LinkedHashMap<>();
    ExpressionWriter plain = plainWriter();
    for (Map.Entry<String, Expr> e : invariants(statements).entrySet()) {
      String local = "inv_" + (firstNumber + hoisted.size());
      method.addComment("loop invariant: $L", e.getKey());
      method.addStatement("final $T $L = $L", compute, local, plain.write(e.getValue()));
      hoisted.put(e.getKey(), local);
    }
    return hoisted;
  }

  /**
   * Declares the loop's temporaries that are the same for every element (LAMB's trust ratio, read
   * from reductions and scalars) as locals under their own names, before the loop. Computing them
   * once gives the same bits.
   */
  void declarePerCall(MethodSpec.Builder method, KernelPlan.Loop loop) {
    for (Statement s : loop.perCall()) {
      if (plan.assignsScalarState(s)) {
        // the new value, read by the formulas after it and handed back to the optimizer
        method.addComment("$L (one number per parameter)", GeneratedText.oneLine(s.source()));
        method.addStatement("$L = $L", s.target(), plainWriter().write(s.value()));
        method.addStatement("$L[$L] = $L", ASSIGNED_SCALAR_STATES, plan.assignedScalarStates().indexOf(s.target()),
            s.target());
        continue;
      }
      method.addComment("$L (the same for every element)", GeneratedText.oneLine(s.source()));
      method.addStatement("final $T $L = $L", compute, s.target(), plainWriter().write(s.value()));
    }
  }

  /**
   * The parameter of {@code update} that receives the new values of the scalar states it assigns,
   * in the order of {@link UpdatePlan#assignedScalarStates()}.
   */
  static final String ASSIGNED_SCALAR_STATES = "assignedScalarStates";

  UpdatePlan plan() {
    return plan;
  }

  /** The plan both kernel writers follow. */
  KernelPlan kernelPlan() {
    return kernelPlan;
  }

  List<String> arrays() {
    return arrays;
  }

  List<String> scalars() {
    return scalars;
  }

  /** The typed parameters of {@code update} over {@code storage}: arrays, offset, length, then the scalars it uses. */
  MethodSpec.Builder updateSignature(Storage storage) {
    MethodSpec.Builder method = parameters(MethodSpec.methodBuilder("update"), storage)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc(storage instanceof Storage.OffHeap
            ? "Updates elements {@code [offset, offset + length)} of native-order buffers in place.\n"
            : "Updates elements {@code [offset, offset + length)} in place.\n");
    if (kernelPlan.overRowsOrColumns()) {
      // the range is whole rows of the weight's 2-D view; a state per row or column has one value for each
      method.beginControlFlow("if ($L < 1 || length % $L != 0)", COLUMN_COUNT, COLUMN_COUNT)
          .addStatement("throw new $T($S + length + $S + $L + $S)", IllegalArgumentException.class, "a range of ",
              " elements is not a whole number of rows of ", COLUMN_COUNT, " columns")
          .endControlFlow()
          .addStatement("final int $L = length / $L", ROW_COUNT, COLUMN_COUNT);
    }
    // one check per array before the loop: a bad range throws before anything is written
    for (String array : arrays) {
      method.addStatement("$L", switch (kernelPlan.extentOf(array)) {
        case ROW -> storage.rangeCheck(array, "0", ROW_COUNT);
        case COLUMN -> storage.rangeCheck(array, "0", COLUMN_COUNT);
        default -> storage.rangeCheck(array);
      });
    }
    return method;
  }

  /**
   * The parameter of a kernel over rows and columns that gives the column count (the weight's last
   * dimension), and the local of the row count; camel case, so that no spec name can take them.
   */
  static final String COLUMN_COUNT = "columnCount";
  static final String ROW_COUNT = "rowCount";

  /** {@code method}'s parameters as {@code update}'s over {@code storage}, without its checks: for a private loop. */
  MethodSpec.Builder parameters(MethodSpec.Builder method, Storage storage) {
    for (String array : arrays) {
      method.addParameter(storage.arrayType(), array);
    }
    method.addParameter(int.class, "offset").addParameter(int.class, "length");
    if (kernelPlan.overRowsOrColumns()) {
      method.addParameter(int.class, COLUMN_COUNT);
    }
    for (String scalar : scalars) {
      method.addParameter(scalar.equals(OptimizerModel.NOISE_KEY) ? TypeName.LONG : compute, scalar);
    }
    if (!plan.assignedScalarStates().isEmpty()) {
      method.addParameter(double[].class, ASSIGNED_SCALAR_STATES);
    }
    return method;
  }

  DType dtype() {
    return dtype;
  }

  boolean isFloat() {
    return isFloat;
  }

  /** The arithmetic type: float, or double for float64. */
  TypeName compute() {
    return compute;
  }

  /** The loop-invariant subexpressions of {@code statements}, by source form, in order of appearance. */
  Map<String, Expr> invariants(List<Statement> statements) {
    Set<String> perElement = kernelPlan.perElement();
    Map<String, Expr> invariants = new LinkedHashMap<>();
    for (Statement s : statements) {
      // a reduction hoists from its argument, the value per element; the reduction itself is the loop's
      Expr value = s.isReduction() ? ((Expr.Call) s.value()).args().get(0) : s.value();
      Invariants.collect(value, perElement, isFloat, invariants);
    }
    return invariants;
  }

  /**
   * The {@link UpdateKernel} entry: checks the counts of states and scalars, then calls the typed
   * {@code update} of the weight's storage, a buffer or an array (the others must be of the same).
   */
  private MethodSpec adapter() {
    MethodSpec.Builder method = MethodSpec.methodBuilder("update")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Object.class, "weight")
        .addParameter(Object.class, "grad")
        .addParameter(Object[].class, "states")
        .addParameter(int.class, "offset")
        .addParameter(int.class, "length")
        .addParameter(double[].class, "scalars");
    method.beginControlFlow("if (states.length != $L)", plan.states().size())
        .addStatement("throw new $T($W$S + states.length)", IllegalArgumentException.class,
            "expected " + plan.states().size() + " state arrays " + plan.states() + ", found ")
        .endControlFlow();
    method.beginControlFlow("if (scalars.length != $L)", model.scalarNames().size())
        .addStatement("throw new $T($W$S + scalars.length)", IllegalArgumentException.class,
            "expected " + model.scalarNames().size() + " scalars " + model.scalarNames() + ", found ")
        .endControlFlow();
    List<String> assigned = plan.assignedScalarStates();
    if (!assigned.isEmpty()) {
      method.addStatement("double[] $L = new double[$L]", ASSIGNED_SCALAR_STATES, assigned.size());
    }
    Storage offHeap = new Storage.OffHeap(dtype);
    method.beginControlFlow("if (weight instanceof $T)", offHeap.arrayType())
        .addStatement("$L", typedCall(offHeap))
        .nextControlFlow("else")
        .addStatement("$L", typedCall(new Storage.Heap(dtype)))
        .endControlFlow();
    for (int k = 0; k < assigned.size(); k++) {
      // back into the vector, where the optimizer reads the scalar states after the update
      method.addStatement("scalars[$L] = $L[$L]", model.scalarIndex(assigned.get(k)), ASSIGNED_SCALAR_STATES, k);
    }
    return method.build();
  }

  /** {@code update((float[]) weight, (float[]) grad, (float[]) states[0], offset, length, (float) scalars[0], ...)}. */
  private CodeBlock typedCall(Storage storage) {
    CodeBlock.Builder call = CodeBlock.builder().add("update(");
    TypeName arrayType = storage.arrayType();
    // $W: a space JavaPoet may break the line at, so that long argument lists wrap as written by hand
    call.add("($T) weight,$W($T) grad", arrayType, arrayType);
    for (int s = 0; s < plan.states().size(); s++) {
      call.add(",$W($T) states[$L]", arrayType, s);
    }
    call.add(",$Woffset,$Wlength");
    if (kernelPlan.overRowsOrColumns()) {
      // a whole number, or the typed update's check refuses it (NaN and infinities become 0 or huge)
      call.add(",$W(int) scalars[$L]", model.scalarLayout().colsSlot());
    }
    for (String scalar : scalars) {
      int index = model.scalarIndex(scalar);
      if (scalar.equals(OptimizerModel.NOISE_KEY)) {
        call.add(",$W(long) scalars[$L]", index); // a key: a whole number, passed exactly
      } else {
        call.add(isFloat ? ",$W(float) scalars[$L]" : ",$Wscalars[$L]", index);
      }
    }
    if (!plan.assignedScalarStates().isEmpty()) {
      call.add(",$W$L", ASSIGNED_SCALAR_STATES);
    }
    return call.add(")").build();
  }
}
