package org.optikern.processor;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;
import org.optikern.kernel.KernelMath;
import org.optikern.model.Extent;
import org.optikern.model.KernelPlan;
import org.optikern.model.OptimizerModel;
import org.optikern.tensor.DType;

/**
 * The loop of one pass, element by element: all of a scalar kernel's loops, and the tail of each
 * pass of a SIMD twin with reductions (elements past the last whole vector, whose partial results
 * must join those of the vector loop). A pass's reductions keep {@code KernelMath.LANES} partial
 * results in a local array, element {@code j} of the range in partial {@code j % LANES}, combined
 * after the loop.
 */
final class ScalarLoopWriter {
  private final KernelClassWriter shell;

  ScalarLoopWriter(KernelClassWriter shell) {
    this.shell = shell;
  }

  /** Before the pass: the partial results of each of its reductions to one value, zeros. */
  void declarePartials(MethodSpec.Builder method, KernelPlan.Loop loop) {
    declarePartials(method, loop.laneReductions());
  }

  /** The partial results of each of {@code reductions}, zeros. */
  void declarePartials(MethodSpec.Builder method, List<Statement> reductions) {
    for (Statement reduction : reductions) {
      method.addStatement("final $T[] $L = new $T[$T.LANES]", shell.compute(), Names.lanesLocal(reduction.target()),
          shell.compute(), Storage.KERNEL_MATH);
    }
  }

  /** After the pass: each reduction's value, its partials combined in {@code KernelMath}'s fixed tree. */
  void combinePartials(MethodSpec.Builder method, KernelPlan.Loop loop) {
    combinePartials(method, loop.laneReductions());
  }

  /** Each of {@code reductions}' value, its partials combined. */
  void combinePartials(MethodSpec.Builder method, List<Statement> reductions) {
    if (!reductions.isEmpty()) {
      method.addComment("the partial results, combined in a fixed tree");
    }
    for (Statement reduction : reductions) {
      boolean max = ((Expr.Call) reduction.value()).function() == Function.MAXABS;
      method.addStatement("final $T $L = $T.$L($L)", shell.compute(), reduction.target(), Storage.KERNEL_MATH,
          max ? "maxLanes" : "sumLanes", Names.lanesLocal(reduction.target()));
    }
  }

  /**
   * The locals of a loop that draws {@code normal()}: a buffer of values and the range of elements
   * they belong to, {@code [batch, batch_end)}. Reserved in the spec language (NameRules).
   */
  static final String NORMALS = "normals";
  static final String BATCH = "batch";
  static final String BATCH_END = "batch_end";

