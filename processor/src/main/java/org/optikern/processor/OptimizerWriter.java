package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.optikern.kernel.UpdateKernel;
import org.optikern.kernel.VectorSupport;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.model.HyperparameterModel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ScalarModel;
import org.optikern.model.ParameterFlagModel;
import org.optikern.model.ScalarStateModel;
import org.optikern.model.StateModel;
import org.optikern.model.StateShape;
import org.optikern.model.SwitchModel;
import org.optikern.model.SwitchSet;
import org.optikern.model.UpdateModel;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerDescriptor;
import org.optikern.optim.OptimizerFactory;
import org.optikern.tensor.DType;

/**
 * Writes the optimizer class of a spec: MXNet's Optimizer API (inherited), accessors for the
 * hyperparameters, the switch conditions evaluated once at construction, the kernel per dtype,
 * and a nested {@code Factory} for the registry.
 */
final class OptimizerWriter {
  private final OptimizerModel model;

  OptimizerWriter(OptimizerModel model) {
    this.model = model;
  }

  ClassName factoryClass() {
    return ClassName.get(model.packageName(), Names.optimizerClass(model), "Factory");
  }

  JavaFile write(Generation generation) {
    String simpleName = Names.optimizerClass(model);
    ClassName self = ClassName.get(model.packageName(), simpleName);
    ClassName kernels = ClassName.get(model.packageName(), Names.kernelsClass(model));
    TypeName paramsType = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class),
        WildcardTypeName.subtypeOf(Object.class));

    TypeSpec.Builder type = generation.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(Optimizer.class)
        .addJavadoc(javadoc());

    CodeBlock.Builder descriptor = CodeBlock.builder().add("new $T($S,$W$L,$W$L,$W$L,$W$T.of(", OptimizerDescriptor.class,
        model.name(), GeneratedText.listOf(model.aliases()), Double.toString(model.learningRate()),
        GeneratedText.listOf(model.hyperparameters().stream().map(HyperparameterModel::name).toList()), List.class);
    for (int i = 0; i < model.hyperparameters().size(); i++) {
      descriptor.add(i == 0 ? "$L" : ",$W$L", Double.toString(model.hyperparameters().get(i).defaultValue()));
    }
    Map<String, String> fills = new java.util.LinkedHashMap<>();
    model.states().stream().filter(s -> s.filledWith() != null).forEach(s -> fills.put(s.name(), s.filledWith()));
    descriptor.add("),$W$L,$W$L,$W$L,$W$L,$W$L,$W$L,$W$L,$W$T.of(",
        GeneratedText.listOf(model.hyperparameters().stream().map(HyperparameterModel::valid).toList()),
        GeneratedText.listOf(model.newScalarNames()),
        GeneratedText.listOf(model.states().stream().filter(StateModel::copiesWeight).map(StateModel::name).toList()),
        GeneratedText.mapOf(fills), model.usesSize(), model.usesNoise(), GeneratedText.listOf(model.scalarStates().stream().map(ScalarStateModel::name).toList()),
        List.class);
    for (int i = 0; i < model.scalarStates().size(); i++) {
      descriptor.add(i == 0 ? "$L" : ",$W$L", Double.toString(model.scalarStates().get(i).initial()));
    }
    descriptor.add("),$W$L,$W$T.of(", GeneratedText.listOf(model.parameterFlags().stream().map(ParameterFlagModel::name)
        .toList()), List.class);
    for (int i = 0; i < model.parameterFlags().size(); i++) {
      descriptor.add(i == 0 ? "$L" : ",$W$L", GeneratedText.listOf(model.parameterFlags().get(i).suffixes()));
    }
    descriptor.add("),$W$L,$W$L,$W$T.of(", GeneratedText.listOf(model.decayedNameSuffixes()),
        model.scalarLayout().matrixShape(), Map.class);
    boolean firstShape = true;
    for (StateModel state : model.states()) {
      if (state.shape() != StateShape.FULL) {
        descriptor.add(firstShape ? "$S, $T.$L" : ",$W$S, $T.$L", state.name(), StateShape.class, state.shape().name());
        firstShape = false;
      }
    }
    descriptor.add("))");
    type.addField(FieldSpec.builder(OptimizerDescriptor.class, "DESCRIPTOR", Modifier.PUBLIC, Modifier.STATIC,
        Modifier.FINAL).initializer(descriptor.build()).build());

    for (HyperparameterModel h : model.hyperparameters()) {
      type.addField(double.class, h.name(), Modifier.PRIVATE, Modifier.FINAL);
    }
    for (DType dtype : DType.values()) {
      type.addField(UpdateKernel.class, kernelField(dtype), Modifier.PRIVATE, Modifier.FINAL);
    }
    if (model.factored()) {
      for (DType dtype : DType.values()) {
        type.addField(UpdateKernel.class, factoredKernelField(dtype), Modifier.PRIVATE, Modifier.FINAL);
      }
    }

    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("With every parameter at its default.\n")
        .addStatement("this($T.of())", Map.class).build());

    MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("@param params MXNet-style parameters by name, e.g. {@code learning_rate}, {@code wd}, "
            + "{@code clip_gradient}, and this optimizer's hyperparameters\n"
            + "@throws IllegalArgumentException naming any unknown or invalid parameter\n")
        .addParameter(paramsType, "params")
        .addStatement("super(DESCRIPTOR, params)");
    for (HyperparameterModel h : model.hyperparameters()) {
      constructor.addStatement("this.$L = hyperparameter($S)", h.name(), h.name());
    }
    constructor.addStatement("double $L = clipGradient().orElse(-1.0)", OptimizerModel.CLIP_GRADIENT);
    StringBuilder selectArgs = new StringBuilder();
    StringBuilder factoredArgs = new StringBuilder();
    for (SwitchModel s : model.switches()) {
      if (s.perParameter()) {
        // factored: chosen per weight, by its shape (factoredKernel for two or more dimensions)
        selectArgs.append(", false");
        factoredArgs.append(", true");
        continue;
      }
      constructor.addComment("switch $L: $L", s.name(), GeneratedText.oneLine(s.source()));
      constructor.addStatement("boolean $L = $L", switchLocal(s), condition(s.when()));
      selectArgs.append(", ").append(switchLocal(s));
      factoredArgs.append(", ").append(switchLocal(s));
    }
    for (DType dtype : DType.values()) {
      constructor.addStatement("this.$L = $T.select($T.$L$L)", kernelField(dtype), kernels, DType.class, dtype.name(),
          selectArgs);
    }
    if (model.factored()) {
      for (DType dtype : DType.values()) {
        constructor.addStatement("this.$L = $T.select($T.$L$L)", factoredKernelField(dtype), kernels, DType.class,
            dtype.name(), factoredArgs);
      }
    }
    type.addMethod(constructor.build());

    for (HyperparameterModel h : model.hyperparameters()) {
      MethodSpec.Builder accessor = MethodSpec.methodBuilder(SwitchSet.accessorName(h.name()))
          .addModifiers(Modifier.PUBLIC).returns(double.class)
          .addStatement("return $L", h.name());
      accessor.addJavadoc("$L{@code $L}, default $L.\n",
          h.doc().isEmpty() ? "" : GeneratedText.escapeJavadoc(h.doc()) + " ", h.name(), Double.toString(h.defaultValue()));
      type.addMethod(accessor.build());
    }

    type.addMethod(MethodSpec.methodBuilder("deriveScalars").addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED).addParameter(double[].class, "scalars")
        .addStatement("$T.deriveScalars(scalars)", kernels).build());

    MethodSpec.Builder kernel = MethodSpec.methodBuilder("kernel").addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED).returns(UpdateKernel.class).addParameter(DType.class, "dtype")
        .beginControlFlow("switch (dtype)");
    for (DType dtype : DType.values()) {
      kernel.addStatement("case $L: return $L", dtype.name(), kernelField(dtype));
    }
    kernel.addStatement("default: throw new $T($S + dtype)", IllegalArgumentException.class, "unsupported dtype ")
        .endControlFlow();
    type.addMethod(kernel.build());
    if (model.factored()) {
      MethodSpec.Builder factored = MethodSpec.methodBuilder("factoredKernel").addAnnotation(Override.class)
          .addModifiers(Modifier.PROTECTED).returns(UpdateKernel.class).addParameter(DType.class, "dtype")
          .addJavadoc("The kernels of weights of two or more dimensions, which keep values per row and column.\n")
          .beginControlFlow("switch (dtype)");
      for (DType dtype : DType.values()) {
        factored.addStatement("case $L: return $L", dtype.name(), factoredKernelField(dtype));
      }
      factored.addStatement("default: throw new $T($S + dtype)", IllegalArgumentException.class, "unsupported dtype ")
          .endControlFlow();
      type.addMethod(factored.build());
    }

    type.addType(TypeSpec.classBuilder("Factory")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(OptimizerFactory.class)
        .addJavadoc("Found by {@link java.util.ServiceLoader}: registers {@code $L}.\n", model.name())
        .addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(String.class).addStatement("return DESCRIPTOR.name()").build())
        .addMethod(MethodSpec.methodBuilder("aliases").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(List.class, String.class)).addStatement("return DESCRIPTOR.aliases()")
            .build())
        .addMethod(MethodSpec.methodBuilder("create").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(Optimizer.class).addParameter(paramsType, "params")
            .addStatement("return new $T(params)", self).build())
        .addMethod(MethodSpec.methodBuilder("spec").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(ClassName.get(Optional.class),
                ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class))))
            .addStatement("return $T.of($T.class)", Optional.class, ClassName.get(model.packageName(), model.typeName()))
            .build())
        .build());
    return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private CodeBlock javadoc() {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("The {@code $L} optimizer, generated from {@link $L}.\n\n", model.name(), model.typeName())
        .add("<p>Registered as {@code $L}", model.name());
    for (String alias : model.aliases()) {
      doc.add(", {@code $L}", alias);
    }
    doc.add(". Updates, by switch:\n<pre>\n");
    for (UpdateModel u : model.updates()) {
      doc.add("when $L:\n", u.whenSource().isBlank() ? "always" : GeneratedText.escapeJavadoc(u.whenSource()));
      u.statements().forEach(s -> doc.add("  $L\n", GeneratedText.escapeJavadoc(s.source())));
    }
    return doc.add("</pre>\n").build();
  }

  private static String kernelField(DType dtype) {
    return "kernel" + dtype.shortName();
  }

  private static String factoredKernelField(DType dtype) {
    return "factoredKernel" + dtype.shortName();
  }

  private static String switchLocal(SwitchModel s) {
    return SwitchSet.accessorName(s.name()) + "On";
  }

  /** A switch condition as a Java boolean expression over the hyperparameter fields, in double arithmetic. */
  private static CodeBlock condition(Condition c) {
    if (c instanceof Condition.Compare compare) {
      return CodeBlock.of("($L $L $L)", scalar(compare.left()), compare.comparison().symbol, scalar(compare.right()));
    } else if (c instanceof Condition.And and) {
      return CodeBlock.of("($L && $L)", condition(and.left()), condition(and.right()));
    } else if (c instanceof Condition.Or or) {
      return CodeBlock.of("($L || $L)", condition(or.left()), condition(or.right()));
    } else if (c instanceof Condition.Not not) {
      return CodeBlock.of("!$L", condition(not.operand()));
    }
    throw new IllegalStateException("validation let a bare name into a switch condition: " + c);
  }

  /**
   * Hyperparameters through {@code this.}, so that no constructor parameter or local can shadow
   * them; {@code clip_gradient} is the constructor's local.
   */
  private static CodeBlock scalar(Expr e) {
    return new ExpressionWriter(false, n -> n.equals(OptimizerModel.CLIP_GRADIENT) ? n : "this." + n, Map.of()).write(e);
  }

  /**
   * {@code deriveScalars(double[])}: each {@code @Scalar} in declaration order, in double, from the
   * slots of the scalar vector into its own slot. Locals carry the spec's names, so the body reads
   * like the spec.
   */
  private MethodSpec deriveScalars() {
    MethodSpec.Builder method = MethodSpec.methodBuilder("deriveScalars")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC).addParameter(double[].class, "scalars")
        .addJavadoc("Computes the per-update scalars into their slots of {@code scalars} (laid out as $L), once per\n"
            + "update, in double.\n", GeneratedText.escapeJavadoc(model.scalarNames().toString()));
    method.beginControlFlow("if (scalars.length != $L)", model.scalarNames().size())
        .addStatement("throw new $T($W$S + scalars.length)", IllegalArgumentException.class,
            "expected " + model.scalarNames().size() + " scalars " + model.scalarNames() + ", found ")
        .endControlFlow();
    if (model.derivedScalars().isEmpty()) {
      return method.addComment("the spec declares no @Scalar").build();
    }
    Set<String> read = new LinkedHashSet<>();
    model.derivedScalars().forEach(s -> Exprs.all(s.statement().value(), Expr.Name.class).forEach(n -> read.add(n.id())));
    Set<String> declared = new LinkedHashSet<>();
    for (String name : model.scalarNames()) {
      // inputs, and scalar states, whose value so far a @Scalar may read before assigning it
      if (read.contains(name) && !model.newScalarNames().contains(name)) {
        method.addStatement("double $L = scalars[$L]", name, model.scalarIndex(name));
        declared.add(name);
      }
    }
    ExpressionWriter writer = new ExpressionWriter(false, n -> n, Map.of());
    for (ScalarModel s : model.derivedScalars()) {
      method.addComment("$L", GeneratedText.oneLine(s.statement().source()));
      method.addStatement("$L$L = $L", declared.add(s.name()) ? "double " : "", s.name(), writer.write(s.statement().value()));
      method.addStatement("scalars[$L] = $L", model.scalarIndex(s.name()), s.name());
    }
    return method.build();
  }

  /**
   * Writes {@code XxxKernels}: every scalar kernel, the SIMD kernels when they were generated, and
   * the choice of one by dtype and switches (SIMD first, when {@link VectorSupport} allows it).
   * {@code written}: the kernels the processor wrote, which the table lists in that order.
   */
  JavaFile writeKernelTable(Generation generation, boolean withVectors, WrittenKernels written) {
    ClassName self = ClassName.get(model.packageName(), Names.kernelsClass(model));
    TypeName kernelList = ParameterizedTypeName.get(List.class, UpdateKernel.class);
    CodeBlock.Builder scalar = CodeBlock.builder().add("$T.of(\n", List.class).indent();
    CodeBlock.Builder vector = CodeBlock.builder().add("$T.of(\n", List.class).indent();
    boolean firstScalar = true;
    boolean firstVector = true;
    for (ClassName kernel : written.scalar()) {
      scalar.add(firstScalar ? "$T.INSTANCE" : ",\n$T.INSTANCE", kernel);
      firstScalar = false;
    }
    for (ClassName twin : written.twins()) {
      vector.add(firstVector ? "$T.INSTANCE" : ",\n$T.INSTANCE", twin);
      firstVector = false;
    }
    scalar.unindent().add(")");
    vector.unindent().add(")");

    MethodSpec.Builder vectors = MethodSpec.methodBuilder("vector")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(kernelList)
        .addJavadoc("The SIMD kernels, or none when they are off (see {@link $T}).\n", VectorSupport.class);
    if (withVectors) {
      vectors.beginControlFlow("if (!$T.enabled())", VectorSupport.class).addStatement("return $T.of()", List.class)
          .endControlFlow()
          .beginControlFlow("try")
          .addStatement("return Vectorized.KERNELS")
          .nextControlFlow("catch ($T e)", LinkageError.class)
          .addStatement("$T.disable(e)", VectorSupport.class)
          .addStatement("return $T.of()", List.class)
          .endControlFlow();
    } else {
      vectors.addComment("compiled without jdk.incubator.vector: no SIMD kernels were generated")
          .addStatement("return $T.of()", List.class);
    }

    MethodSpec.Builder select = MethodSpec.methodBuilder("select")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(UpdateKernel.class)
        .addJavadoc("The kernel for a storage type and switch values: SIMD when available and faster (see {@link $T#prefersVectors}), "
            + "else scalar.\n", VectorSupport.class)
        .addParameter(DType.class, "dtype");
    CodeBlock.Builder switchValues = CodeBlock.builder().add("$T.of($L", SwitchSet.class,
        GeneratedText.listOf(model.switches().stream().map(SwitchModel::name).toList()));
    for (SwitchModel s : model.switches()) {
      select.addParameter(boolean.class, switchLocal(s));
      switchValues.add(", $L", switchLocal(s));
    }
    select.addStatement("$T switches = $L)", SwitchSet.class, switchValues.build())
        .beginControlFlow("if ($T.prefersVectors(dtype))", VectorSupport.class)
        .beginControlFlow("for ($T kernel : vector())", UpdateKernel.class)
        .beginControlFlow("if (kernel.dtype() == dtype && kernel.switches().equals(switches))")
        .addStatement("return kernel").endControlFlow().endControlFlow().endControlFlow()
        .beginControlFlow("for ($T kernel : SCALAR)", UpdateKernel.class)
        .beginControlFlow("if (kernel.dtype() == dtype && kernel.switches().equals(switches))")
        .addStatement("return kernel").endControlFlow().endControlFlow()
        .addStatement("throw new $T($S + dtype)", IllegalArgumentException.class, "unsupported dtype ");

    TypeSpec.Builder type = generation.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The kernels of {@link $L}: $L scalar ($L storage types times $L switch combinations)$L, and its\n"
            + "per-update scalars.\n",
            model.typeName(), DType.values().length * model.allSwitchSets().size(), DType.values().length,
            model.allSwitchSets().size(), withVectors ? ", SIMD twins of those whose functions "
                + "have exact lanewise forms" : "")
        .addField(FieldSpec.builder(kernelList, "SCALAR", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .initializer(scalar.build()).build())
        .addField(FieldSpec.builder(int.class, "SIMD_TWINS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("How many SIMD twins were generated: what {@link #vector()} holds where SIMD is enabled$L.\n",
                withVectors ? "" : " (none: compiled without jdk.incubator.vector)")
            .initializer("$L", written.twins().size()).build())
        .addField(FieldSpec.builder(boolean.class, "SIMD_COMPILED", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Whether the compilation saw jdk.incubator.vector, and so wrote every SIMD twin the spec allows.\n")
            .initializer("$L", withVectors).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(vectors.build())
        .addMethod(select.build())
        .addMethod(deriveScalars());
    if (withVectors) {
      type.addType(TypeSpec.classBuilder("Vectorized")
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Loaded only once SIMD is known to be available: these classes need jdk.incubator.vector.\n")
          .addField(FieldSpec.builder(kernelList, "KERNELS", Modifier.STATIC, Modifier.FINAL)
              .initializer(vector.build()).build())
          .build());
    }
    return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("  ").build();
  }
}
