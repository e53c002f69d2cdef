package org.optikern.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Statement;
import org.optikern.model.Extent;
import org.optikern.model.KernelPlan;
import org.optikern.tensor.DType;

/**
 * The statements of a pass that run over the rows or over the columns of a kernel's 2-D view
 * (Adafactor's {@code v_row = v_row*beta2t + ...}, a temporary per row, {@code sum(v_row)}): one
 * loop over the rows or columns, before the pass's elements. A temporary with a value per row or
 * column, {@code rowsum} and {@code colsum} included, lives in a local array for the whole call.
 */
final class AxisLoopWriter {
  private final KernelClassWriter shell;
  private final ScalarLoopWriter elements;

  AxisLoopWriter(KernelClassWriter shell, ScalarLoopWriter elements) {
    this.shell = shell;
    this.elements = elements;
  }

  /** Before the passes: one local array per temporary with a value per row or per column. */
  void declareValuesAlongAxes(MethodSpec.Builder method) {
    KernelPlan plan = shell.kernelPlan();
    for (Statement s : plan.update().statements()) {
      Extent extent = plan.extentOf(s.target());
      if (s.temporary() && (extent == Extent.ROW || extent == Extent.COLUMN)) {
        method.addStatement("final $T[] $L = new $T[$L]", shell.compute(), s.target(), shell.compute(),
            extent == Extent.ROW ? KernelClassWriter.ROW_COUNT : KernelClassWriter.COLUMN_COUNT);
      }
    }
  }

  /**
   * What comes before a pass's elements: the values it needs once per call, its loop invariants
   * (returned by source form, numbered from {@code invariantsSoFar}), then its statements over rows
   * and over columns. Nothing but the values per call for a pass with no statements.
   */
  Map<String, String> beginPass(MethodSpec.Builder method, KernelPlan.Loop loop, int invariantsSoFar, Storage storage) {
    shell.declarePerCall(method, loop);
    List<Statement> looped = new ArrayList<>(loop.perRow());
    looped.addAll(loop.perColumn());
    looped.addAll(loop.statements());
    if (looped.isEmpty()) {
      return Map.of();
    }
    Map<String, String> hoisted = shell.hoistInvariants(method, looped, invariantsSoFar);
    write(method, loop.perRow(), Extent.ROW, hoisted, storage);
    write(method, loop.perColumn(), Extent.COLUMN, hoisted, storage);
    return hoisted;
  }

  /** The loop over the rows ({@code axis} ROW) or columns of {@code statements}, if there are any. */
  void write(MethodSpec.Builder method, List<Statement> statements, Extent axis, Map<String, String> hoisted,
      Storage storage) {
    if (statements.isEmpty()) {
      return;
    }
    KernelPlan plan = shell.kernelPlan();
    String index = axis == Extent.ROW ? "rowIndex" : "colIndex"; // camel case: no spec name can take them
    List<Statement> reductions = statements.stream().filter(Statement::isReduction).toList();
    elements.declarePartials(method, reductions);
    method.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index,
        axis == Extent.ROW ? KernelClassWriter.ROW_COUNT : KernelClassWriter.COLUMN_COUNT, index);
    Set<String> declared = new LinkedHashSet<>();
    List<Expr> values = statements.stream().map(Statement::value).toList();
    for (String name : ScalarLoopWriter.namesRead(plan, values, axis)) {
      method.addStatement("$T $L = $L", shell.compute(), Names.elementLocal(name), elements.valueAt(name, index, storage));
      declared.add(name);
    }
    if (!reductions.isEmpty()) {
      method.addStatement("final int lane = $L & ($T.LANES - 1)", index, Storage.KERNEL_MATH);
    }
    ExpressionWriter writer = new ExpressionWriter(shell.isFloat(),
        n -> plan.perElement().contains(n) ? Names.elementLocal(n) : n, hoisted);
    for (Statement s : statements) {
      method.addComment("$L", GeneratedText.oneLine(s.source()));
      String local = Names.elementLocal(s.target());
      String type = declared.add(s.target()) ? shell.compute() + " " : "";
      if (s.isReduction()) {
        Expr.Call call = (Expr.Call) s.value();
        elements.writeReductionStep(method, call.function(), Names.lanesLocal(s.target()),
            writer.write(call.args().get(0)));
      } else if (s.temporary()) {
        method.addStatement("$L$L = $L", type, local, writer.write(s.value()));
        method.addStatement("$L[$L] = $L", s.target(), index, local);
      } else if (shell.dtype() == DType.FLOAT16) {
        // rounded once, when stored; a later statement reads the stored half back
        method.addStatement("$L", storage.store(s.target(), index, writer.write(s.value())));
        method.addStatement("$L$L = $L", type, local, storage.load(s.target(), index));
      } else {
        method.addStatement("$L$L = $L", type, local, writer.write(s.value()));
        method.addStatement("$L", storage.store(s.target(), index, CodeBlock.of("$L", local)));
      }
    }
    method.endControlFlow();
    elements.combinePartials(method, reductions);
  }
}
