package org.optikern.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;

/**
 * How a kernel runs one variant's update, as a value: the arrays and scalars it takes, the names
 * whose value changes per element, and its passes. A pass is a reduction over the range, or a loop
 * with the temporaries computed once before it, the arrays it loads first and each statement, a
 * store, a temporary or a reduction's step, marked with whether a later statement of the loop reads
 * it back. The scalar and SIMD kernel writers consume this one plan; neither works out passes, loads
 * or reloads itself.
 */
public record KernelPlan(UpdatePlan update, List<String> arrays, List<String> scalars, Set<String> perElement,
    List<Loop> passes, Map<String, Extent> extents) {
  public KernelPlan {
    arrays = List.copyOf(arrays);
    scalars = List.copyOf(scalars);
    perElement = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(perElement));
    passes = List.copyOf(passes);
    extents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extents));
  }

  /** Over what {@code name} varies: arrays by their shape, temporaries by what they read; SCALAR for the rest. */
  public Extent extentOf(String name) {
    return extents.getOrDefault(name, Extent.SCALAR);
  }

  /**
   * Whether the kernel reads its range as rows and columns: a state has a value per row or column, or
   * the update sums along rows or columns. It then takes the column count, and the range is whole rows.
   */
  public boolean overRowsOrColumns() {
    return extents.values().stream().anyMatch(e -> e == Extent.ROW || e == Extent.COLUMN);
  }

  /**
   * One pass: a loop over the range. The temporaries that are the same for every element (read only
   * scalars and reductions of earlier passes) and the scalar states it assigns, computed once before
   * it; in a kernel over rows and columns, the statements over rows ({@code perRow}: a row state's new
   * value, a temporary per row, a reduction over rows) in a loop over the rows, then those over
   * columns likewise, before the elements; the arrays loaded at the top
   * of each iteration (read before the loop assigns them), in declaration order; then each step in
   * order, the reductions last: each adds its argument's value at the element to its partial
   * results, which are combined after the loop ({@code KernelMath.LANES}).
   */
  public record Loop(List<Statement> perCall, List<Statement> perRow, List<Statement> perColumn,
      List<String> loadedFirst, List<Step> steps) {
    public Loop {
      perCall = List.copyOf(perCall);
      perRow = List.copyOf(perRow);
      perColumn = List.copyOf(perColumn);
      loadedFirst = List.copyOf(loadedFirst);
      steps = List.copyOf(steps);
    }

    /** The reductions of the element loop that give one value per update (not {@code rowsum} and {@code colsum}). */
    public List<Statement> laneReductions() {
      return reductions().stream().filter(s -> !((Expr.Call) s.value()).function().isAlongAxis()).toList();
    }

    /** The {@code rowsum} and {@code colsum}s of the element loop. */
    public List<Statement> axisSums() {
      return reductions().stream().filter(s -> ((Expr.Call) s.value()).function().isAlongAxis()).toList();
    }

    /** The statements of the loop body, in order. */
    public List<Statement> statements() {
      return steps.stream().map(Step::statement).toList();
    }

    /** The reductions of this pass: their values are known after the loop. */
    public List<Statement> reductions() {
      return statements().stream().filter(Statement::isReduction).toList();
    }

    /** Whether a statement of the loop calls {@code normal()} (one loop of an update at most). */
    public boolean drawsNoise() {
      return statements().stream().anyMatch(s -> Exprs.all(s.value(), Expr.Call.class).stream()
          .anyMatch(call -> call.function() == Function.NORMAL));
    }
  }

  /**
   * One statement of a loop: a {@code let} temporary (a local, never stored), a store into an
   * array, or the step of a reduction; {@code readAfter} when a later statement of the loop reads
   * the target before assigning it again (a stored value is then reloaded: for float16, rounded as
   * stored); {@code assignedAgain} when a later statement of the loop assigns the target again (its
   * value here only lives until then: float32 and float64 kernels keep it in the local and store
   * the last one, as NAG's {@code mom} twice per element).
   */
  public record Step(Statement statement, boolean readAfter, boolean assignedAgain) {
    public boolean stores() {
      return !statement.temporary();
    }

    /** A reduction's step: its argument at this element joins a partial result. */
    public boolean reduces() {
      return statement.isReduction();
    }

    /** The value computed at each element: a reduction's argument, or the statement's value. */
    public Expr perElementValue() {
      return reduces() ? ((Expr.Call) statement.value()).args().get(0) : statement.value();
    }

    /** A reduction's function. */
    public Function reduction() {
      return ((Expr.Call) statement.value()).function();
    }
  }

  /** The plan of {@code model}'s update for {@code switches}. */
  public static KernelPlan of(OptimizerModel model, SwitchSet switches) {
    UpdatePlan update = model.plan(switches);
    List<String> arrays = new ArrayList<>();
    arrays.add(OptimizerModel.WEIGHT);
    arrays.add(OptimizerModel.GRAD);
    arrays.addAll(update.states());
    Set<String> used = new HashSet<>();
    for (Statement s : update.statements()) {
      Exprs.all(s.value(), Expr.Name.class).forEach(name -> used.add(name.id()));
    }
    used.addAll(update.assignedScalarStates()); // a parameter the kernel assigns, even if no formula reads it
    List<String> scalars = new ArrayList<>();
    for (String scalar : model.scalarNames()) {
      if (used.contains(scalar)) {
        scalars.add(scalar);
      }
    }
    if (update.drawsNoise()) {
      scalars.add(OptimizerModel.NOISE_KEY);
    }
    Map<String, Extent> extents = extents(model, update, arrays);
    Set<String> perElement = new LinkedHashSet<>();
    extents.forEach((name, extent) -> {
      if (extent != Extent.SCALAR) {
        perElement.add(name);
      }
    });
    List<Loop> passes = new ArrayList<>();
    List<Statement> current = new ArrayList<>();
    List<String> reductionsOfPass = new ArrayList<>();
    boolean elementsInPass = false;
    java.util.function.Function<String, Extent> extentOf = n -> extents.getOrDefault(n, Extent.SCALAR);
    for (Statement s : update.statements()) {
      Extent extent = Extent.ofStatement(s, extentOf);
      if (PassRule.startsPass(s, extent, reductionsOfPass, elementsInPass)) {
        addLoop(passes, current, update, arrays, extentOf);
        current = new ArrayList<>();
        reductionsOfPass.clear();
        elementsInPass = false;
      }
      current.add(s);
      elementsInPass |= extent == Extent.ELEMENT && !s.isReduction();
      if (s.isReduction()) {
        reductionsOfPass.add(s.target());
      }
    }
    addLoop(passes, current, update, arrays, extentOf);
    return new KernelPlan(update, arrays, scalars, perElement, passes, extents);
  }

  /**
   * Over what each array and temporary varies: the weight, the gradient and full states per element,
   * other states per row or column; a temporary as the join of what it reads ({@link Extent}).
   */
  private static Map<String, Extent> extents(OptimizerModel model, UpdatePlan update, List<String> arrays) {
    Map<String, Extent> extents = new LinkedHashMap<>();
    for (String array : arrays) {
      boolean state = !array.equals(OptimizerModel.WEIGHT) && !array.equals(OptimizerModel.GRAD);
      extents.put(array, state ? Extent.of(model.stateShape(array)) : Extent.ELEMENT);
    }
    for (Statement s : update.statements()) {
      if (s.temporary()) {
        extents.put(s.target(), Extent.ofResult(s, n -> extents.getOrDefault(n, Extent.SCALAR)));
      }
    }
    return extents;
  }

  /** The loop of {@code statements}, unless there are none or all are computed once per call. */
  private static void addLoop(List<Loop> passes, List<Statement> statements, UpdatePlan update, List<String> arrays,
      java.util.function.Function<String, Extent> extentOf) {
    List<Statement> perCall = new ArrayList<>();
    List<Statement> perRow = new ArrayList<>();
    List<Statement> perColumn = new ArrayList<>();
    List<Statement> body = new ArrayList<>();
    for (Statement s : statements) {
      Extent over = update.assignsScalarState(s) ? Extent.SCALAR : Extent.ofStatement(s, extentOf);
      switch (over) {
        case SCALAR -> perCall.add(s);
        case ROW -> perRow.add(s);
        case COLUMN -> perColumn.add(s);
        case ELEMENT -> body.add(s);
      }
    }
    if (statements.isEmpty()) {
      return;
    }
    List<Step> steps = new ArrayList<>();
    for (int k = 0; k < body.size(); k++) {
      String target = body.get(k).target();
      steps.add(new Step(body.get(k), readAfter(body, target, k), assignedAgain(body, target, k)));
    }
    List<String> elementArrays = arrays.stream().filter(a -> extentOf.apply(a) == Extent.ELEMENT).toList();
    passes.add(new Loop(perCall, perRow, perColumn, arraysReadBeforeWritten(body, elementArrays), steps));
  }

  /** Arrays whose stored value one of {@code statements} reads before any of them assigns it, in declaration order. */
  private static List<String> arraysReadBeforeWritten(List<Statement> statements, List<String> arrays) {
    Set<String> result = new HashSet<>();
    Set<String> written = new HashSet<>();
    for (Statement s : statements) {
      for (Expr.Name name : Exprs.all(s.value(), Expr.Name.class)) {
        if (arrays.contains(name.id()) && !written.contains(name.id())) {
          result.add(name.id());
        }
      }
      written.add(s.target());
    }
    return arrays.stream().filter(result::contains).toList();
  }

  /** Whether a statement after {@code statementIndex} assigns {@code target}. */
  private static boolean assignedAgain(List<Statement> statements, String target, int statementIndex) {
    return statements.subList(statementIndex + 1, statements.size()).stream()
        .anyMatch(s -> s.target().equals(target));
  }

  /** Whether a statement after {@code statementIndex} reads {@code target} before assigning it again. */
  private static boolean readAfter(List<Statement> statements, String target, int statementIndex) {
    for (int k = statementIndex + 1; k < statements.size(); k++) {
      if (Exprs.all(statements.get(k).value(), Expr.Name.class).stream().anyMatch(n -> n.id().equals(target))) {
        return true;
      }
      if (statements.get(k).target().equals(target)) {
        return false;
      }
    }
    return false;
  }

}
