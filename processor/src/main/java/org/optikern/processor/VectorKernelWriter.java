package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;
import org.optikern.kernel.BufferLanes;
import org.optikern.kernel.VectorSupport;
import org.optikern.lang.Statement;
import org.optikern.model.Extent;
import org.optikern.model.KernelPlan;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * Writes the SIMD twin of a kernel with jdk.incubator.vector: the same plan, lane by lane, with the
 * same operations in the same order (no fused multiply-add, no reassociation, no reductions), so it
 * equals the scalar kernel and the interpreter bit for bit. Vectors cover whole multiples of the
 * species length; the scalar kernel finishes the tail. Written only when the compilation can see
 * the incubator module.
 *
 * <p>Everything a lane computes is written inline in the loop, never in helper methods: C2 gives up
 * inlining in large loop bodies, and a vector that crosses a call that was not inlined is boxed
 * (measured: a float16 kernel 2x slower with sign and clip as helpers).
 *
 * <p>float16 twins widen and narrow halfs in int lanes of the same width, without the Vector API's
 * shape-changing conversions (not intrinsified on JDK 17, 70 ns per element): each int lane of a
 * {@code ShortVector} reinterpreted as ints holds two halfs, so the update runs twice per block of
 * elements, once for the even and once for the odd positions, each time keeping the other half of
 * every lane as it was. See {@link HalfLanes}.
 */
final class VectorKernelWriter {
  static final String VECTOR_PACKAGE = "jdk.incubator.vector";

  private final OptimizerModel model;
  /** The plan, class and signatures shared with the scalar kernel, whose class finishes each tail. */
  private final KernelClassWriter scalar;
  private final DType dtype;
  private final ClassName vectorType;
  private final TypeName elementBox;
  private final String literalSuffix;
  /** The reductions' partial results, in vector locals or in their arrays. */
  private final VectorPartials partials;

  /** Whether the compilation's Vector API has {@code fromByteBuffer} (JDK 17's and 18's): then twins call it directly. */
  private final boolean bufferLanesCompile;

  VectorKernelWriter(OptimizerModel model, SwitchSet switches, DType dtype) {
    this(model, switches, dtype, false);
  }

  VectorKernelWriter(OptimizerModel model, SwitchSet switches, DType dtype, boolean bufferLanesCompile) {
    this.bufferLanesCompile = bufferLanesCompile;
    this.model = model;
    this.scalar = new KernelClassWriter(model, switches, dtype);
    this.dtype = dtype;
    boolean isFloat = dtype != DType.FLOAT64;
    this.vectorType = ClassName.get(VECTOR_PACKAGE, isFloat ? "FloatVector" : "DoubleVector");
    this.elementBox = isFloat ? ClassName.get(Float.class) : ClassName.get(Double.class);
    this.literalSuffix = isFloat ? "f" : "";
    this.partials = new VectorPartials(vectorType);
  }

  /**
   * Why a twin that could be written lanewise is not: the float16 twin's {@code lanes} takes the loop
   * invariants as parameters too, and may be over the JVM's limit where the scalar kernel is not. Null if
   * nothing stops it here; the processor then writes the twin and checks the size of its code
   * ({@link CodeSize}). A variant gets a SIMD twin only when its functions are {@link #lanewiseExact}: the
   * Vector API's POW, EXP and LOG are not StrictMath's, so a variant calling them per element stays
   * scalar; inside a loop invariant (FTML's {@code 1 - pow(beta1, t)}) they are computed once, before the
   * loop, by the same scalar code, and do not matter.
   */
  static String limitProblem(OptimizerModel model, SwitchSet switches, DType dtype) {
    if (dtype != DType.FLOAT16) {
      return null;
    }
    VectorKernelWriter writer = new VectorKernelWriter(model, switches, dtype);
    int slots = writer.scalar.arrays().size() + 3 + writer.scalar.scalars().size()
        + writer.declarePerCall(MethodSpec.methodBuilder("update")).locals().size();
    if (slots <= KernelWriter.MAX_PARAMETER_SLOTS) {
      return null;
    }
    return "variant " + switches + " has no float16 SIMD kernel, only the scalar one: the SIMD kernel's lanes() would "
        + "take " + slots + " parameter slots (arrays, 3 ints, the scalars read and the " + (slots - 3
        - writer.scalar.arrays().size() - writer.scalar.scalars().size()) + " loop invariants), over the JVM's limit of "
        + KernelWriter.MAX_PARAMETER_SLOTS;
  }

  /** Whether every function the variant computes per element has a lanewise form with the scalar kernel's bits. */
  static boolean lanewiseExact(OptimizerModel model, SwitchSet switches, DType dtype) {
    if (model.plan(switches).inOneCall() && dtype == DType.FLOAT16) {
      return false; // float16 twins run in parity passes: reductions and scalar states not written for them yet
    }
    KernelPlan plan = KernelPlan.of(model, switches);
    if (plan.overRowsOrColumns() && (dtype == DType.FLOAT16 || plan.passes().stream().anyMatch(KernelPlan.Loop::drawsNoise))) {
      return false; // rows and columns in parity passes, or a row's draws: only scalar kernels are written for them
    }
    Set<Function> lanewise = drawsInLanes(model, switches, dtype) ? LANEWISE_WITH_NOISE : LANEWISE_EXACT;
    return plan.passes().stream().flatMap(p -> p.steps().stream())
        .allMatch(step -> lanewiseExact(step.perElementValue(), plan.perElement(), lanewise));
  }