  /**
   * The loop, from {@code header} ({@code for (...)}) over the pass's statements, one element at a
   * time; a loop that draws {@code normal()} runs over the whole range a batch of draws at a time
   * (a SIMD twin that draws hands its tail to the scalar kernel, never to this loop:
   * {@code VectorKernelWriter.drawsInLanes}); a kernel over rows and columns
   * runs row by row (a row being the batch of its draws).
   */
  void write(MethodSpec.Builder method, KernelPlan.Loop loop, Map<String, String> hoisted, Storage storage,
      String header) {
    Set<String> perElement = shell.kernelPlan().perElement();
    TypeName compute = shell.compute();
    ExpressionWriter writer = new ExpressionWriter(shell.isFloat(),
        n -> perElement.contains(n) ? Names.elementLocal(n) : n, hoisted);
    if (shell.kernelPlan().overRowsOrColumns()) {
      beginRowsAndColumns(method, loop, storage);
    } else if (loop.drawsNoise()) {
      // normal() a batch at a time: one generator block serves four elements (KernelMath.normals)
      method.addStatement("final double[] $L = $T.normalsBuffer(length)", NORMALS, KernelMath.class);
      method.beginControlFlow("for (int $L = offset, end = offset + length; $L < end; $L += $L.length)", BATCH, BATCH,
          BATCH, NORMALS);
      method.addStatement("final int $L = $L + Math.min($L.length, end - $L)", BATCH_END, BATCH, NORMALS, BATCH);
      method.addStatement("$T.normals($L, $L, $L, $L - $L)", KernelMath.class, OptimizerModel.NOISE_KEY, BATCH, NORMALS,
          BATCH_END, BATCH);
      method.beginControlFlow("for (int i = $L; i < $L; i++)", BATCH, BATCH_END);
    } else {
      method.beginControlFlow(header);
    }
    Set<String> declared = new HashSet<>();
    for (String array : loop.loadedFirst()) {
      method.addStatement("$T $L = $L", compute, Names.elementLocal(array), storage.load(array, "i"));
      declared.add(array);
    }
    if (!loop.laneReductions().isEmpty()) {
      method.addStatement("final int lane = (i - offset) & ($T.LANES - 1)", Storage.KERNEL_MATH);
    }
    for (KernelPlan.Step step : loop.steps()) {
      Statement s = step.statement();
      method.addComment("$L", GeneratedText.oneLine(s.source()));
      CodeBlock value = writer.write(step.perElementValue());
      String local = Names.elementLocal(s.target());
      if (step.reduces() && step.reduction() == Function.ROWSUM) {
        String partial = Names.lanesLocal(s.target()) + "[columnLane]";
        method.addStatement("$L = $L + $L", partial, partial, value);
      } else if (step.reduces() && step.reduction() == Function.COLSUM) {
        method.addStatement("$L[colIndex] = $L[colIndex] + $L", s.target(), s.target(), value);
      } else if (step.reduces()) {
        writeReductionStep(method, step.reduction(), Names.lanesLocal(s.target()), value);
      } else if (!step.stores()) {
        method.addStatement("final $T $L = $L", compute, local, value);
      } else if (shell.dtype() == DType.FLOAT16) {
        // rounded once, when stored; a later statement reads the stored half back
        method.addStatement("$L", storage.store(s.target(), "i", value));
        if (step.readAfter()) {
          method.addStatement("$L$L = $L", declared.add(s.target()) ? compute + " " : "", local,
              storage.load(s.target(), "i"));
        }
      } else if (step.readAfter() || step.assignedAgain()) {
        method.addStatement("$L$L = $L", declared.add(s.target()) ? compute + " " : "", local, value);
        if (!step.assignedAgain()) {
          // a later statement assigning it again is the one stored
          method.addStatement("$L", storage.store(s.target(), "i", CodeBlock.of("$L", local)));
        }
      } else {
        method.addStatement("$L", storage.store(s.target(), "i", value));
      }
    }
    method.endControlFlow();
    if (shell.kernelPlan().overRowsOrColumns()) {
      endRows(method, loop);
    } else if (loop.drawsNoise()) {
      method.endControlFlow();
    }
  }

  /**
   * A kernel over rows and columns runs the elements row by row, {@code i} the element of row
   * {@code rowIndex} and column {@code colIndex} (camel case: no spec name can take them): a row's values (its states, its temporaries) are read once per
   * row and its {@code rowsum}s kept in locals; a column's values are read per element.
   */
  private void beginRowsAndColumns(MethodSpec.Builder method, KernelPlan.Loop loop, Storage storage) {
    // a row's partial results, as any reduction's over the tensor: reset for each row
    declarePartials(method, rowSums(loop));
    if (loop.drawsNoise()) {
      // normal() a row at a time: the batch is the row (KernelMath.normals)
      method.addStatement("final double[] $L = new double[$L]", NORMALS, KernelClassWriter.COLUMN_COUNT);
    }
    method.beginControlFlow("for (int rowIndex = 0, i = offset; rowIndex < $L; rowIndex++)", KernelClassWriter.ROW_COUNT);
    if (loop.drawsNoise()) {
      method.addStatement("final int $L = i", BATCH);
      method.addStatement("$T.normals($L, $L, $L, $L)", KernelMath.class, OptimizerModel.NOISE_KEY, BATCH, NORMALS,
          KernelClassWriter.COLUMN_COUNT);
    }
    for (String name : namesRead(loop, Extent.ROW)) {
      method.addStatement("final $T $L = $L", shell.compute(), Names.elementLocal(name), valueAt(name, "rowIndex", storage));
    }
    method.beginControlFlow("for (int colIndex = 0; colIndex < $L; colIndex++, i++)", KernelClassWriter.COLUMN_COUNT);
    declareColumnLane(method, loop);
    for (String name : namesRead(loop, Extent.COLUMN)) {
      method.addStatement("final $T $L = $L", shell.compute(), Names.elementLocal(name), valueAt(name, "colIndex", storage));
    }
  }

