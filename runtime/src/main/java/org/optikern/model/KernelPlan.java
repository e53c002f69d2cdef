package org.optikern.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
    List<Loop> passes) {
  public KernelPlan {
    arrays = List.copyOf(arrays);
    scalars = List.copyOf(scalars);
    perElement = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(perElement));
    passes = List.copyOf(passes);
  }

  /**
   * One pass: a loop over the range. The temporaries that are the same for every element (read only
   * scalars and reductions of earlier passes) and the scalar states it assigns, computed once before it; the arrays loaded at the top
   * of each iteration (read before the loop assigns them), in declaration order; then each step in
   * order, the reductions last: each adds its argument's value at the element to its partial
   * results, which are combined after the loop ({@code KernelMath.LANES}).
   */
  public record Loop(List<Statement> perCall, List<String> loadedFirst, List<Step> steps) {
    public Loop {
      perCall = List.copyOf(perCall);
      loadedFirst = List.copyOf(loadedFirst);
      steps = List.copyOf(steps);
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
   * stored).
   */
  public record Step(Statement statement, boolean readAfter) {
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
    Set<String> perElement = perElementNames(update, arrays);
    List<Loop> passes = new ArrayList<>();
    List<Statement> current = new ArrayList<>();
    List<String> reductionsOfPass = new ArrayList<>();
    for (Statement s : update.statements()) {
      if (PassRule.startsPass(s, reductionsOfPass)) {
        addLoop(passes, current, update, arrays, perElement);
        current = new ArrayList<>();
        reductionsOfPass.clear();
      }
      current.add(s);
      if (s.isReduction()) {
        reductionsOfPass.add(s.target());
      }
    }
    addLoop(passes, current, update, arrays, perElement);
    return new KernelPlan(update, arrays, scalars, perElement, passes);
  }

  /** The loop of {@code statements}, unless there are none or all are computed once per call. */
  private static void addLoop(List<Loop> passes, List<Statement> statements, UpdatePlan update, List<String> arrays,
      Set<String> perElement) {
    List<Statement> perCall = new ArrayList<>();
    List<Statement> body = new ArrayList<>();
    for (Statement s : statements) {
      boolean sameForEveryElement = s.temporary() && !s.isReduction() && !perElement.contains(s.target())
          || update.assignsScalarState(s);
      (sameForEveryElement ? perCall : body).add(s);
    }
    if (statements.isEmpty()) {
      return;
    }
    List<Step> steps = new ArrayList<>();
    for (int k = 0; k < body.size(); k++) {
      steps.add(new Step(body.get(k), readAfter(body, body.get(k).target(), k)));
    }
    passes.add(new Loop(perCall, arraysReadBeforeWritten(body, arrays), steps));
  }

  /**
   * Names whose value changes per element: the arrays and the {@code let} temporaries that read
   * one. A reduction's value is one per update, like a scalar, and so is a temporary computed from
   * nothing but scalars and reductions.
   */
  private static Set<String> perElementNames(UpdatePlan update, List<String> arrays) {
    Set<String> names = new LinkedHashSet<>(arrays);
    for (Statement s : update.statements()) {
      if (s.temporary() && !s.isReduction() && !isInvariant(s.value(), names)) {
        names.add(s.target());
      }
    }
    return names;
  }

  /** No per-element name and no {@code normal()} in it: the same value for every element. */
  public static boolean isInvariant(Expr expr, Set<String> perElement) {
    return Exprs.all(expr, Expr.Name.class).stream().noneMatch(name -> perElement.contains(name.id()))
        && Exprs.all(expr, Expr.Call.class).stream().noneMatch(call -> call.function() == Function.NORMAL);
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
