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
  static final String SUFFIX = "KernelProperties";
  private static final ClassName PROPERTY = ClassName.get("net.jqwik.api", "Property");
  private static final ClassName FOR_ALL = ClassName.get("net.jqwik.api", "ForAll");
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
        suite.addMethod(property(lowerFirst(switches.label()) + dtype.shortName())
            .addJavadoc("{@code $L}, $L storage.\n", switches, dtype.mxnetName())
            .addStatement("$T.check($T.INSTANCE, $L, seed)", KernelVerification.class, kernel, INTERPRETER)
            .build());
      }
    }
    suite.addMethod(property("simdKernels")
        .addJavadoc("The SIMD kernels enabled in this JVM (run with {@code --add-modules jdk.incubator.vector}); none otherwise.\n")
        .beginControlFlow("for ($T kernel : $T.vector())", UpdateKernel.class, kernels)
        .addStatement("$T.check(kernel, $L, seed)", KernelVerification.class, INTERPRETER)
        .endControlFlow()
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
        .addStatement("$T.checkRejectsBadCalls(kernel, $L, seed)", KernelVerification.class, model.scalarNames().size())
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