  /**
   * Whether the twin may read {@code normal()}'s values in lanes: float32 and float64 twins of one plain
   * pass, which draw a batch at a time as the scalar kernel does and hand the last elements to it. A
   * float16 twin (parity passes) or one whose passes each end in a tail of their own would need the
   * batches cut differently; those variants keep the scalar kernel.
   */
  private static boolean drawsInLanes(OptimizerModel model, SwitchSet switches, DType dtype) {
    return dtype != DType.FLOAT16 && onePlainPass(model, switches);
  }

  /** One pass with no reduction and no scalar state assigned: the twin ends with the scalar kernel over the tail. */
  private static boolean onePlainPass(OptimizerModel model, SwitchSet switches) {
    List<KernelPlan.Loop> passes = KernelPlan.of(model, switches).passes();
    return passes.size() == 1 && passes.get(0).reductions().isEmpty()
        && model.plan(switches).assignedScalarStates().isEmpty();
  }

  private static boolean lanewiseExact(Expr expr, Set<String> perElement, Set<Function> lanewise) {
    if (Invariants.isInvariant(expr, perElement)) {
      return true; // hoisted, or a leaf
    }
    if (expr instanceof Expr.Call call && !lanewise.contains(call.function())) {
      return false;
    }
    if (expr instanceof Expr.Negate negate) {
      return lanewiseExact(negate.operand(), perElement, lanewise);
    } else if (expr instanceof Expr.Binary binary) {
      return lanewiseExact(binary.left(), perElement, lanewise) && lanewiseExact(binary.right(), perElement, lanewise);
    } else if (expr instanceof Expr.Call call) {
      return call.args().stream().allMatch(a -> lanewiseExact(a, perElement, lanewise));
    }
    return true;
  }

  private static final Set<Function> LANEWISE_EXACT = EnumSet.of(Function.SIGN, Function.CLIP, Function.ABS,
      Function.SQRT, Function.MIN, Function.MAX, Function.SQUARE, Function.GT, Function.EQ, Function.WHERE);

  /** ...and {@code normal()}, whose values the twin loads from its batch ({@link #drawsInLanes}). */
  private static final Set<Function> LANEWISE_WITH_NOISE = union(LANEWISE_EXACT, Function.NORMAL);

  private static Set<Function> union(Set<Function> functions, Function more) {
    EnumSet<Function> union = EnumSet.copyOf(functions);
    union.add(more);
    return union;
  }

  String className() {
    return Names.vectorKernelClass(model, scalar.plan().switches(), dtype);
  }

