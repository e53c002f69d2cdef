package org.optikern.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** What the processor writes for a valid spec: one kernel per variant, readable, without dead branches. */
class GeneratedCodeTest {
  /** The README's momentum SGD: also the spec of {@link GoldenGeneratedFilesTest}. */
  static final JavaFileObject SGD = SpecSources.named("MomentumSgdSpec",
      "@OptimizerSpec(name = \"momentum_sgd\", aliases = \"msgd\")",
      "@Hyperparameter(name = \"momentum\", defaultValue = 0.9)",
      "@Switch(name = \"momentum\", when = \"momentum != 0\")",
      "@State(name = \"mom\", when = \"momentum\")",
      "@Update(when = \"momentum\", formulas = {",
      "    \"mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)\",",
      "    \"weight = weight + mom\"})",
      "@Update(when = \"!momentum\", formulas = \"weight = (1 - lr*wd)*weight - lr*clip(rescale_grad*grad, clip_gradient)\")");

  private static Compilation compile() {
    return javac().withProcessors(new OptimizerSpecProcessor()).withOptions("-Xlint:all,-processing", "-Werror").compile(SGD);
  }

  /**
   * A generated file with the processor's line wrapping undone ({@link LineWrapper}: breaks after
   * {@code ", "}, before a chained call's dot or an operator), so that checks
   * read whole statements.
   */
  private static String source(Compilation compilation, String simpleName) {
    JavaFileObject file = compilation.generatedSourceFile("test." + simpleName).orElseThrow(
        () -> new AssertionError("no generated source " + simpleName));
    try {
      return unwrapped(file.getCharContent(true).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String unwrapped(String source) {
    return source.replaceAll(",\\n\\s+", ", ").replaceAll("\\n\\s+\\.", ".")
        .replaceAll("\\n\\s+(&&|\\|\\||[-+?] )", " $1");
  }

  @Test
  void compilesWithoutAnyWarning() {
    assertThat(compile()).succeededWithoutWarnings();
  }

  @Test
  void writesTwelveKernelsTheTableAndTheOptimizer() {
    Compilation compilation = compile();
    for (String dtype : List.of("F32", "F64", "F16")) {
      for (String variant : List.of("MomentumClipped", "MomentumUnclipped", "NoMomentumClipped", "NoMomentumUnclipped")) {
        assertThat(compilation).generatedSourceFile("test.MomentumSgd" + variant + dtype + "Kernel");
      }
    }
    assertThat(compilation).generatedSourceFile("test.MomentumSgdKernels");
    assertThat(compilation).generatedSourceFile("test.MomentumSgd");
    assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/org.optikern.optim.OptimizerFactory").contentsAsUtf8String()
        .isEqualTo("test.MomentumSgd$Factory\n");
  }

  @Test
  void unclippedKernelHasNoClipCodeAndNoClipParameter() {
    String unclipped = source(compile(), "MomentumSgdMomentumUnclippedF32Kernel");
    assertThat(unclipped).doesNotContain("KernelMath.clip");
    assertThat(unclipped).doesNotContain("float clip_gradient");
    String clipped = source(compile(), "MomentumSgdMomentumClippedF32Kernel");
    assertThat(clipped).contains("KernelMath.clip((rescale_grad * grad_i), clip_gradient)");
  }

  @Test
  void momentumFreeKernelTouchesNoStateArray() {
    String kernel = source(compile(), "MomentumSgdNoMomentumUnclippedF64Kernel");
    assertThat(kernel).doesNotContain("mom[");
    assertThat(kernel).doesNotContain("mom_i");
    assertThat(kernel).doesNotContain("states[");
    assertThat(kernel).contains("public static void update(double[] weight, double[] grad, int offset, int length,");
  }

  @Test
  void loopInvariantsAreHoistedAndGroupingIsExplicit() {
    String kernel = source(compile(), "MomentumSgdMomentumClippedF32Kernel");
    assertThat(kernel).contains("final float inv_0 = (lr * wd);");
    assertThat(kernel).contains(
        "mom_i = (((momentum * mom_i) - (inv_0 * weight_i)) - (lr * KernelMath.clip((rescale_grad * grad_i), clip_gradient)));");
    assertThat(kernel).contains("// mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)");
  }

  @Test
  void halfKernelsStoreBinary16InShortArraysAndRoundOnce() {
    String kernel = source(compile(), "MomentumSgdMomentumClippedF16Kernel");
    assertThat(kernel).contains("short[] weight, short[] grad, short[] mom");
    assertThat(kernel).contains("float weight_i = Half.toFloat(weight[i]);");
    assertThat(kernel).contains("mom[i] = Half.fromFloat(");
    // the weight formula reads the stored (rounded) mom
    assertThat(kernel).contains("mom_i = Half.toFloat(mom[i]);");
  }

  @Test
  void optimizerHasAccessorsAndEvaluatesSwitchesOnce() {
    String optimizer = source(compile(), "MomentumSgd");
    assertThat(optimizer).contains("public double momentum()");
    assertThat(optimizer).contains("boolean momentumOn = (this.momentum != 0.0);");
    assertThat(optimizer).contains("boolean clippedOn = (clip_gradient > 0.0);");
    assertThat(optimizer).contains("new OptimizerDescriptor(\"momentum_sgd\", List.of(\"msgd\"), 0.01");
  }

  @Test
  void simdTwinsAreWrittenWhenTheCompilationSeesTheVectorModule() {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(SGD);
    assertThat(compilation).succeeded();
    String kernel = source(compilation, "MomentumSgdMomentumClippedF32VectorKernel");
    assertThat(kernel).contains("private static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.vectorBits()));");
    assertThat(kernel).contains("final FloatVector inv_0_v = FloatVector.broadcast(SPECIES, inv_0);");
    assertThat(kernel).contains("for (int upper = offset + SPECIES.loopBound(length); i < upper; i += SPECIES.length())");
    assertThat(kernel).contains("MomentumSgdMomentumClippedF32Kernel.update(weight, grad, mom, i, offset + length - i");
    assertThat(kernel).doesNotContain("fma");
    assertThat(source(compilation, "MomentumSgdMomentumUnclippedF64VectorKernel")).doesNotContain("DoubleVector clip(");
    String half = source(compilation, "MomentumSgdMomentumClippedF16VectorKernel");
    assertThat(half).contains("private static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(VectorSupport.halfVectorBits()));");
    assertThat(half).contains("lanes(weight, grad, mom, blockStart, blockEnd, EVEN_POSITIONS, ");
    assertThat(half).contains("lanes(weight, grad, mom, blockStart, blockEnd, ODD_POSITIONS, ");
    // JDK 17's and 18's Vector API loads from ByteBuffers; javac of a later JDK compiles against one without
    boolean bufferLoads = Runtime.version().feature() < 19;
    // loop invariants: computed once per call in each update (arrays; buffers directly, through handles), handed
    // to both passes of every block
    assertThat(half.split("final float inv_0 = ", -1)).hasLength(bufferLoads ? 4 : 3);
    assertThat(half).containsMatch("lanes\\(weight, grad, mom, blockStart, blockEnd, EVEN_POSITIONS, [^;]*, inv_0\\);");
    assertThat(half).containsMatch("int halfShift, [^)]*\\sfloat inv_0\\) \\{");
    assertThat(half).contains("final IntVector momPairs = ShortVector.fromArray(HALVES, mom, i).reinterpretAsInts();");
    assertThat(half).contains("momPairs.and(keepMask).or(momHalf.lanewise(VectorOperators.LSHL, shiftBack))"
        + ".reinterpretAsShorts().intoArray(mom, i);");
    assertThat(half).contains("MomentumSgdMomentumClippedF16Kernel.update(weight, grad, mom, wholeEnd, offset + length - wholeEnd");
    // over buffers: the same lanes, loaded and stored through BufferLanes' method handles, or else the scalar kernel
    assertThat(half).contains("final IntVector momPairs = ((ShortVector) LOAD_LANES.invokeExact(HALVES, momMemory, "
        + "(long) i << 1, ByteOrder.nativeOrder())).reinterpretAsInts();");
    assertThat(half).contains("private static final MethodHandle LOAD_LANES = BufferLanes.load(ShortVector.class, "
        + "VectorSpecies.class);");
    // the public buffer update: JDK 17's fromByteBuffer (where the compilation has it), else handles, else scalar
    String handlesThenScalar = "if \\(LANES_FROM_MEMORY\\) \\{\\s*updateFromMemory\\(weight, grad, mom, offset, length, "
        + "[^;]*;\\s*return;\\s*}\\s*// [^\\n]*\\s*MomentumSgdMomentumClippedF16Kernel.update\\(weight, grad, mom, offset, length, ";
    if (bufferLoads) {
      assertThat(half).containsMatch("if \\(LANES_OVER_BUFFERS\\) \\{\\s*updateOverBuffers\\(weight, grad, mom, offset, "
          + "length, [^;]*;\\s*return;\\s*}\\s*" + handlesThenScalar);
      assertThat(half).contains("final IntVector momPairs = ShortVector.fromByteBuffer(HALVES, mom, i << 1, "
          + "ByteOrder.nativeOrder()).reinterpretAsInts();");
    } else {
      assertThat(half).containsMatch("OffHeapRanges.check\\(\"mom\", mom, offset, length, 1\\);\\s*" + handlesThenScalar);
      assertThat(half).doesNotContain(".fromByteBuffer(");
    }
    assertThat(half).contains("final Object momMemory = (Object) LANE_SOURCE.invokeExact(mom);");
    assertThat(kernel).contains("FloatVector weight_i = ((FloatVector) LOAD_LANES.invokeExact(SPECIES, weightMemory, "
        + "(long) i << 2, ByteOrder.nativeOrder()));");
    assertThat(half).doesNotContain("convert");
    assertThat(half).doesNotContain("castShape");
    assertThat(source(compilation, "MomentumSgdKernels")).contains("return Vectorized.KERNELS;");
    // without the module: scalar kernels only
    assertThat(compile().generatedSourceFile("test.MomentumSgdMomentumClippedF32VectorKernel").isPresent()).isFalse();
  }

  @Test
  void formulasWrittenOverSeveralLinesCompile() {
    JavaFileObject textBlocks = SpecSources.named("MultiLineSpec",
        "@OptimizerSpec(name = \"multi_line\")",
        "@Hyperparameter(name = \"beta\", defaultValue = 0.9, doc = \"a path like C:\\\\users and \\\\u0041 in a doc\")",
        "@Switch(name = \"averaged\", when = \"\"\"",
        "    beta > 0 &&",
        "    beta < 1\"\"\")",
        "@State(name = \"m\", when = \"averaged\")",
        "@Update(when = \"averaged\", formulas = {\"\"\"",
        "    m = beta*m",
        "      + (1 - beta)*grad\"\"\", \"weight = weight - lr*m\"})",
        "@Update(when = \"!averaged\", formulas = \"weight = weight - lr*grad\")");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(textBlocks);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void everyFileIsMarkedGenerated() {
    String kernel = source(compile(), "MomentumSgdNoMomentumClippedF16Kernel");
    assertThat(kernel).contains("@Generated(");
    assertThat(kernel).contains("value = \"org.optikern.processor.OptimizerSpecProcessor\"");
    assertThat(kernel).contains("comments = \"from test.MomentumSgdSpec\"");
  }

  private static final JavaFileObject ADAM_LIKE = SpecSources.named("BiasCorrectedSpec",
      "@OptimizerSpec(name = \"bias_corrected\")",
      "@Hyperparameter(name = \"beta1\", defaultValue = 0.9)",
      "@Scalar(\"coef1 = 1 - pow(beta1, t)\")",
      "@Scalar(value = \"lr_t = lr/coef1\", doc = \"bias-corrected step\")",
      "@State(name = \"m\")",
      "@Update(formulas = {\"m = beta1*m + (1 - beta1)*grad\", \"weight = weight - lr_t*m\"})");

  @Test
  void perUpdateScalarsAreComputedOnceInTheKernelTable() {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(ADAM_LIKE);
    assertThat(compilation).succeededWithoutWarnings();
    String table = source(compilation, "BiasCorrectedKernels");
    assertThat(table).contains("public static void deriveScalars(double[] scalars)");
    assertThat(table).contains("double t = scalars[4];");
    assertThat(table).contains("double beta1 = scalars[5];");
    assertThat(table).contains("// coef1 = 1 - pow(beta1, t)");
    assertThat(table).contains("double coef1 = (1.0 - KernelMath.pow(beta1, t));");
    assertThat(table).contains("scalars[6] = coef1;");
    assertThat(table).contains("double lr_t = (lr / coef1);");
    assertThat(table).contains("scalars[7] = lr_t;");
    // the kernels take the derived scalar as a parameter and never see t or coef1
    String kernel = source(compilation, "BiasCorrectedUnclippedF32Kernel");
    assertThat(kernel).contains("float lr_t)");
    assertThat(kernel).doesNotContain("float coef1");
    assertThat(kernel).doesNotContain("float t");
    assertThat(kernel).doesNotContain("pow(");
    assertThat(source(compilation, "BiasCorrected")).contains("BiasCorrectedKernels.deriveScalars(scalars);");
  }

  @Test
  void variantsCallingPowHaveNoSimdTwin() {
    JavaFileObject spec = SpecSources.named("PowSpec", "@OptimizerSpec(name = \"pow_trial\")",
        "@Update(when = \"clipped\", formulas = \"weight = weight - lr*pow(abs(grad), 0.5)\")",
        "@Update(when = \"!clipped\", formulas = \"weight = weight - lr*grad\")");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("test.PowUnclippedF32VectorKernel");
    assertThat(compilation.generatedSourceFile("test.PowClippedF32VectorKernel")).isEmpty();
    assertThat(source(compilation, "PowClippedF32Kernel")).contains("KernelMath.pow(Math.abs(grad_i), 0.5f)");
  }

  @Test
  void powInALoopInvariantKeepsTheSimdTwin() {
    JavaFileObject spec = SpecSources.named("InvariantPowSpec", "@OptimizerSpec(name = \"invariant_pow\")",
        "@Hyperparameter(name = \"beta\", defaultValue = 0.9)",
        "@Update(formulas = \"weight = weight - lr/(1 - pow(beta, t))*grad\")");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    String vector = source(compilation, "InvariantPowClippedF32VectorKernel");
    assertThat(vector).contains("final float inv_0 = (lr / (1.0f - KernelMath.pow(beta, t)));");
    assertThat(vector).doesNotContain("POW");
  }

  /** The SIMD writers' own locals are camel case, so spec names that read like them compile. */
  @Test
  void specNamesLikeTheSimdKernelsLocalsCompile() {
    JavaFileObject spec = SpecSources.named("LookalikeSpec", "@OptimizerSpec(name = \"lookalike\")",
        "@Hyperparameter(name = \"zero\", defaultValue = 0)", "@Hyperparameter(name = \"one\", defaultValue = 1)",
        "@Hyperparameter(name = \"keep\", defaultValue = 1)", "@Hyperparameter(name = \"back\", defaultValue = 1)",
        "@Hyperparameter(name = \"shift\", defaultValue = 1)", "@Hyperparameter(name = \"whole\", defaultValue = 1)",
        "@State(name = \"block\")", "@State(name = \"from\")", "@State(name = \"sign_0\")",
        "@Update(formulas = {\"let to = sign(block*keep + from) - square(back*grad)\", \"block = clip(to + whole, shift)\",",
        "    \"from = from + one\", \"sign_0 = sign_0 + zero\", \"weight = weight - lr*sign(to + sign_0)\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    assertThat(compilation.generatedSourceFile("test.LookalikeClippedF16VectorKernel").isPresent()).isTrue();
  }

  private static final JavaFileObject WITH_TEMPORARY = SpecSources.named("TemporarySpec",
      "@OptimizerSpec(name = \"temporary_trial\")",
      "@Hyperparameter(name = \"clip_weights\", defaultValue = 1)",
      "@State(name = \"n\")",
      "@Update(formulas = {\"let g = clip(rescale_grad*grad + wd*weight, clip_gradient)\", \"n = n + g*g\",",
      "    \"weight = clip(weight - lr*g/sqrt(n) + gt(g, 0), clip_weights)\"})");

  @Test
  void aTemporaryIsALocalOfTheArithmeticNeverStored() {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(WITH_TEMPORARY);
    assertThat(compilation).succeeded();
    String half = source(compilation, "TemporaryClippedF16Kernel");
    assertThat(half).contains("final float g_i = KernelMath.clip(((rescale_grad * grad_i) + (wd * weight_i)), "
        + "clip_gradient);");
    assertThat(half).doesNotContain("g[i]");
    String vector = source(compilation, "TemporaryClippedF32VectorKernel");
    assertThat(vector).contains("final FloatVector clipOf0 = rescale_grad_v.mul(grad_i).add(wd_v.mul(weight_i));");
    assertThat(vector).contains("final FloatVector g_i = clipOf0.blend(clip_gradient_v.neg(), ");
    assertThat(vector).contains("zeroLanes.blend(oneLanes, g_i.compare(VectorOperators.GT, lit_");
    assertThat(vector).doesNotContain("private static FloatVector");
  }

  @Test
  void aStateAssignedTwiceInAPassIsStoredOnceExceptInHalf() {
    JavaFileObject spec = SpecSources.named("TwiceSpec", "@OptimizerSpec(name = \"twice\")", "@State(name = \"mom\")",
        "@Update(formulas = {\"mom = 0.9*mom\", \"weight = weight - mom - lr*grad\",",
        "    \"mom = mom + lr*grad\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    String heapLoop = firstLoop(source(compilation, "TwiceUnclippedF32Kernel"), "for (int i = offset");
    // the first value lives in the local that the weight's formula reads; only the last one is stored
    assertThat(heapLoop).contains("mom_i = (0.9f * mom_i);");
    assertThat(heapLoop.split("mom\\[i\\] = ", -1)).hasLength(2);
    String vectorLoop = firstLoop(source(compilation, "TwiceUnclippedF32VectorKernel"), "for (int upper");
    assertThat(vectorLoop.split("intoArray\\(mom, i\\)", -1)).hasLength(2);
    // float16 rounds each stored value: the first one is stored and read back, as the interpreter rounds it
    String halfLoop = firstLoop(source(compilation, "TwiceUnclippedF16Kernel"), "for (int i = offset");
    assertThat(halfLoop.split("mom\\[i\\] = ", -1)).hasLength(3);
  }

  /** The first loop of {@code kernel} that starts with {@code header}, up to its closing brace. */
  private static String firstLoop(String kernel, String header) {
    String loop = kernel.substring(kernel.indexOf(header));
    return loop.substring(0, loop.indexOf("\n    }\n"));
  }

  @Test
  void onlyClipByClipGradientVanishesWhenUnclipped() {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor()).compile(WITH_TEMPORARY);
    String unclipped = source(compilation, "TemporaryUnclippedF32Kernel");
    assertThat(unclipped).contains("final float g_i = ((rescale_grad * grad_i) + (wd * weight_i));");
    assertThat(unclipped).contains("KernelMath.clip(");
    assertThat(unclipped).contains(", clip_weights)");
    assertThat(unclipped).contains("KernelMath.gt(g_i, 0.0f)");
  }

  @Test
  void aReductionSplitsTheKernelIntoPasses() {
    JavaFileObject spec = SpecSources.named("TrustSpec", "@OptimizerSpec(name = \"trust\")", "@State(name = \"d\")",
        "@Update(formulas = {\"d = rescale_grad*grad + wd*weight\", \"let w_sq = sumsq(weight)\",",
        "    \"let d_sq = sumsq(d)\", \"let ratio = where(eq(d_sq, 0), 1, sqrt(w_sq)/sqrt(d_sq))\",",
        "    \"weight = weight - lr*ratio*d\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(spec);
    assertThat(compilation).succeededWithoutWarnings();
    String kernel = source(compilation, "TrustUnclippedF16Kernel");
    // both reductions join the first pass: each element's weight, and its d as stored (rounded to half, reloaded)
    assertThat(kernel).contains("d_i = Half.toFloat(d[i]);");
    assertThat(kernel).contains("w_sq_lanes[lane] = w_sq_lanes[lane] + weight_i * weight_i;");
    assertThat(kernel).contains("d_sq_lanes[lane] = d_sq_lanes[lane] + d_i * d_i;");
    assertThat(kernel).contains("final float w_sq = KernelMath.sumLanes(w_sq_lanes);");
    // the trust ratio, the same for every element, is computed once, after the reductions, before the second loop
    assertThat(kernel).contains("final float ratio = KernelMath.where(KernelMath.eq(d_sq, 0.0f), 1.0f, "
        + "(KernelMath.sqrt(w_sq) / KernelMath.sqrt(d_sq)));");
    assertThat(kernel).contains("final float inv_0 = (lr * ratio);");
    assertThat(kernel.indexOf("final float d_sq")).isLessThan(kernel.indexOf("final float ratio"));
    assertThat(kernel.indexOf("final float ratio")).isLessThan(kernel.indexOf("final float inv_0"));
    // two loops in each update, over arrays and over buffers: the reductions need no pass of their own
    assertThat(kernel.split("for \\(int i = offset", -1)).hasLength(5);
    assertThat(kernel).contains("public boolean inOneCall()");
  }

  @Test
  void aReductionOverAnExpressionNeedsNoBuffer() {
    JavaFileObject spec = SpecSources.named("NormedSpec", "@OptimizerSpec(name = \"normed\")",
        "@Update(formulas = {\"let g = clip(rescale_grad*grad, clip_gradient)\", \"let g_sq = sumsq(g)\",",
        "    \"let g_max = maxabs(g - weight)\",",
        "    \"weight = weight - lr*clip(rescale_grad*grad, clip_gradient)/sqrt(g_sq + g_max)\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(spec);
    assertThat(compilation).succeededWithoutWarnings();
    String kernel = source(compilation, "NormedClippedF32Kernel");
    assertThat(kernel).contains("final float g_i = KernelMath.clip((rescale_grad * grad_i), clip_gradient);");
    assertThat(kernel).contains("g_sq_lanes[lane] = g_sq_lanes[lane] + g_i * g_i;");
    assertThat(kernel).contains("final float g_max_term = (g_i - weight_i);");
    assertThat(kernel).doesNotContain("g_sq_term");
    assertThat(kernel).contains("g_max_lanes[lane] = Math.max(g_max_lanes[lane], Math.abs(g_max_term));");
    assertThat(kernel).contains("final float g_max = KernelMath.maxLanes(g_max_lanes);");
  }

  @Test
  void aReductionThatReadsAnotherStartsAPassOfItsOwn() {
    // a and c end the first pass; b reads h, a temporary of the second pass, and c, known since the first
    JavaFileObject spec = SpecSources.named("GroupsSpec", "@OptimizerSpec(name = \"groups\")",
        "@Update(formulas = {\"let a = sum(grad)\", \"let c = sumabs(weight)\", \"let h = a*grad\",",
        "    \"let b = sumsq(h*c)\", \"weight = weight - lr*(b + c)*grad\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor()).compile(spec);
    assertThat(compilation).succeeded();
    String kernel = source(compilation, "GroupsUnclippedF32Kernel");
    String heap = kernel.substring(kernel.indexOf("public static void update(float[]"),
        kernel.indexOf("public static void update(ByteBuffer"));
    assertThat(heap.split("for \\(int i = offset", -1)).hasLength(4); // three passes
    assertThat(heap.indexOf("final float c = KernelMath.sumLanes(c_lanes);"))
        .isLessThan(heap.indexOf("final float h_i = (a * grad_i);"));
    assertThat(heap).contains("final float b_term = (h_i * c);");
    assertThat(heap).contains("b_lanes[lane] = b_lanes[lane] + b_term * b_term;");
  }

  @Test
  void aTwinWithReductionsKeepsThePartialsOfItsLanesSideBySide() {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector")
        .compile(SpecSources.named("TrustSpec", "@OptimizerSpec(name = \"trust\")", "@State(name = \"d\")",
            "@Update(formulas = {\"d = rescale_grad*grad + wd*weight\", \"let w_sq = sumsq(weight)\",",
            "    \"let d_max = maxabs(d - grad)\", \"weight = weight - lr*sqrt(w_sq)*d_max*d\"})"));
    assertThat(compilation).succeeded();
    String twin = source(compilation, "TrustUnclippedF32VectorKernel");
    // partials in one or two vectors: in vector locals that trade places each vector, stored back after the loop
    assertThat(twin).contains("private static final int PARTIAL_VECTORS = KernelMath.LANES / SPECIES.length();");
    assertThat(twin).contains("private static final boolean PARTIALS_IN_VECTORS = PARTIAL_VECTORS <= 2;");
    assertThat(twin).contains("FloatVector w_sq_partials = FloatVector.fromArray(SPECIES, w_sq_lanes, 0);");
    assertThat(twin).contains(
        "FloatVector w_sq_partials_next = FloatVector.fromArray(SPECIES, w_sq_lanes, NEXT_PARTIALS_AT);");
    assertThat(twin).contains("final FloatVector w_sq_stepped = w_sq_partials.add(weight_i.mul(weight_i));");
    assertThat(twin).contains("w_sq_partials = PARTIAL_VECTORS == 2 ? w_sq_partials_next : w_sq_stepped;");
    assertThat(twin).contains("w_sq_partials_next = w_sq_stepped;");
    assertThat(twin).contains("final int partialsLane = (i - offset) & (KernelMath.LANES - 1);");
    assertThat(twin).contains("w_sq_partials_next.intoArray(w_sq_lanes, partialsLane ^ NEXT_PARTIALS_AT);");
    assertThat(twin.indexOf("w_sq_partials.intoArray(w_sq_lanes, partialsLane);"))
        .isLessThan(twin.indexOf("for (int end = offset + length; i < end; i++) {"));
    // more vectors: each vector step loads the lanes' partials from their array, steps them, stores them back
    assertThat(twin).contains("final int lane = (i - offset) & (KernelMath.LANES - 1);");
    assertThat(twin).contains("FloatVector.fromArray(SPECIES, w_sq_lanes, lane).add(weight_i.mul(weight_i))"
        + ".intoArray(w_sq_lanes, lane);");
    assertThat(twin).contains("final FloatVector d_max_term = d_i.sub(grad_i);");
    assertThat(twin).contains("FloatVector.fromArray(SPECIES, d_max_lanes, lane).max(d_max_term.abs())");
    // the pass's last elements join the same partials, then the tree; the second pass starts over
    assertThat(twin).contains("for (int end = offset + length; i < end; i++) {");
    assertThat(twin).contains("w_sq_lanes[lane] = w_sq_lanes[lane] + weight_i * weight_i;");
    assertThat(twin).contains("final float w_sq = KernelMath.sumLanes(w_sq_lanes);");
    assertThat(twin).contains("i = offset;");
    // the scalar kernel is called only where no Vector API loads from buffers, never for a tail
    assertThat(twin.split("TrustUnclippedF32Kernel\\.update\\(", -1)).hasLength(2);
    // float16 kernels with reductions have no twin yet
    assertThat(compilation.generatedSourceFiles().stream()
        .noneMatch(f -> f.getName().endsWith("TrustUnclippedF16VectorKernel.java"))).isTrue();
  }

  @Test
  void noiseIsDrawnABatchAtATimeFromTheKernelsKey() {
    JavaFileObject spec = SpecSources.named("NoisySpec", "@OptimizerSpec(name = \"noisy\")",
        "@Update(formulas = \"weight = weight - lr*grad + normal()*sqrt(lr)\")");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    String kernel = source(compilation, "NoisyClippedF32Kernel");
    assertThat(kernel).contains("float lr, long noise_key)");
    assertThat(kernel).contains("KernelMath.normals(noise_key, batch, normals, batch_end - batch);");
    assertThat(kernel).contains("((float) normals[i - batch] * inv_0)");
    assertThat(kernel).contains("(long) scalars[5]");
    // the twin draws the same batches, whole vectors, into floats its lanes load; the scalar kernel draws the tail's
    String twin = source(compilation, "NoisyClippedF32VectorKernel");
    assertThat(twin).contains("final float[] normals = KernelMath.floatNormalsBuffer(wholeEnd - offset);");
    assertThat(twin).contains("KernelMath.normals(noise_key, batch, normals, batch_end - batch);");
    assertThat(twin).contains("FloatVector.fromArray(SPECIES, normals, i - batch)");
    assertThat(twin).contains("NoisyClippedF32Kernel.update(weight, grad, i, offset + length - i");
    assertThat(source(compilation, "NoisyClippedF64VectorKernel")).contains(
        "final double[] normals = KernelMath.normalsBuffer(wholeEnd - offset);");
    // float16 twins run in parity passes, which the batches do not follow: none
    assertThat(compilation.generatedSourceFile("test.NoisyClippedF16VectorKernel")).isEmpty();
  }

  @Test
  void aFactoredTwinRunsRowsInVectorsOfColumnsAndOtherShapesInTheScalarKernel() {
    JavaFileObject spec = SpecSources.named("RowwiseSpec", "@OptimizerSpec(name = \"rowwise\")",
        "@State(name = \"v_row\", shape = \"rows\", when = \"factored\")",
        "@State(name = \"v_col\", shape = \"columns\", when = \"factored\")",
        "@State(name = \"v\", when = \"!factored\")",
        "@Update(when = \"factored\", formulas = {\"let g_rows = rowsum(grad*grad)\", \"let g_cols = colsum(grad*grad)\","
            + " \"v_row = 0.9*v_row + g_rows/cols\", \"v_col = 0.9*v_col + g_cols/rows\","
            + " \"weight = weight - lr*grad/sqrt(v_row*v_col + 1e-8)\"})",
        "@Update(when = \"!factored\", formulas = {\"v = 0.9*v + grad*grad\", \"weight = weight - lr*grad/sqrt(v + 1e-8)\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(spec);
    assertThat(compilation).succeeded();
    String twin = source(compilation, "RowwiseFactoredUnclippedF32VectorKernel");
    assertThat(twin).contains("if (columnCount % KernelMath.LANES != 0) {");
    assertThat(twin).contains("RowwiseFactoredUnclippedF32Kernel.update(weight, grad, v_row, v_col, offset, length, "
        + "columnCount,");
    // the sums along rows and columns in lanes, in the scalar kernel's order
    assertThat(twin).contains("final int columnLane = colIndex & (KernelMath.LANES - 1);");
    assertThat(twin).contains("final FloatVector g_rows_term = grad_i.mul(grad_i);");
    assertThat(twin).contains(
        "FloatVector.fromArray(SPECIES, g_rows_lanes, columnLane).add(g_rows_term).intoArray(g_rows_lanes, columnLane);");
    // ...or, in one or two vectors, in vector locals from the row's start to its sum
    assertThat(twin).contains("FloatVector g_rows_partials = FloatVector.fromArray(SPECIES, g_rows_lanes, 0);");
    assertThat(twin).contains("final FloatVector g_rows_stepped = g_rows_partials.add(g_rows_term);");
    assertThat(twin.indexOf("g_rows_partials.intoArray(g_rows_lanes, 0);"))
        .isLessThan(twin.indexOf("g_rows[rowIndex] = KernelMath.sumLanes(g_rows_lanes);"));
    assertThat(twin).contains("FloatVector.fromArray(SPECIES, g_cols, colIndex).add(");
    // a row's value broadcast once per row, a column's loaded at its column
    assertThat(twin).contains("final FloatVector v_row_i = FloatVector.broadcast(SPECIES, v_row[rowIndex]);");
    assertThat(twin).contains("final FloatVector v_col_i = FloatVector.fromArray(SPECIES, v_col, colIndex);");
    // the statements over rows and over columns stay scalar loops
    assertThat(twin).contains("for (int rowIndex = 0; rowIndex < rowCount; rowIndex++) {");
    assertThat(source(compilation, "RowwiseFactoredUnclippedF64VectorKernel")).contains("DoubleVector");
    assertThat(compilation.generatedSourceFile("test.RowwiseFactoredUnclippedF16VectorKernel")).isEmpty();
  }

  @Test
  void aScalarStateIsReadAndWrittenBackByDeriveScalars() {
    JavaFileObject spec = SpecSources.named("ScheduledSpec", "@OptimizerSpec(name = \"scheduled\")",
        "@State(name = \"schedule\", scalar = true, initial = \"1\")",
        "@Scalar(\"schedule = schedule*0.5\")", "@Scalar(\"step = lr*schedule\")",
        "@Update(formulas = \"weight = weight - step*grad\")");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror").compile(spec);
    assertThat(compilation).succeededWithoutWarnings();
    String table = source(compilation, "ScheduledKernels");
    // layout: lr, wd, rescale_grad, clip_gradient, t, then the new scalar step, then the scalar state
    assertThat(table).contains("double schedule = scalars[6];");
    assertThat(table).contains("schedule = (schedule * 0.5);");
    assertThat(table).contains("scalars[6] = schedule;");
    assertThat(table).contains("double step = (lr * schedule);");
    assertThat(table).contains("scalars[5] = step;");
    assertThat(source(compilation, "Scheduled")).contains("List.of(\"schedule\"), List.of(1.0), ");
  }
}