  /** After a row's elements: its {@code rowsum}s, then the end of the row. */
  private void endRows(MethodSpec.Builder method, KernelPlan.Loop loop) {
    sumRow(method, loop);
    method.endControlFlow();
  }

  /**
   * After a row's elements, scalar or in lanes: each {@code rowsum}'s partials combined in the tree
   * into its value for the row, then zeroed for the next row.
   */
  static void sumRow(MethodSpec.Builder method, KernelPlan.Loop loop) {
    for (Statement sum : rowSums(loop)) {
      String lanes = Names.lanesLocal(sum.target());
      method.addStatement("$L[rowIndex] = $T.sumLanes($L)", sum.target(), Storage.KERNEL_MATH, lanes);
      method.addStatement("$T.fill($L, 0)", java.util.Arrays.class, lanes);
    }
  }

  /** In a row's loop over columns, scalar or in lanes: where the column's {@code rowsum} partials are. */
  static void declareColumnLane(MethodSpec.Builder method, KernelPlan.Loop loop) {
    if (!rowSums(loop).isEmpty()) {
      method.addStatement("final int columnLane = colIndex & ($T.LANES - 1)", Storage.KERNEL_MATH);
    }
  }

  /** The loop's {@code rowsum}s: partial results per row, in lanes by column. */
  static List<Statement> rowSums(KernelPlan.Loop loop) {
    return loop.axisSums().stream()
        .filter(sum -> ((Expr.Call) sum.value()).function() == Function.ROWSUM).toList();
  }

  /** The names of {@code extent} that the loop's statements read, in order of first reading. */
  private List<String> namesRead(KernelPlan.Loop loop, Extent extent) {
    return namesRead(shell.kernelPlan(), loop.steps().stream().map(KernelPlan.Step::perElementValue).toList(), extent);
  }

  /** The names of {@code extent} in {@code values}, in order of first reading: what a loop over it loads. */
  static List<String> namesRead(KernelPlan plan, List<Expr> values, Extent extent) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Expr value : values) {
      for (Expr.Name name : Exprs.all(value, Expr.Name.class)) {
        if (plan.extentOf(name.id()) == extent) {
          names.add(name.id());
        }
      }
    }
    return List.copyOf(names);
  }

  /** A value per row or column at {@code index}: a state's element, or a temporary's in its local array. */
  CodeBlock valueAt(String name, String index, Storage storage) {
    return shell.arrays().contains(name) ? storage.load(name, index) : CodeBlock.of("$L[$L]", name, index);
  }

  /**
   * {@code partials[lane] = partials[lane] + x*x}, {@code + x}, {@code + |x|} or
   * {@code max(partial, |x|)}; an argument that is more than a name is computed into a local first.
   */
  void writeReductionStep(MethodSpec.Builder method, Function reduction, String partials, CodeBlock x) {
    String term = x.toString();
    if (!term.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      term = partials.replace("_lanes", "_term");
      method.addStatement("final $T $L = $L", shell.compute(), term, x);
    }
    String partial = partials + "[lane]";
    // written out as 'p = p + x', not 'p += x': the same rounding in float, but it reads like the formula
    switch (reduction) {
      case SUMSQ -> method.addStatement("$L = $L + $L * $L", partial, partial, term, term);
      case SUM -> method.addStatement("$L = $L + $L", partial, partial, term);
      case SUMABS -> method.addStatement("$L = $L + $T.abs($L)", partial, partial, Math.class, term);
      case MAXABS -> method.addStatement("$L = $T.max($L, $T.abs($L))", partial, Math.class, partial, Math.class, term);
      default -> throw new IllegalStateException(reduction + " is not a reduction");
    }
  }
}
