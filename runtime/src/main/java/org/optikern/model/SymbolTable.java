package org.optikern.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.optikern.lang.Function;

/**
 * The names a spec declares and what each one is. A name is entered only once its declaration
 * passes {@link #declare}, so later checks can trust what they find here; the names whose
 * declaration failed are remembered apart, so that reading them adds no second error.
 */
final class SymbolTable {
  private final DiagnosticLog log;
  final Set<String> hyperparameterNames = new LinkedHashSet<>();
  final Set<String> switchNames = new LinkedHashSet<>();
  final Set<String> stateNames = new LinkedHashSet<>();
  /** The shape of each state that has one value per row or column; absent: the weight's shape. */
  final java.util.Map<String, StateShape> stateShapes = new java.util.HashMap<>();
  final Set<String> scalarStateNames = new LinkedHashSet<>();
  final Set<String> flagNames = new LinkedHashSet<>();
  /** Per-update scalars declared so far: a scalar formula reads only those before it. */
  final Set<String> scalarNames = new LinkedHashSet<>();
  /** Every name a {@code @Scalar} assigns, for telling "declared later" from "unknown". */
  final Set<String> laterScalarNames = new LinkedHashSet<>();
  /** Names whose declaration was reported as bad: reading them adds no second error. */
  final Set<String> reportedNames = new HashSet<>();

  SymbolTable(DiagnosticLog log) {
    this.log = log;
  }

  boolean declare(String name, String what, Object origin, Set<String> into) {
    return declare(name, what, origin, into, "name", UnaryOperator.identity());
  }

  /**
   * Adds {@code name} to {@code into} unless it is malformed or clashes with a name already
   * declared (or two names would map to the same accessor in generated code).
   *
   * @param where adds the position to a message, for names written inside a formula
   */
  boolean declare(String name, String what, Object origin, Set<String> into, String attribute,
      UnaryOperator<String> where) {
    String problem = NameRules.problemWith(name);
    if (problem != null) {
      log.error(where.apply(what + " name '" + name + "' " + problem), origin, attribute);
      return false;
    }
    String clash = null;
    if (name.equals(OptimizerModel.WEIGHT) || name.equals(OptimizerModel.GRAD)
        || OptimizerModel.COMMON_SCALARS.contains(name) || isShapeName(name)) {
      clash = "a built-in name";
    } else if (Function.named(name).isPresent()) {
      clash = "a function";
    } else if (name.equals(OptimizerModel.CLIPPED) && what.equals("switch")) {
      clash = "the built-in switch";
    } else if (hyperparameterNames.contains(name) && !what.equals("switch")) {
      clash = "a hyperparameter";
    } else if (stateNames.contains(name) || scalarStateNames.contains(name)) {
      clash = "a state";
    } else if (flagNames.contains(name)) {
      clash = "a parameter flag";
    } else if (switchNames.contains(name)) {
      clash = "a switch";
    } else if (scalarNames.contains(name)) {
      clash = "a scalar";
    }
    if (clash != null) {
      log.error(where.apply(what + " '" + name + "' clashes with " + clash + " of the same name"), origin, attribute);
      return false;
    }
    for (String other : into) {
      if (SwitchSet.accessorName(other).equals(SwitchSet.accessorName(name))) {
        log.error(where.apply(what + " '" + name + "' and '" + other + "' would both become "
            + SwitchSet.accessorName(name) + " in generated code"), origin, attribute);
        return false;
      }
    }
    into.add(name);
    return true;
  }

  /** Whether an elementwise formula may read {@code id} (a badly declared name counts, see the class). */
  boolean isReadable(String id) {
    return id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || stateNames.contains(id)
        || hyperparameterNames.contains(id) || OptimizerModel.COMMON_SCALARS.contains(id) || scalarNames.contains(id)
        || isShapeName(id)
        || scalarStateNames.contains(id) || flagNames.contains(id) || reportedNames.contains(id);
  }

  /** What an elementwise formula may read, in the order an "unknown name" message lists them. */
  List<String> readableNames() {
    List<String> names = new ArrayList<>(List.of(OptimizerModel.WEIGHT, OptimizerModel.GRAD));
    names.addAll(stateNames);
    names.addAll(OptimizerModel.COMMON_SCALARS);
    names.add(OptimizerModel.SIZE);
    names.add(OptimizerModel.ROWS);
    names.add(OptimizerModel.COLS);
    names.addAll(hyperparameterNames);
    names.addAll(scalarNames);
    names.addAll(scalarStateNames);
    names.addAll(flagNames);
    return names;
  }

  /** {@code size}, {@code rows} or {@code cols}: the parameter's shape, built-in scalars. */
  static boolean isShapeName(String id) {
    return id.equals(OptimizerModel.SIZE) || id.equals(OptimizerModel.ROWS) || id.equals(OptimizerModel.COLS);
  }

  /** The extent of a state or of the weight or gradient; SCALAR for any other name. */
  Extent extentOfArray(String id) {
    if (!isArray(id)) {
      return Extent.SCALAR;
    }
    return Extent.of(stateShapes.getOrDefault(id, StateShape.FULL));
  }

  /** The arrays as large as the weight: the names with a value per element. */
  boolean isArray(String id) {
    return id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || stateNames.contains(id);
  }
}
