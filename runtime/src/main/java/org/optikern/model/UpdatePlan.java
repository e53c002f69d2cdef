package org.optikern.model;

import java.util.List;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;

/**
 * The update of one variant, reduced for its switches: the statements of the selected update with
 * each {@code if(s, a, b)} resolved, {@code clip(x, c)} replaced by {@code x} when unclipped and the
 * statements that do nothing in this variant left out, and the states that exist in it. Each
 * statement's {@code source()} is its formula as this variant runs it (its choices made), for the
 * kernels' comments.
 * The interpreter runs exactly this; the writer turns exactly this into a kernel, so a
 * disagreement between the two is a bug in a back end, never in the variant logic.
 */
public record UpdatePlan(SwitchSet switches, List<Statement> statements, List<String> states,
    List<String> assignedScalarStates) {
  public UpdatePlan {
    statements = List.copyOf(statements);
    states = List.copyOf(states);
    assignedScalarStates = List.copyOf(assignedScalarStates);
  }

  /**
   * Whether the update runs over the whole tensor in one call: it reduces, assigns a scalar state, or
   * is the {@code factored} variant's, which reads the tensor as rows and columns.
   */
  public boolean inOneCall() {
    return reduces() || !assignedScalarStates.isEmpty() || switches.has(OptimizerModel.FACTORED);
  }

  /** Whether {@code statement} assigns one of the scalar states, one number per parameter. */
  public boolean assignsScalarState(Statement statement) {
    return !statement.temporary() && assignedScalarStates.contains(statement.target());
  }

  /** Whether a statement reduces over the tensor: then the update runs in passes, in one call. */
  public boolean reduces() {
    return statements.stream().anyMatch(Statement::isReduction);
  }

  /** Whether a statement calls {@code normal()}: then the kernel takes the noise key. */
  public boolean drawsNoise() {
    return statements.stream().anyMatch(s -> Exprs.all(s.value(), Expr.Call.class).stream()
        .anyMatch(call -> call.function() == Function.NORMAL));
  }
}
