package org.optikern.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @VerifyKernels}: the property suite it generates, and an error for each misuse. */
class VerifyKernelsTest {
  private static final JavaFileObject SGD = SpecSources.named("SgdSpec",
      "@OptimizerSpec(name = \"plain_sgd\")",
      "@Hyperparameter(name = \"momentum\", defaultValue = 0.9)",
      "@Switch(name = \"momentum\", when = \"momentum != 0\")",
      "@State(name = \"mom\", when = \"momentum\")",
      "@Update(when = \"momentum\", formulas = {\"mom = momentum*mom - lr*grad\", \"weight = weight + mom\"})",
      "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*clip(grad, clip_gradient)\")");

  private static JavaFileObject verification(String annotation) {
    return JavaFileObjects.forSourceString("checks.Verified", "package checks;\n\n"
        + "import org.optikern.spec.VerifyKernels;\n\n"
        + annotation + "\n"
        + "class Verified {}\n");
  }

  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new OptimizerSpecProcessor()).withOptions("-Xlint:all,-processing", "-Werror")
        .compile(sources);
  }

  @Test
  void writesOnePropertyPerKernelNextToTheAnnotatedClass() throws IOException {
    Compilation compilation = compile(SGD, verification("@VerifyKernels(value = test.SgdSpec.class, tries = 50)"));
    assertThat(compilation).succeededWithoutWarnings();
    String suite = compilation.generatedSourceFile("checks.SgdKernelTests").orElseThrow()
        .getCharContent(true).toString();
    for (String kernel : new String[] {"momentumClippedF32", "noMomentumUnclippedF16", "momentumUnclippedF64"}) {
      assertThat(suite).contains("void " + kernel + "(@ForAll long seed)");
    }
    assertThat(suite.replaceAll("\\s+", " ")).contains("KernelVerification.check(SgdMomentumClippedF32Kernel.INSTANCE, "
        + "DType.FLOAT32, SwitchSet.of(List.of(\"momentum\", \"clipped\"), true, true), interpreter, seed);");
    String oneLine = suite.replaceAll("\\s+", " ");
    assertThat(oneLine).contains("for (UpdateKernel kernel : KernelVerification.simdKernelsToCheck(SgdKernels.vector(), "
        + "SgdKernels.SIMD_TWINS, SgdKernels.SIMD_COMPILED, \"Sgd\"))");
    assertThat(suite).contains("@AddLifecycleHook(SimdKernelsRunHere.class)");
    assertThat(oneLine).contains("return reason == null ? SkipExecutionHook.SkipResult.doNotSkip() : "
        + "SkipExecutionHook.SkipResult.skip(reason);");
    assertThat(suite.lines().mapToInt(String::length).max().orElse(0)).isAtMost(120);
    assertThat(suite).contains("tries = 50");
    assertThat(suite).contains("KernelVerification.interpreterOf(SgdSpec.class)");
    assertThat(suite.split("@Property", -1)).hasLength(14 + 1);
    assertThat(suite).contains("KernelVerification.checkRejectsBadCalls(kernel, interpreter, seed);");
  }

  @Test
  void aClassThatIsNotASpecIsAnError() {
    JavaFileObject source = verification("@VerifyKernels(String.class)");
    assertThat(compile(source)).hadErrorContaining("@VerifyKernels needs @OptimizerSpec interfaces; java.lang.String is not one")
        .inFile(source).onLineContaining("String.class");
  }

  @Test
  void aSpecWithErrorsIsNamed() {
    JavaFileObject broken = SpecSources.named("BrokenSpec", "@OptimizerSpec(name = \"broken\")",
        "@Update(formulas = \"weight = weight - lr*gard\")");
    JavaFileObject source = verification("@VerifyKernels(test.BrokenSpec.class)");
    assertThat(compile(broken, source)).hadErrorContaining("cannot verify BrokenSpec: the spec has 1 error(s), reported where "
        + "it is compiled; the first: unknown name 'gard'").inFile(source).onLineContaining("BrokenSpec.class");
  }

  @Test
  void triesMustBePositive() {
    JavaFileObject source = verification("@VerifyKernels(value = test.SgdSpec.class, tries = 0)");
    assertThat(compile(SGD, source)).hadErrorContaining("@VerifyKernels tries must be at least 1, found 0")
        .inFile(source).onLineContaining("tries = 0");
  }

  @Test
  void aSpecNamedTwiceIsAnError() {
    JavaFileObject source = verification("@VerifyKernels({test.SgdSpec.class, test.SgdSpec.class})");
    assertThat(compile(SGD, source)).hadErrorContaining("the property suite of SgdSpec is already generated in this package "
        + "(SgdKernelTests): name each spec once per package").inFile(source).onLineContaining("@VerifyKernels");
  }

  @Test
  void allInPackageFindsEverySpecOfThePackage() throws IOException {
    JavaFileObject specHere = JavaFileObjects.forSourceString("checks.HereSpec", "package checks;\n"
        + "import org.optikern.spec.*;\n"
        + "@OptimizerSpec(name = \"here\") @Update(formulas = \"weight = weight - lr*grad\")\n"
        + "public interface HereSpec {}\n");
    Compilation compilation = compile(SGD, specHere, verification("@VerifyKernels(allInPackage = true)"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("checks.HereKernelTests");
    // the spec in another package is not verified unless named
    assertThat(compilation.generatedSourceFile("checks.SgdKernelTests")).isEmpty();
  }

  @Test
  void allInPackageWithoutSpecsIsAnError() {
    JavaFileObject source = verification("@VerifyKernels(allInPackage = true)");
    assertThat(compile(source)).hadErrorContaining("@VerifyKernels(allInPackage = true) found no @OptimizerSpec "
        + "interface in package checks").inFile(source).onLineContaining("allInPackage");
  }

  @Test
  void nothingToVerifyIsAnError() {
    JavaFileObject source = verification("@VerifyKernels");
    assertThat(compile(source)).hadErrorContaining("@VerifyKernels needs the specs to verify, or allInPackage = true")
        .inFile(source).onLineContaining("@VerifyKernels");
  }

  @Test
  void aSuiteThatIsAHandWrittenClassIsAnError() {
    JavaFileObject source = verification("@VerifyKernels(test.SgdSpec.class)");
    JavaFileObject handWritten = JavaFileObjects.forSourceString("checks.SgdKernelTests",
        "package checks;\n\nclass SgdKernelTests {}\n");
    Compilation compilation = compile(SGD, source, handWritten);
    assertThat(compilation).hadErrorContaining("the generated class checks.SgdKernelTests (the property suite of "
        + "SgdSpec) would clash with the class checks.SgdKernelTests written in this compilation; rename the spec "
        + "or that class").inFile(source).onLineContaining("SgdSpec.class");
    assertThat(compilation).hadErrorCount(1);
  }
}
