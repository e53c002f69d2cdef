package org.optikern.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import java.util.List;
import java.util.Map;
import org.optikern.kernel.UpdateKernel;
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

  /** The JVM's limit on the parameters of a static method, a long or double counting twice (JVM spec 4.3.3). */
  static final int MAX_PARAMETER_SLOTS = 255;

  String className() {
    return shell.scalarKernelClass().simpleName();
  }

  /** The slots the parameters of {@code update} take: arrays, offset and length one each, a double or long two. */
  int parameterSlots() {
    return shell.arrays().size() + 2 + shell.scalars().stream().mapToInt(this::slotsOfScalar).sum()
        + (plan.update().assignedScalarStates().isEmpty() ? 0 : 1);
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
   * One loop per pass of the plan ({@link ScalarLoopWriter}); a pass's reductions are combined after
   * its loop into locals that later passes read like scalars.
   */
  private MethodSpec updateLoop(Storage storage) {
    MethodSpec.Builder method = shell.updateSignature(storage);
    ScalarLoopWriter loops = new ScalarLoopWriter(shell);
    AxisLoopWriter axes = new AxisLoopWriter(shell, loops);
    axes.declareValuesAlongAxes(method);
    int invariantsSoFar = 0;
    for (KernelPlan.Loop loop : plan.passes()) {
      Map<String, String> hoisted = axes.beginPass(method, loop, invariantsSoFar, storage);
      invariantsSoFar += hoisted.size();
      if (loop.steps().isEmpty()) {
        continue;
      }
      loops.declarePartials(method, loop);
      loops.write(method, loop, hoisted, storage, "for (int i = offset, end = offset + length; i < end; i++)");
      loops.combinePartials(method, loop);
    }
    return method.build();
  }
}
