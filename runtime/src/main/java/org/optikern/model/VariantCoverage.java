package org.optikern.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Statement;

/**
 * Which {@code @Update} serves which variant (combination of switch values): exactly one per
 * variant, no gaps and no overlaps, and the chosen update assigns the weight and uses only the
 * states that exist in that variant. Runs on a model whose parts are each valid on their own.
 */
final class VariantCoverage {
  private final Object specOrigin;
  private final DiagnosticLog log;

  VariantCoverage(Object specOrigin, DiagnosticLog log) {
    this.specOrigin = specOrigin;
    this.log = log;
  }

  /** @param rawUpdates the raw form of each of the model's updates, index for index */
  void check(OptimizerModel model, List<RawSpec.RawUpdate> rawUpdates) {
    Map<String, SwitchSet> labels = new HashMap<>();
    for (SwitchSet switchSet : model.allSwitchSets()) {
      SwitchSet other = labels.put(switchSet.label(), switchSet);
      if (other != null) {
        log.error("the variants " + other + " and " + switchSet + " would both be named " + switchSet.label()
            + " in generated class names; rename a switch", specOrigin, "name");
        return;
      }
    }
    // one message per overlapping group of updates and per misused state, however many variants share it
    Set<String> reported = new LinkedHashSet<>();
    for (SwitchSet switchSet : model.allSwitchSets()) {
      List<Integer> matching = new ArrayList<>();
      for (int i = 0; i < model.updates().size(); i++) {
        if (Conditions.selects(model.updates().get(i).when(), switchSet)) {
          matching.add(i);
        }
      }
      if (matching.isEmpty()) {
        log.error("no @Update covers the variant " + switchSet + "; every combination of switches needs exactly one",
            specOrigin, "name");
        continue;
      }
      if (matching.size() > 1) {
        String key = matching.toString();
        if (reported.add(key)) {
          RawSpec.RawUpdate second = rawUpdates.get(matching.get(1));
          log.error("@Update(when = \"" + second.when() + "\") and @Update(when = \""
              + rawUpdates.get(matching.get(0)).when() + "\") both cover the variant " + switchSet
              + "; every combination of switches needs exactly one", second.origin(), "when");
        }
        continue;
      }
      UpdateModel update = model.updates().get(matching.get(0));
      RawSpec.RawUpdate rawUpdate = rawUpdates.get(matching.get(0));
      List<String> present = model.statesFor(switchSet);
      boolean assignsWeight = false;
      // as the variant runs it: an if(...) may leave a state out
      for (OptimizerModel.ReducedStatement reduced : OptimizerModel.reduce(update, switchSet)) {
        Statement s = reduced.statement();
        assignsWeight |= s.target().equals(OptimizerModel.WEIGHT);
        for (Expr.Name use : namesIn(s)) {
          if (model.isState(use.id()) && !present.contains(use.id())) {
            String message = "state '" + use.id() + "' is used in the variant " + switchSet
                + ", where it does not exist (declared with when = \"" + whenOf(model, use.id()) + "\")";
            if (reported.add(message + rawUpdate.origin())) {
              log.error(DiagnosticLog.positioned(message, s.source(), use.span()), rawUpdate.origin(), "formulas");
            }
          }
        }
      }
      if (!assignsWeight && reported.add("weight" + rawUpdate.origin())) {
        log.error("this @Update never assigns 'weight'", rawUpdate.origin(), "formulas");
      }
    }
  }

  private static String whenOf(OptimizerModel model, String state) {
    return model.states().stream().filter(s -> s.name().equals(state)).findFirst().map(StateModel::source).orElse("");
  }

  /** The names a statement assigns and reads, the target first. */
  private static List<Expr.Name> namesIn(Statement statement) {
    List<Expr.Name> names = new ArrayList<>();
    names.add(new Expr.Name(statement.target(), statement.targetSpan()));
    names.addAll(Exprs.all(statement.value(), Expr.Name.class));
    return names;
  }
}
