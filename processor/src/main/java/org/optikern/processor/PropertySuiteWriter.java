package org.optikern.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;
import org.optikern.verify.KernelVerification;

/**
 * Writes the jqwik property class that {@code @VerifyKernels} asks for: one property per scalar
 * kernel of the spec, named after its variant, and one over the SIMD kernels that are enabled at
 * run time. Each try checks one random case ({@link KernelVerification}).
 */
final class PropertySuiteWriter {
  /** Surefire's default includes match {@code *Tests}: a user's build runs the suite without configuration. */
  static final String SUFFIX = "KernelTests";
  private static final ClassName PROPERTY = ClassName.get("net.jqwik.api", "Property");
  private static final ClassName FOR_ALL = ClassName.get("net.jqwik.api", "ForAll");
  private static final ClassName ADD_LIFECYCLE_HOOK = ClassName.get("net.jqwik.api.lifecycle", "AddLifecycleHook");
  private static final ClassName SKIP_HOOK = ClassName.get("net.jqwik.api.lifecycle", "SkipExecutionHook");
  private static final ClassName SKIP_RESULT = ClassName.get("net.jqwik.api.lifecycle", "SkipExecutionHook", "SkipResult");
  private static final ClassName LIFECYCLE_CONTEXT = ClassName.get("net.jqwik.api.lifecycle", "LifecycleContext");
  private static final String SIMD_HOOK = "SimdKernelsRunHere";
  private static final String INTERPRETER = "interpreter";

  private final OptimizerModel model;
  private final String testPackage;
  private final String requestedBy;
  private final int tries;

  PropertySuiteWriter(OptimizerModel model, String testPackage, String requestedBy, int tries) {
    this.model = model;
    this.testPackage = testPackage;
    this.requestedBy = requestedBy;
    this.tries = tries;
  }

  static String className(OptimizerModel model) {
    return Names.optimizerClass(model) + SUFFIX;
  }

  JavaFile write(Generation generation) {
    ClassName spec = ClassName.get(model.packageName(), model.typeName());
    ClassName kernels = ClassName.get(model.packageName(), Names.kernelsClass(model));
    TypeSpec.Builder suite = generation.classBuilder(ClassName.get(testPackage, className(model)))
        .addJavadoc("Checks every kernel generated from {@link $T} against the spec's interpreter, bit for bit, on random\n"
            + "arrays and scalars ({@link $T}). Written for {@code @VerifyKernels} on {@code $L}.\n",
            spec, KernelVerification.class, requestedBy)
        // an instance field, not a static one: built while a property runs, so coverage tools (PIT) see which
        // properties use the interpreter
        .addField(FieldSpec.builder(Interpreter.class, INTERPRETER, Modifier.PRIVATE, Modifier.FINAL)
            .initializer("$T.interpreterOf($T.class)", KernelVerification.class, spec)
            .build());
    for (DType dtype : DType.values()) {
      for (SwitchSet switches : model.allSwitchSets()) {
        ClassName kernel = ClassName.get(model.packageName(), Names.kernelClass(model, switches, dtype));
        // the variant is the one this loop is at, not what the kernel says of itself: a kernel written for
        // another variant fails here, against the interpreter running this one
        suite.addMethod(property(lowerFirst(switches.label()) + dtype.shortName())
            .addJavadoc("{@code $L}, $L storage.\n", switches, dtype.mxnetName())
            .addStatement("$T.check($T.INSTANCE,$W$T.$L,$W$L,$W$L,$Wseed)", KernelVerification.class, kernel,
                DType.class, dtype.name(), GeneratedText.switchSetLiteral(switches), INTERPRETER)
            .build());
      }
    }
    ClassName skipHook = ClassName.get(testPackage, className(model), SIMD_HOOK);
    suite.addMethod(property("simdKernels")
        .addJavadoc("The SIMD kernels, where this JVM runs them (with {@code --add-modules jdk.incubator.vector}); reported as\n"
            + "skipped, with the reason, where it does not, and failed then if {@code -Doptikern.expectSimd=true}.\n")
        .addAnnotation(AnnotationSpec.builder(ADD_LIFECYCLE_HOOK).addMember("value", "$T.class", skipHook).build())
        .beginControlFlow("for ($T kernel :$W$T.simdKernelsToCheck($T.vector(),$W$T.SIMD_TWINS,$W$T.SIMD_COMPILED,$W$S))",
            UpdateKernel.class, KernelVerification.class, kernels, kernels, kernels, Names.optimizerClass(model))
        .addStatement("$T.check(kernel, $L, seed)", KernelVerification.class, INTERPRETER)
        .endControlFlow()
        .build());
    suite.addType(TypeSpec.classBuilder(SIMD_HOOK)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Skips {@code simdKernels} where there is nothing to check, saying why, unless SIMD is expected.\n")
        .addSuperinterface(SKIP_HOOK)
        .addMethod(MethodSpec.methodBuilder("shouldBeSkipped")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(SKIP_RESULT)
            .addParameter(LIFECYCLE_CONTEXT, "context")
            .addStatement("$T reason =$W$T.simdSkipReason($T.SIMD_TWINS,$W$T.SIMD_COMPILED,$W$S)", String.class,
                KernelVerification.class, kernels, kernels, Names.optimizerClass(model))
            .addStatement("return reason == null$W? $T.doNotSkip()$W: $T.skip(reason)", SKIP_RESULT, SKIP_RESULT)
            .build())
        .build());
    if (!model.derivedScalars().isEmpty()) {
      suite.addMethod(property("perUpdateScalars")
          .addJavadoc("The per-update scalars ({@code @Scalar}), computed in double, against the interpreter's.\n")
          .addStatement("$T.checkDerivedScalars($T::deriveScalars, $L, seed)", KernelVerification.class, kernels,
              INTERPRETER)
          .build());
    }
    suite.addMethod(property("badCallsAreRejectedBeforeWriting")
        .addJavadoc("Every kernel, scalar and SIMD: a range outside an array, or the wrong number of states or scalars, throws\n"
            + "before anything is written.\n")
        .beginControlFlow("for ($T kernel : $T.concat($T.SCALAR.stream(), $T.vector().stream()).toList())",
            UpdateKernel.class, Stream.class, kernels, kernels)
        .addStatement("$T.checkRejectsBadCalls(kernel, $L, seed)", KernelVerification.class, INTERPRETER)
        .endControlFlow()
        .build());
    return JavaFile.builder(testPackage, suite.build()).skipJavaLangImports(true).build();
  }

  private MethodSpec.Builder property(String name) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(AnnotationSpec.builder(PROPERTY).addMember("tries", "$L", tries).build())
        .addParameter(ParameterSpec.builder(long.class, "seed").addAnnotation(FOR_ALL).build());
  }

  private static String lowerFirst(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
