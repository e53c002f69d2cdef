package org.optikern.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Statement;

/**
 * States that never change or are never used, checked once the spec has no other error (so that a
 * formula that did not parse does not make its state look unused). A state read but assigned by no
 * {@code @Update} keeps its initial value: zeros or a hyperparameter's value is then an error (a
 * state starting as the weight is a copy of the starting point, which a regularizer may read on
 * purpose). A state no formula
 * names is a warning: legal, but it costs an array as large as the weight for every parameter. A
 * scalar state that no {@code @Scalar} and no {@code @Update} assigns is an error: it is its initial
 * number in every update; one that both assign is an error too.
 */
final class StateUsage {
  private final DiagnosticLog log;
  private final SymbolTable symbols;

  StateUsage(DiagnosticLog log, SymbolTable symbols) {
    this.log = log;
    this.symbols = symbols;
  }

  /**
   * @param rawStates the raw array states kept in the model
   * @param rawUpdates the raw form of each of the model's updates, index for index
   * @param allRawStates every declared state, array or scalar, in declaration order
   */
  void check(List<RawSpec.RawState> rawStates, List<RawSpec.RawUpdate> rawUpdates,
      List<RawSpec.RawState> allRawStates, OptimizerModel model) {
    record Read(Statement statement, Expr.Name name, Object origin) {}
    Set<String> assigned = new HashSet<>();
    Map<String, Read> firstRead = new LinkedHashMap<>();
    for (int u = 0; u < model.updates().size(); u++) {
      for (Statement s : model.updates().get(u).statements()) {
        for (Expr.Name name : Exprs.all(s.value(), Expr.Name.class)) {
          if (symbols.stateNames.contains(name.id())) {
            firstRead.putIfAbsent(name.id(), new Read(s, name, rawUpdates.get(u).origin()));
          }
        }
        assigned.add(s.target());
      }
    }
    for (StateModel state : model.states()) {
      Read read = firstRead.get(state.name());
      if (read != null && !assigned.contains(state.name()) && state.startsAsZeros()) {
        log.error(DiagnosticLog.positioned("state '" + state.name() + "' is read, but no @Update assigns it: it would "
            + "be zeros in every update (initial = \"0\"); assign it in an @Update, or write 0",
            read.statement().source(), read.name().span()), read.origin(), "formulas");
      } else if (read != null && !assigned.contains(state.name()) && state.filledWith() != null) {
        log.error(DiagnosticLog.positioned("state '" + state.name() + "' is read, but no @Update assigns it: every "
            + "element would be " + state.filledWith() + " in every update (initial = \"" + state.filledWith()
            + "\"); assign it in an @Update, or read " + state.filledWith(),
            read.statement().source(), read.name().span()), read.origin(), "formulas");
      }
    }
    for (RawSpec.RawState raw : rawStates) {
      if (!firstRead.containsKey(raw.name()) && !assigned.contains(raw.name())) {
        log.warning("state '" + raw.name() + "' is never used by any formula, yet it costs an array as large as the "
            + "weight for every parameter: remove it", raw.origin(), "name");
      }
    }
    Set<String> scalarAssigned = new HashSet<>();
    model.derivedScalars().forEach(s -> scalarAssigned.add(s.name()));
    for (int u = 0; u < model.updates().size(); u++) {
      for (Statement s : model.updates().get(u).statements()) {
        if (!s.temporary() && scalarAssigned.contains(s.target()) && symbols.scalarStateNames.contains(s.target())) {
          log.error(DiagnosticLog.positioned("scalar state '" + s.target() + "' is assigned by a @Scalar, once per "
              + "update before the elementwise passes, and again here: assign it in one place", s.source(),
              s.targetSpan()), rawUpdates.get(u).origin(), "formulas");
        }
      }
    }
    scalarAssigned.addAll(assigned);
    for (RawSpec.RawState raw : allRawStates) {
      if (raw.scalar() && symbols.scalarStateNames.contains(raw.name()) && !scalarAssigned.contains(raw.name())) {
        double initial = Double.parseDouble(raw.initial().strip());
        log.error("scalar state '" + raw.name() + "' is never assigned: no @Scalar or @Update computes it, so it "
            + "would be " + initial + " in every update; assign it with @Scalar(\"" + raw.name() + " = ...\") or in "
            + "an @Update, or make it a @Hyperparameter", raw.origin(), "name");
      }
    }
  }
}