  JavaFile write(Generation generation) {
    ClassName species = ClassName.get(VECTOR_PACKAGE, "VectorSpecies");
    List<FieldSpec> fields = new ArrayList<>();
    fields.add(FieldSpec.builder(ParameterizedTypeName.get(species, elementBox), "SPECIES",
        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(speciesOf(dtype == DType.FLOAT64 ? "double" : "float", dtype))
        .build());
    fields.addAll(memoryLaneFields());
    CodeBlock buffersNote = CodeBlock.of("Over buffers the lanes load and store by {@code fromByteBuffer} on JDK 17 "
        + "and 18$L, and through {@link $T}'s method handles ({@code fromMemorySegment}) from JDK 19.\n",
        bufferLanesCompile ? "" : " (not in this compilation, whose Vector API has none)", BUFFER_LANES);
    List<OffHeapLanes> flavors = offHeapFlavors();
    if (dtype != DType.FLOAT16) {
      if (VectorPartials.anyIn(scalar.kernelPlan())) {
        fields.addAll(VectorPartials.fields());
      }
      CodeBlock note = CodeBlock.of("\n<p>SIMD: whole vectors of {@code SPECIES} lanes, then the tail in "
          + "{@link $L}. $L", scalar.scalarKernelClass().simpleName(), buffersNote);
      List<MethodSpec> methods = new ArrayList<>();
      methods.add(loop(scalar.updateSignature(new Storage.Heap(dtype)), new Storage.Heap(dtype)));
      methods.add(offHeapEntry(flavors));
      for (OffHeapLanes flavor : flavors) {
        methods.add(loop(flavor.signature(), flavor.storage()));
      }
      return scalar.writeClass(generation, className(), methods, note, fields, List.of());
    }
    fields.addAll(HalfLanes.constants());
    CodeBlock note = CodeBlock.of("\n<p>SIMD: blocks of {@code BLOCK} elements, each updated in two passes of whole "
        + "{@code ShortVector}s, even positions then odd (each int lane holds one of each), then the tail in {@link $L}. "
        + "$L", scalar.scalarKernelClass().simpleName(), buffersNote);
    List<MethodSpec> blocks = new ArrayList<>();
    List<MethodSpec> lanes = new ArrayList<>();
    MethodSpec.Builder update = scalar.updateSignature(new Storage.Heap(dtype));
    PerCall heapCall = declarePerCall(update);
    blocks.add(halfBlocks(update, heapCall, new Storage.Heap(dtype), "lanes"));
    lanes.add(halfLanes(heapCall, new Storage.Heap(dtype), "lanes"));
    blocks.add(offHeapEntry(flavors));
    for (OffHeapLanes flavor : flavors) {
      MethodSpec.Builder method = flavor.signature();
      laneSources(method, flavor.storage());
      PerCall perCall = declarePerCall(method);
      blocks.add(halfBlocks(method, perCall, flavor.storage(), flavor.lanesName()));
      lanes.add(halfLanes(perCall, flavor.storage(), flavor.lanesName()));
    }
    return scalar.writeClass(generation, className(), blocks, note, fields, lanes);
  }

  /**
   * One way to load lanes from buffers: its storage, the flag that says it works on this JDK, and the
   * names of its private update and (float16) lanes methods.
   */
  private record OffHeapLanes(Storage.OffHeap storage, String flag, String updateName, String lanesName,
      MethodSpec.Builder signature) {}

  /** Direct {@code fromByteBuffer} calls where this compilation has them, then method handles. */
  private List<OffHeapLanes> offHeapFlavors() {
    List<OffHeapLanes> flavors = new ArrayList<>();
    if (bufferLanesCompile) {
      Storage.OffHeap direct = Storage.OffHeap.lanes(dtype, false);
      flavors.add(flavor(direct, LANES_OVER_BUFFERS, "updateOverBuffers", "lanesOverBuffers"));
    }
    Storage.OffHeap handles = Storage.OffHeap.lanes(dtype, true);
    flavors.add(flavor(handles, LANES_FROM_MEMORY, "updateFromMemory", "lanesFromMemory"));
    return flavors;
  }

  /** A way to load lanes, with the private update it runs: update's parameters, its checks already made. */
  private OffHeapLanes flavor(Storage.OffHeap storage, String flag, String updateName, String lanesName) {
    MethodSpec.Builder signature = scalar.parameters(
        MethodSpec.methodBuilder(updateName).addModifiers(Modifier.PRIVATE, Modifier.STATIC), storage)
        .addJavadoc("The buffer update's loops when {@code $L}; the ranges are checked.\n", flag);
    if (scalar.kernelPlan().overRowsOrColumns()) {
      // whole rows, checked by update
      signature.addStatement("final int $L = length / $L", KernelClassWriter.ROW_COUNT, KernelClassWriter.COLUMN_COUNT);
    }
    return new OffHeapLanes(storage, flag, updateName, lanesName, signature);
  }

  /**
   * The public update over buffers: checks every buffer, then runs the first way of loading lanes
   * that works on this JDK, or the scalar kernel's buffer update where none does.
   */
  private MethodSpec offHeapEntry(List<OffHeapLanes> flavors) {
    MethodSpec.Builder method = scalar.updateSignature(new Storage.OffHeap(dtype));
    for (OffHeapLanes flavor : flavors) {
      method.beginControlFlow("if ($L)", flavor.flag())
          .addStatement("$L", callWithRange(CodeBlock.of("$L", flavor.updateName()), CodeBlock.of("offset, length")))
          .addStatement("return")
          .endControlFlow();
    }
    method.addComment("no Vector API that loads from memory here: the scalar kernel");
    return method.addStatement("$L", scalarCall("offset", "length")).build();
  }

  private static final ClassName BUFFER_LANES = ClassName.get(BufferLanes.class);

  /** The flags, fixed when the class loads, that lanes load from buffers directly, or through handles, on this JDK. */
  private static final String LANES_OVER_BUFFERS = "LANES_OVER_BUFFERS";
  private static final String LANES_FROM_MEMORY = "LANES_FROM_MEMORY";

  /**
   * The method handles through which buffer updates load and store lanes ({@link BufferLanes}): C2
   * inlines calls through {@code static final} handles, so the lanes stay in registers.
   */
  private List<FieldSpec> memoryLaneFields() {
    ClassName handle = ClassName.get(java.lang.invoke.MethodHandle.class);
    ClassName laneType = dtype == DType.FLOAT16 ? HalfLanes.SHORT_VECTOR : vectorType;
    ClassName species = ClassName.get(VECTOR_PACKAGE, "VectorSpecies");
    List<FieldSpec> fields = new ArrayList<>();
    if (bufferLanesCompile) {
      fields.add(FieldSpec.builder(boolean.class, LANES_OVER_BUFFERS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("$T.lanesOverBuffers()", BUFFER_LANES).build());
    }
    fields.addAll(List.of(
        FieldSpec.builder(handle, Storage.OffHeap.LANE_SOURCE, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.source()", BUFFER_LANES).build(),
        FieldSpec.builder(handle, Storage.OffHeap.LOAD_LANES, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.load($T.class, $T.class)", BUFFER_LANES, laneType, species).build(),
        FieldSpec.builder(handle, Storage.OffHeap.STORE_LANES, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.store($T.class)", BUFFER_LANES, laneType).build(),
        FieldSpec.builder(boolean.class, LANES_FROM_MEMORY, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$L != null && $L != null && $L != null", Storage.OffHeap.LANE_SOURCE,
                Storage.OffHeap.LOAD_LANES, Storage.OffHeap.STORE_LANES).build()));
    return fields;
  }

  /**
   * Lanes through method handles: each buffer's lane source, once per call ({@code weightMemory}),
   * and from here to the end of the method, calls through handles ({@link #endHandleCalls}).
   */
  private void laneSources(MethodSpec.Builder method, Storage storage) {
    if (storage instanceof Storage.OffHeap offHeap && offHeap.throughHandles()) {
      beginHandleCalls(method, storage);
      for (String array : scalar.arrays()) {
        method.addStatement("final Object $L = $L", offHeap.laneSource(array), offHeap.laneSourceOf(array));
      }
    }
  }

  /** Around code that calls through method handles, which declare Throwable: anything else is a bug. */
  private static void beginHandleCalls(MethodSpec.Builder method, Storage storage) {
    if (storage instanceof Storage.OffHeap offHeap && offHeap.throughHandles()) {
      method.beginControlFlow("try");
    }
  }

  private static void endHandleCalls(MethodSpec.Builder method, Storage storage) {
    if (storage instanceof Storage.OffHeap offHeap && offHeap.throughHandles()) {
      method.nextControlFlow("catch ($T | $T e)", RuntimeException.class, Error.class)
          .addStatement("throw e")
          .nextControlFlow("catch ($T e)", Throwable.class)
          .addStatement("throw new $T(e)", IllegalStateException.class)
          .endControlFlow();
    }
  }

  /**
   * What the float16 update computes once per call and hands to every pass: the statements left for
   * the loop, the hoisted invariants' locals by source form, and every local declared before the loop
   * (invariant temporaries, then hoisted invariants), in the order of {@code lanes}' last parameters.
   */
  private record PerCall(KernelPlan.Loop loop, Map<String, String> hoisted, List<String> locals) {}

  private PerCall declarePerCall(MethodSpec.Builder update) {
    KernelPlan.Loop loop = onlyLoop();
    scalar.declarePerCall(update, loop);
    Map<String, String> hoisted = scalar.hoistInvariants(update, loop.statements(), 0);
    List<String> locals = new ArrayList<>();
    loop.perCall().forEach(s -> locals.add(s.target()));
    locals.addAll(hoisted.values());
    return new PerCall(loop, hoisted, locals);
  }

  /** A twin's plan is one loop: variants with reductions have none ({@link #lanewiseExact}). */
  private KernelPlan.Loop onlyLoop() {
    List<KernelPlan.Loop> passes = scalar.kernelPlan().passes();
    if (passes.size() != 1 || !passes.get(0).reductions().isEmpty()) {
      throw new IllegalStateException("a SIMD twin for a plan of passes " + passes);
    }
    return passes.get(0);
  }

  /**
   * The species of {@code element} lanes in {@link VectorSupport#vectorBits()} bits
   * ({@link VectorSupport#halfVectorBits()} for float16 kernels), fixed when the kernel class loads.
   */
  static CodeBlock speciesOf(String element, DType dtype) {
    return CodeBlock.of("$T.of($L.class, $T.forBitSize($T.$L()))", ClassName.get(VECTOR_PACKAGE, "VectorSpecies"),
        element, ClassName.get(VECTOR_PACKAGE, "VectorShape"), ClassName.get(VectorSupport.class),
        dtype == DType.FLOAT16 ? "halfVectorBits" : "vectorBits");
  }

  /**
   * float32 and float64: per pass, a loop of whole vectors. A plan of one pass without reductions or
   * scalar states ends with the scalar kernel over the last elements; otherwise each pass ends with its own
   * elements past the last whole vector ({@link ScalarLoopWriter}), so that they join the vector
   * loop's partial results, and the next pass starts from the first element again.
   */
  private MethodSpec loop(MethodSpec.Builder method, Storage storage) {
    if (scalar.kernelPlan().overRowsOrColumns()) {
      return rowsOfVectors(method, storage);
    }
    laneSources(method, storage);
    List<KernelPlan.Loop> passes = scalar.kernelPlan().passes();
    // the scalar kernel would assign the scalar states again, from the values this one assigned
    boolean onePlainPass = onePlainPass(model, scalar.plan().switches());
    ScalarLoopWriter tails = new ScalarLoopWriter(scalar);
    int invariantsSoFar = 0;
    boolean declaredIndex = false;
    for (int p = 0; p < passes.size(); p++) {
      KernelPlan.Loop loop = passes.get(p);
      scalar.declarePerCall(method, loop);
      if (loop.steps().isEmpty()) {
        continue;
      }
      Map<String, String> hoisted = scalar.hoistInvariants(method, loop.statements(), invariantsSoFar);
      invariantsSoFar += hoisted.size();
      tails.declarePartials(method, loop);
      LaneBodies lanes = lanes(method, loop.steps().stream().map(VectorKernelWriter::perElement).toList(), hoisted,
          p == 0 ? "" : "_" + p);
      method.addStatement(declaredIndex ? "i = offset" : "int i = offset");
      declaredIndex = true;
      if (loop.drawsNoise()) {
        drawingVectorLoop(method, loop, lanes, storage);
      } else {
        vectorLoop(method, loop, lanes, storage, "for (int upper = offset + SPECIES.loopBound(length); i < upper; "
            + "i += SPECIES.length())");
      }
      if (onePlainPass) {
        method.addComment("the last elements, fewer than one vector: the scalar kernel, same formulas");
        method.addStatement("$L", scalarCall("i", "offset + length - i"));
      } else {
        method.addComment("the last elements of the pass, fewer than one vector$L",
            loop.reductions().isEmpty() ? "" : ", into the same partial results");
        tails.write(method, loop, hoisted, storage, "for (int end = offset + length; i < end; i++)");
        tails.combinePartials(method, loop);
      }
    }
    endHandleCalls(method, storage);
    return method.build();
  }

  /** A step as the lanes compute it per element: a reduction's argument, or the statement. */
  private static Statement perElement(KernelPlan.Step step) {
    Statement s = step.statement();
    return step.reduces() ? new Statement(s.target(), s.targetSpan(), step.perElementValue(), s.source(), true) : s;
  }

  /**
   * The loop of whole vectors of a pass that draws {@code normal()}: as the scalar kernel, a batch of
   * values at a time ({@code KernelMath.normals}, the same values: each depends on its element
   * alone), the batches a whole number of vectors; {@code normal()}'s lanes load from the batch. The
   * elements after the last whole vector are the scalar kernel's, which draws their values itself.
   */
  private void drawingVectorLoop(MethodSpec.Builder method, KernelPlan.Loop loop, LaneBodies lanes, Storage storage) {
    String buffer = dtype == DType.FLOAT64 ? "normalsBuffer" : "floatNormalsBuffer";
    method.addComment("normal() a batch at a time, each batch a whole number of vectors");
    method.addStatement("final int wholeEnd = offset + SPECIES.loopBound(length)");
    method.addStatement("final $L[] $L = $T.$L(wholeEnd - offset)", dtype == DType.FLOAT64 ? "double" : "float",
        ScalarLoopWriter.NORMALS, Storage.KERNEL_MATH, buffer);
    method.beginControlFlow("for (int $L = offset; $L < wholeEnd; $L += $L.length)", ScalarLoopWriter.BATCH,
        ScalarLoopWriter.BATCH, ScalarLoopWriter.BATCH, ScalarLoopWriter.NORMALS);
    method.addStatement("final int $L = $L + Math.min($L.length, wholeEnd - $L)", ScalarLoopWriter.BATCH_END,
        ScalarLoopWriter.BATCH, ScalarLoopWriter.NORMALS, ScalarLoopWriter.BATCH);
    method.addStatement("$T.normals($L, $L, $L, $L - $L)", Storage.KERNEL_MATH, OptimizerModel.NOISE_KEY,
        ScalarLoopWriter.BATCH, ScalarLoopWriter.NORMALS, ScalarLoopWriter.BATCH_END, ScalarLoopWriter.BATCH);
    vectorLoop(method, loop, lanes, storage, "for (; i < " + ScalarLoopWriter.BATCH_END + "; i += SPECIES.length())");
    method.endControlFlow();
  }

  /**
   * A kernel over rows and columns, its rows in whole vectors: the passes as the scalar kernel runs
   * them (the statements over rows and over columns in scalar loops of {@link AxisLoopWriter}, rows
   * plus columns values), and the elements row by row, each row in vectors of columns. A row's
   * values are broadcast, a column's loaded as lanes at the column; {@code colsum} adds a vector to
   * its columns' sums, {@code rowsum} to its partials at {@code colIndex mod LANES}, and the
   * reductions over the tensor to theirs at {@code (i - offset) mod LANES}: the scalar kernel's
   * orders, so its bits. That needs rows of a whole number of {@code LANES} columns; other shapes
   * run the scalar kernel.
   */
  private MethodSpec rowsOfVectors(MethodSpec.Builder method, Storage storage) {
    method.beginControlFlow("if ($L % $T.LANES != 0)", KernelClassWriter.COLUMN_COUNT, Storage.KERNEL_MATH)
        .addComment("rows whose partial results would not start at a lane of their own: the scalar kernel")
        .addStatement("$L", scalarCall("offset", "length"))
        .addStatement("return")
        .endControlFlow();
    laneSources(method, storage);
    ScalarLoopWriter elements = new ScalarLoopWriter(scalar);
    AxisLoopWriter axes = new AxisLoopWriter(scalar, elements);
    axes.declareValuesAlongAxes(method);
    List<KernelPlan.Loop> passes = scalar.kernelPlan().passes();
    int invariantsSoFar = 0;
    for (int p = 0; p < passes.size(); p++) {
      KernelPlan.Loop loop = passes.get(p);
      Map<String, String> hoisted = axes.beginPass(method, loop, invariantsSoFar, storage);
      invariantsSoFar += hoisted.size();
      if (loop.steps().isEmpty()) {
        continue;
      }
      elements.declarePartials(method, loop);
      elements.declarePartials(method, ScalarLoopWriter.rowSums(loop));
      LaneBodies lanes = lanes(method, loop.steps().stream().map(VectorKernelWriter::perElement).toList(), hoisted,
          p == 0 ? "" : "_" + p);
      rowLoop(method, elements, loop, lanes, storage);
      elements.combinePartials(method, loop);
    }
    endHandleCalls(method, storage);
    return method.build();
  }

  /** One pass's elements, row by row, each row's columns in whole vectors. */
  private void rowLoop(MethodSpec.Builder method, ScalarLoopWriter elements, KernelPlan.Loop loop, LaneBodies lanes,
      Storage storage) {
    KernelPlan plan = scalar.kernelPlan();
    List<Expr> values = loop.steps().stream().map(KernelPlan.Step::perElementValue).toList();
    method.beginControlFlow("for (int rowIndex = 0, i = offset; rowIndex < $L; rowIndex++)",
        KernelClassWriter.ROW_COUNT);
    for (String name : ScalarLoopWriter.namesRead(plan, values, Extent.ROW)) {
      method.addStatement("final $T $L = $T.broadcast(SPECIES, $L)", vectorType, Names.elementLocal(name), vectorType,
          elements.valueAt(name, "rowIndex", storage));
    }
    partials.loadBeforeRow(method, loop);
    method.beginControlFlow("for (int colIndex = 0; colIndex < $L; colIndex += SPECIES.length(), i += SPECIES.length())",
        KernelClassWriter.COLUMN_COUNT);
    for (String name : ScalarLoopWriter.namesRead(plan, values, Extent.COLUMN)) {
      CodeBlock load = scalar.arrays().contains(name)
          ? storage.vectorLoad(vectorType, "SPECIES", storage.laneSource(name), "colIndex")
          : CodeBlock.of("$T.fromArray(SPECIES, $L, colIndex)", vectorType, name);
      method.addStatement("final $T $L = $L", vectorType, Names.elementLocal(name), load);
    }
    vectorSteps(method, loop, lanes, storage);
    method.endControlFlow();
    partials.storeAfterRow(method, loop);
    ScalarLoopWriter.sumRow(method, loop);
    method.endControlFlow();
  }

  /** {@code sums[colIndex .. colIndex + SPECIES.length())}, lane by lane, plus {@code x}: a {@code colsum}. */
  private void columnSumStep(MethodSpec.Builder method, String sums, CodeBlock x) {
    method.addStatement("$T.fromArray(SPECIES, $L, colIndex).add($L).intoArray($L, colIndex)", vectorType, sums, x, sums);
  }

  /** One pass's loop of whole vectors, from {@code i}, under {@code header}. */
  private void vectorLoop(MethodSpec.Builder method, KernelPlan.Loop loop, LaneBodies lanes, Storage storage,
      String header) {
    partials.loadBeforePass(method, loop);
    method.beginControlFlow(header);
    vectorSteps(method, loop, lanes, storage);
    method.endControlFlow();
    partials.storeAfterPass(method, loop);
  }

  /**
   * The body of a pass's loop at the vector of elements from {@code i} (a row's columns from {@code
   * colIndex} over rows and columns): its arrays loaded, then each step; reductions over the tensor
   * step their partials at {@code (i - offset) mod LANES}, {@code rowsum} at {@code colIndex mod
   * LANES}, {@code colsum} its columns' sums.
   */
  private void vectorSteps(MethodSpec.Builder method, KernelPlan.Loop loop, LaneBodies lanes, Storage storage) {
    Set<String> declared = new HashSet<>();
    for (String array : loop.loadedFirst()) {
      method.addStatement("$T $L = $L", vectorType, Names.elementLocal(array),
          storage.vectorLoad(vectorType, "SPECIES", storage.laneSource(array), "i"));
      declared.add(array);
    }
    if (!loop.laneReductions().isEmpty()) {
      // SPECIES.length() divides LANES: these lanes' partial results lie side by side from here
      method.addStatement("final int lane = (i - offset) & ($T.LANES - 1)", Storage.KERNEL_MATH);
    }
    ScalarLoopWriter.declareColumnLane(method, loop);
    for (int k = 0; k < loop.steps().size(); k++) {
      KernelPlan.Step step = loop.steps().get(k);
      Statement s = step.statement();
      method.addComment("$L", GeneratedText.oneLine(s.source()));
      lanes.preludes().get(k).forEach(prelude -> method.addStatement("$L", prelude));
      String local = Names.elementLocal(s.target());
      CodeBlock body = lanes.bodies().get(k);
      if (step.reduces() && step.reduction() == Function.COLSUM) {
        columnSumStep(method, s.target(), body);
      } else if (step.reduces()) {
        vectorReductionStep(method, s, step.reduction(), step.reduction() == Function.ROWSUM ? "columnLane" : "lane",
            body);
      } else if (!step.stores()) {
        method.addStatement("final $T $L = $L", vectorType, local, body);
      } else {
        // the new value under the element's name, then stored: a short store line, whatever the formula
        method.addStatement("$L$L = $L", declared.add(s.target()) ? vectorType.simpleName() + " " : "", local, body);
        if (!step.assignedAgain()) {
          // a later statement assigning it again is the one stored
          method.addStatement("$L", storage.vectorStore(CodeBlock.of("$L", local), storage.laneSource(s.target()), "i"));
        }
      }
    }
  }

  /**
   * The partial results at {@code lane} ({@code columnLane} for a {@code rowsum}), stepped as the
   * scalar kernel steps each one ({@code p + x*x}, {@code p + x}, {@code p + |x|}, {@code max(p, |x|)}):
   * in vector locals or through their array ({@link VectorPartials}).
   */
  private void vectorReductionStep(MethodSpec.Builder method, Statement reduction, Function function, String lane,
      CodeBlock x) {
    String term = termLocal(method, reduction, x);
    partials.step(method, reduction, lane, partial -> switch (function) {
      case SUMSQ -> CodeBlock.of("$L.add($L.mul($L))", partial, term, term);
      case SUM, ROWSUM -> CodeBlock.of("$L.add($L)", partial, term);
      case SUMABS -> CodeBlock.of("$L.add($L.abs())", partial, term);
      case MAXABS -> CodeBlock.of("$L.max($L.abs())", partial, term);
      default -> throw new IllegalStateException(function + " is not a reduction over lanes");
    });
  }

  /**
   * {@code x} itself if it is a local, else a {@code _term} local declared for it: written once, read
   * by whichever way the partials are stepped.
   */
  private String termLocal(MethodSpec.Builder method, Statement reduction, CodeBlock x) {
    if (SourceVersion.isIdentifier(x.toString())) {
      return x.toString();
    }
    String term = reduction.target() + "_term";
    method.addStatement("final $T $L = $L", vectorType, term, x);
    return term;
  }

  /**
   * float16: the public update, in blocks small enough to stay in the L1 cache between their two
   * passes. The loop invariants are computed once per call, before the blocks, and handed to every pass.
   */
  private MethodSpec halfBlocks(MethodSpec.Builder method, PerCall perCall, Storage storage, String lanesName) {
    method.addStatement("int wholeEnd = offset + $L.loopBound(length)", HalfLanes.HALVES);
    method.addStatement("int blockStart = offset");
    method.beginControlFlow("while (blockStart < wholeEnd)");
    // never blockStart + BLOCK, which overflows for arrays near 2^31 elements
    method.addStatement("int blockEnd = blockStart + Math.min(BLOCK, wholeEnd - blockStart)");
    method.addStatement("$L", halfLanesCall(lanesName, HalfLanes.EVEN, perCall, storage));
    method.addStatement("$L", halfLanesCall(lanesName, HalfLanes.ODD, perCall, storage));
    method.addStatement("blockStart = blockEnd");
    method.endControlFlow();
    method.addComment("the last elements, fewer than one vector: the scalar kernel, same formulas");
    method.addStatement("$L", scalarCall("wholeEnd", "offset + length - wholeEnd"));
    endHandleCalls(method, storage);
    return method.build();
  }

  /** {@code lanes(...)} with the arrays, or over buffers their lane sources. */
  private CodeBlock halfLanesCall(String lanesName, String shift, PerCall perCall, Storage storage) {
    return callWithRange(CodeBlock.of("$L", lanesName), storage, CodeBlock.of("blockStart, blockEnd, $L", shift),
        perCall.locals());
  }

  /** float16: one pass over the elements of one parity in {@code [laneStart, laneEnd)}. */
  private MethodSpec halfLanes(PerCall perCall, Storage storage, String lanesName) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(lanesName).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("Updates the elements of one parity in {@code [laneStart, laneEnd)}, a whole number of vectors: "
            + "the even positions when {@code halfShift} is 16, the odd when 0. The others are stored back unchanged. "
            + "The loop invariants come computed by {@code update}.\n");
    for (String array : scalar.arrays()) {
      boolean handles = storage instanceof Storage.OffHeap offHeap && offHeap.throughHandles();
      method.addParameter(handles ? ClassName.get(Object.class) : storage.arrayType(), storage.laneSource(array));
    }
    method.addParameter(int.class, "laneStart").addParameter(int.class, "laneEnd")
        .addParameter(int.class, HalfLanes.SHIFT);
    for (String s : scalar.scalars()) {
      method.addParameter(float.class, s);
    }
    perCall.locals().forEach(name -> method.addParameter(float.class, name));
    KernelPlan.Loop loop = perCall.loop();
    List<Statement> statements = loop.statements();
    LaneBodies lanes = lanes(method, statements, perCall.hoisted());
    HalfLanes.declareParityLocals(method);

    beginHandleCalls(method, storage);
    method.beginControlFlow("for (int i = laneStart; i < laneEnd; i += $L.length())", HalfLanes.HALVES);
    List<String> readFirst = loop.loadedFirst();
    Set<String> written = new LinkedHashSet<>();
    loop.steps().stream().filter(KernelPlan.Step::stores).forEach(step -> written.add(step.statement().target()));
    for (String array : scalar.arrays()) {
      if (readFirst.contains(array) || written.contains(array)) {
        HalfLanes.loadPairs(method, array, storage);
      }
    }
    Set<String> declared = new HashSet<>();
    for (String array : readFirst) {
      HalfLanes.widen(method, array, HalfLanes.ownHalfs(array), declared);
    }
    for (int k = 0; k < statements.size(); k++) {
      KernelPlan.Step step = loop.steps().get(k);
      Statement s = step.statement();
      method.addComment("$L", GeneratedText.oneLine(s.source()));
      lanes.preludes().get(k).forEach(p -> method.addStatement("$L", p));
      CodeBlock body = lanes.bodies().get(k);
      if (!step.stores()) {
        method.addStatement("final $T $L = $L", vectorType, Names.elementLocal(s.target()), body);
        continue;
      }
      HalfLanes.narrow(method, s.target(), body, declared);
      HalfLanes.storePairs(method, s.target(), storage);
      if (step.readAfter()) {
        HalfLanes.widen(method, s.target(), HalfLanes.stored(s.target()), declared);
      }
    }
    method.endControlFlow();
    endHandleCalls(method, storage);
    return method.build();
  }

  private CodeBlock scalarCall(String from, String count) {
    return callWithRange(CodeBlock.of("$T.update", scalar.scalarKernelClass()),
        CodeBlock.of("$L, $L", from, count));
  }

  /** {@code callee(arrays..., range, scalars...)}: the argument order of every update method here. */
  private CodeBlock callWithRange(CodeBlock callee, CodeBlock range) {
    return callWithRange(callee, range, List.of());
  }

  /** {@code callee(arrays..., range, scalars..., trailing...)}. */
  private CodeBlock callWithRange(CodeBlock callee, CodeBlock range, List<String> trailing) {
    return callWithRange(callee, new Storage.Heap(dtype), range, trailing);
  }

  /** {@code callee(arrays or lane sources..., range, scalars..., trailing...)}. */
  private CodeBlock callWithRange(CodeBlock callee, Storage storage, CodeBlock range, List<String> trailing) {
    CodeBlock.Builder call = CodeBlock.builder().add("$L(", callee);
    for (String array : scalar.arrays()) {
      call.add("$L, ", storage.laneSource(array));
    }
    call.add(range);
    if (scalar.kernelPlan().overRowsOrColumns()) {
      call.add(", $L", KernelClassWriter.COLUMN_COUNT);
    }
    for (String s : scalar.scalars()) {
      call.add(", $L", s);
    }
    if (!scalar.plan().assignedScalarStates().isEmpty()) {
      call.add(", $L", KernelClassWriter.ASSIGNED_SCALAR_STATES);
    }
    trailing.forEach(name -> call.add(", $L", name));
    return call.add(")").build();
  }

  /** Each statement's lanewise body and the locals it needs first; every broadcast is declared before the loop. */
  private LaneBodies lanes(MethodSpec.Builder method, List<Statement> statements, Map<String, String> hoisted) {
    return lanes(method, statements, hoisted, "");
  }

  /** As above, the broadcasts' names ending in {@code suffix}: each pass has its own, after the values it reads. */
  private LaneBodies lanes(MethodSpec.Builder method, List<Statement> statements, Map<String, String> hoisted,
      String suffix) {
    Map<String, String> broadcasts = new LinkedHashMap<>();
    LaneExpressionWriter writer = new LaneExpressionWriter(scalar.plainWriter(), vectorType, literalSuffix,
        scalar.kernelPlan().perElement(), hoisted, broadcasts, suffix);
    List<CodeBlock> bodies = new ArrayList<>();
    List<List<CodeBlock>> preludes = new ArrayList<>();
    for (Statement s : statements) {
      bodies.add(writer.write(s.value()));
      preludes.add(writer.takePreludes());
    }
    broadcasts.forEach((source, local) -> method.addStatement("final $T $L = $T.broadcast(SPECIES, $L)", vectorType,
        local, vectorType, source));
    if (!broadcasts.isEmpty()) {
      method.addCode("\n");
    }
    return new LaneBodies(bodies, preludes);
  }

  private record LaneBodies(List<CodeBlock> bodies, List<List<CodeBlock>> preludes) {}
}
