package org.optikern.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.UpdateKernel;
import org.optikern.lang.Statement;
import org.optikern.model.KernelPlan;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * Writes the kernel of one variant: a class with a typed static {@code update} loop per storage and
 * the {@link UpdateKernel} adapter ({@link KernelClassWriter}). The plan is already reduced for the
 * switches, so the writer meets no variant conditionals; the dtype decides only loads, stores and
 * the arithmetic type, and the storage how an element is reached.
 */
final class KernelWriter {
  private final KernelClassWriter shell;
  private final KernelPlan plan;
  private final DType dtype;

  KernelWriter(OptimizerModel model, SwitchSet switches, DType dtype) {
    this.shell = new KernelClassWriter(model, switches, dtype);
    this.plan = shell.kernelPlan();
    this.dtype = dtype;
  }

  /**
   * The locals of a loop that draws {@code normal()}: a buffer of values and the range of elements
   * they belong to, {@code [batch, batch_end)}. Reserved in the spec language (NameRules).
   */
  static final String NORMALS = "normals";
  static final String BATCH = "batch";
  static final String BATCH_END = "batch_end";

  /** The JVM's limit on the parameters of a static method, a long or double counting twice (JVM spec 4.3.3). */
  static final int MAX_PARAMETER_SLOTS = 255;

  String className() {
    return shell.scalarKernelClass().simpleName();
  }

  /** The slots the parameters of {@code update} take: arrays, offset and length one each, a double or long two. */
  int parameterSlots() {
    return shell.arrays().size() + 2 + shell.scalars().stream().mapToInt(this::slotsOfScalar).sum();
  }

  private int slotsOfScalar(String scalar) {
    return scalar.equals(OptimizerModel.NOISE_KEY) || !shell.isFloat() ? 2 : 1;
  }

  /**
   * Why {@code update} cannot be compiled, its parameters being over the JVM's limit; null if they fit.
   * Phrased for the {@code @Update} that this kernel's variant runs.
   */
  String parameterProblem() {
    int slots = parameterSlots();
    if (slots <= MAX_PARAMETER_SLOTS) {
      return null;
    }
    boolean noise = shell.scalars().contains(OptimizerModel.NOISE_KEY);
    return "the " + dtype.mxnetName() + " kernel of this @Update (variant " + plan.update().switches() + ") would take "
        + slots
        + " parameter slots, over the JVM's limit of " + MAX_PARAMETER_SLOTS + " (JVM spec 4.3.3): one each for "
        + "weight, grad, " + plan.update().states().size() + " state arrays, offset and length, "
        + (shell.isFloat() ? "one" : "two") + " for each of the " + (shell.scalars().size() - (noise ? 1 : 0))
        + " scalars it reads (a " + shell.compute() + ")"
        + (noise ? ", two for the noise key (a long)" : "")
        + "; read fewer hyperparameters or @Scalars in one @Update, or declare fewer states";
  }

  JavaFile write(Generation generation) {
    List<MethodSpec> loops = Storage.all(dtype).stream().map(this::updateLoop).toList();
    return shell.writeClass(generation, className(), loops, CodeBlock.of(""), List.of(), List.of());
  }

  /**
   * One loop per pass of the plan: a reduction is a call of its own over the range, between the
   * loops; its value is a local the later passes read like a scalar.
   */
  private MethodSpec updateLoop(Storage storage) {
    MethodSpec.Builder method = shell.updateSignature(storage);
    int invariantsSoFar = 0;
    for (KernelPlan.Pass pass : plan.passes()) {
      if (pass instanceof KernelPlan.Reduction reduction) {
        method.addComment("$L", GeneratedText.oneLine(reduction.statement().source()));
        method.addStatement("final $T $L = $L", shell.compute(), reduction.statement().target(),
            storage.reduce(reduction.function().spelling(), reduction.array()));
        continue;
      }
      KernelPlan.Loop loop = (KernelPlan.Loop) pass;
      shell.declarePerCall(method, loop);
      if (loop.steps().isEmpty()) {
        continue;
      }
      Map<String, String> hoisted = shell.hoistInvariants(method, loop.statements(), invariantsSoFar);
      invariantsSoFar += hoisted.size();
      writeLoop(method, loop, hoisted, storage);
    }
    return method.build();
  }

  private void writeLoop(MethodSpec.Builder method, KernelPlan.Loop loop, Map<String, String> hoisted,
      Storage storage) {
    Set<String> perElement = plan.perElement();
    TypeName compute = shell.compute();
    ExpressionWriter writer = new ExpressionWriter(shell.isFloat(),
        n -> perElement.contains(n) ? Names.elementLocal(n) : n, hoisted);
    if (loop.drawsNoise()) {
      // normal() a batch at a time: one generator block serves four elements (KernelMath.normals)
      method.addStatement("final double[] $L = $T.normalsBuffer(length)", NORMALS, KernelMath.class);
      method.beginControlFlow("for (int $L = offset, end = offset + length; $L < end; $L += $L.length)", BATCH, BATCH,
          BATCH, NORMALS);
      method.addStatement("final int $L = $L + Math.min($L.length, end - $L)", BATCH_END, BATCH, NORMALS, BATCH);
      method.addStatement("$T.normals($L, $L, $L, $L - $L)", KernelMath.class, OptimizerModel.NOISE_KEY, BATCH, NORMALS,
          BATCH_END, BATCH);
      method.beginControlFlow("for (int i = $L; i < $L; i++)", BATCH, BATCH_END);
    } else {
      method.beginControlFlow("for (int i = offset, end = offset + length; i < end; i++)");
    }
    Set<String> declared = new HashSet<>();
    for (String array : loop.loadedFirst()) {
      method.addStatement("$T $L = $L", compute, Names.elementLocal(array), storage.load(array, "i"));
      declared.add(array);
    }
    for (KernelPlan.Step step : loop.steps()) {
      Statement s = step.statement();
      method.addComment("$L", GeneratedText.oneLine(s.source()));
      CodeBlock value = writer.write(s.value());
      String local = Names.elementLocal(s.target());
      if (!step.stores()) {
        method.addStatement("final $T $L = $L", compute, local, value);
      } else if (dtype == DType.FLOAT16) {
        // rounded once, when stored; a later statement reads the stored half back
        method.addStatement("$L", storage.store(s.target(), "i", value));
        if (step.readAfter()) {
          method.addStatement("$L$L = $L", declared.add(s.target()) ? compute + " " : "", local,
              storage.load(s.target(), "i"));
        }
      } else if (step.readAfter()) {
        method.addStatement("$L$L = $L", declared.add(s.target()) ? compute + " " : "", local, value);
        method.addStatement("$L", storage.store(s.target(), "i", CodeBlock.of("$L", local)));
      } else {
        method.addStatement("$L", storage.store(s.target(), "i", value));
      }
    }
    method.endControlFlow();
    if (loop.drawsNoise()) {
      method.endControlFlow();
    }
  }
}
