package org.optikern.processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Random;

/**
 * A random well-formed spec: hyperparameters, switches on them, states that exist under some
 * switches, per-update scalars over t, the common scalars, hyperparameters and earlier scalars, one
 * {@code @Update} per combination of switches with {@code let} temporaries, choices per variant
 * ({@code if(s, a, b)}, some leaving a state as it is), and random formula trees
 * over every primitive of the language. Only what a valid spec may do: the property that uses it checks the
 * generator, not the validator.
 */
record RandomSpec(String typeName, String source, int switchCount) {
  private static final String[] LITERALS = {"0", "1", "2", "0.5", "3.25", "1e-3", "0.9", "1e30", "7", "0.1"};
  /** Readable scalars; clip_gradient only as the bound of clip (the resolver rejects other reads). */
  private static final String[] SCALARS = {"lr", "wd", "rescale_grad", "t", "size"};

  static RandomSpec generate(Random random, int number) {
    String typeName = "Fuzz" + number + "Spec";
    int hyperparameters = random.nextInt(4);
    int switches = hyperparameters == 0 ? 0 : random.nextInt(Math.min(hyperparameters, 2) + 1);
    int states = random.nextInt(3);

    StringBuilder source = new StringBuilder("package fuzz;\n\nimport org.optikern.spec.*;\n\n");
    source.append("@OptimizerSpec(name = \"fuzz").append(number).append("\")\n");
    for (int h = 0; h < hyperparameters; h++) {
      source.append("@Hyperparameter(name = \"h").append(h).append("\", defaultValue = ")
          .append(random.nextInt(5) - 2).append(".5)\n");
    }
    String[] comparisons = {"!=", ">", "<=", "=="};
    for (int s = 0; s < switches; s++) {
      source.append("@Switch(name = \"s").append(s).append("\", when = \"h").append(s).append(' ')
          .append(comparisons[random.nextInt(comparisons.length)]).append(" 0.5\")\n");
    }
    // a state exists always, or only when one switch is on (or off)
    int[] stateSwitch = new int[states];
    boolean[] stateWhenOn = new boolean[states];
    for (int st = 0; st < states; st++) {
      stateSwitch[st] = switches == 0 ? -1 : random.nextInt(switches + 1) - 1;
      stateWhenOn[st] = random.nextBoolean();
      source.append("@State(name = \"st").append(st).append('"');
      if (stateSwitch[st] >= 0) {
        source.append(", when = \"").append(stateWhenOn[st] ? "" : "!").append('s').append(stateSwitch[st]).append('"');
      }
      source.append(")\n");
    }
    List<String> derived = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      // a flag from the parameter's name: index 0 ("0") has it, other indices do not
      source.append("@ParameterFlag(name = \"pf\", suffixes = \"0\")\n");
      derived.add("pf");
    }
    for (int d = random.nextInt(3); d > 0; d--) {
      List<String> scalarReadable = new ArrayList<>(List.of(SCALARS));
      for (int h = 0; h < hyperparameters; h++) {
        scalarReadable.add("h" + h);
      }
      scalarReadable.addAll(derived);
      String name = "d" + derived.size();
      source.append("@Scalar(\"").append(name).append(" = ").append(expression(random, scalarReadable, 3, false))
          .append("\")\n");
      derived.add(name);
    }
    if (random.nextInt(3) == 0) {
      // a scalar state: carried from update to update, assigned from its value so far
      List<String> scalarReadable = new ArrayList<>(List.of(SCALARS));
      scalarReadable.addAll(derived);
      scalarReadable.add("ss");
      source.append("@State(name = \"ss\", scalar = true, initial = \"").append(random.nextInt(5) - 1).append(".5\")\n");
      source.append("@Scalar(\"ss = ss*").append(expression(random, scalarReadable, 2, false)).append(" + ")
          .append(expression(random, scalarReadable, 2, false)).append("\")\n");
      derived.add("ss");
    }
    // a scalar state the updates assign, once per pass: from reductions where an update has them
    boolean updatesAssignScalarState = random.nextInt(3) == 0;
    if (updatesAssignScalarState) {
      source.append("@State(name = \"us\", scalar = true, initial = \"0.5\")\n");
    }
    // a factored variant: a state per row and one per column, an @Update of their own for weights of two
    // or more dimensions (rowsum, colsum, values per row and column, a reduction over the rows); the
    // updates drawn below are then the other variant's
    boolean factored = random.nextInt(4) == 0;
    if (factored) {
      source.append("@State(name = \"fr\", shape = \"rows\", when = \"factored\")\n");
      source.append("@State(name = \"fc\", shape = \"columns\", when = \"factored\")\n");
      List<String> always = new ArrayList<>();
      for (int st = 0; st < states; st++) {
        if (stateSwitch[st] < 0) {
          always.add("st" + st);
        }
      }
      source.append(factoredUpdate(random, hyperparameters, derived, always));
    }
    Set<String> assigned = new HashSet<>();
    for (int combination = 0; combination < (1 << switches); combination++) {
      List<String> available = new ArrayList<>();
      for (int st = 0; st < states; st++) {
        boolean on = stateSwitch[st] < 0 || (((combination >> stateSwitch[st]) & 1) == 1) == stateWhenOn[st];
        if (on) {
          available.add("st" + st);
        }
      }
      List<String> readable = new ArrayList<>(List.of("weight", "grad"));
      readable.addAll(available);
      for (int h = 0; h < hyperparameters; h++) {
        readable.add("h" + h);
      }
      readable.addAll(List.of(SCALARS));
      readable.addAll(derived);
      List<String> targets = new ArrayList<>();
      for (String state : available) {
        if (random.nextInt(5) > 0) {
          targets.add(state);
        }
      }
      targets.add(random.nextInt(targets.size() + 1), "weight");
      assigned.addAll(targets);

      source.append("@Update(");
      if (switches > 0 || factored) {
        List<String> conjunction = new ArrayList<>();
        for (int s = 0; s < switches; s++) {
          conjunction.add((((combination >> s) & 1) == 1 ? "" : "!") + "s" + s);
        }
        if (factored) {
          conjunction.add("!factored");
        }
        source.append("when = \"").append(String.join(" && ", conjunction)).append("\", ");
      }
      source.append("formulas = {");
      // 0 to 2 temporaries first, each read by the first assignment so that none goes unread
      List<String> formulas = new ArrayList<>();
      List<String> temporaries = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        String temporary = "tmp" + temporaries.size();
        formulas.add("let " + temporary + " = " + expression(random, readable, 3, true));
        temporaries.add(temporary);
        readable.add(temporary);
      }
      boolean reduced = false;
      for (int t = 0; t < targets.size(); t++) {
        String value = expression(random, readable, 4, true);
        if (t == 0) {
          for (String temporary : temporaries) {
            value = "(" + value + ") " + "+-*/".charAt(random.nextInt(4)) + " " + temporary;
          }
        }
        // a choice per variant: between two formulas, or leaving a state as it is (then the statement,
        // and a temporary only it reads, drop out of the variants that choose so)
        String selector = random.nextInt(switches + 1) == switches ? "clipped" : "s" + random.nextInt(switches);
        int choice = random.nextInt(6);
        if (choice == 0) {
          value = "if(" + selector + ", " + value + ", " + expression(random, readable, 2, true) + ")";
        } else if (choice == 1 && !targets.get(t).equals("weight")) {
          value = random.nextBoolean() ? "if(" + selector + ", " + value + ", " + targets.get(t) + ")"
              : "if(" + selector + ", " + targets.get(t) + ", " + value + ")";
        }
        formulas.add(targets.get(t) + " = " + value);
        if (t == 0 && random.nextInt(3) == 0) {
          // a reduction ends the pass: of an array, or of an expression of the pass (its temporaries too);
          // a second one joins the same pass, or, reading the first, makes a pass of its own
          List<String> arrays = new ArrayList<>(List.of("weight", "grad"));
          arrays.addAll(available);
          String[] reductions = {"sumsq", "sum", "sumabs", "maxabs"};
          String argument = random.nextBoolean() ? arrays.get(random.nextInt(arrays.size()))
              : expression(random, readable, 2, true);
          formulas.add("let red = " + reductions[random.nextInt(reductions.length)] + "(" + argument + ")");
          String second = switch (random.nextInt(3)) {
            case 0 -> expression(random, readable, 2, true);
            case 1 -> "red*" + arrays.get(random.nextInt(arrays.size()));
            default -> null;
          };
          readable.removeAll(temporaries);
          readable.add("red");
          if (second != null) {
            formulas.add("let red2 = " + reductions[random.nextInt(reductions.length)] + "(" + second + ")");
            readable.add("red2");
            formulas.add("let reds = red*red2"); // reads both, whatever the last formula draws
            readable.add("reds");
          }
          reduced = true;
          if (updatesAssignScalarState) {
            formulas.add("us = " + scalarFormula(random, readable, hyperparameters, derived));
            readable.add("us");
          }
        }
      }
      if (updatesAssignScalarState && !reduced) {
        // first: no formula before it reads it per element
        formulas.add(0, "us = " + scalarFormula(random, List.of(), hyperparameters, derived));
      }
      if (reduced) {
        String factor = readable.contains("reds") ? "reds" : "red";
        formulas.add("weight = weight - " + factor + "*" + expression(random, readable, 2, true));
      }
      keepOneDraw(formulas);
      for (int f = 0; f < formulas.size(); f++) {
        source.append(f == 0 ? "\n    \"" : ",\n    \"").append(formulas.get(f)).append('"');
      }
      source.append("})\n");
    }
    source.append("public interface ").append(typeName).append(" {}\n");
    String spec = source.toString();
    for (int st = 0; st < states; st++) {
      // a state no update assigns is read-only: a copy of the starting weight (zeros would be an error)
      if (!assigned.contains("st" + st)) {
        spec = spec.replace("@State(name = \"st" + st + "\"", "@State(name = \"st" + st + "\", initial = \"weight\"");
      }
    }
    return new RandomSpec(typeName, spec, switches + (factored ? 1 : 0)); // factored doubles the variants too
  }

  /**
   * The update of the factored variant, in four passes: a temporary per element and its sums along
   * the rows and the columns (and now and then its sum of squares); the row and column states'
   * new values from them (and a sum over the rows); a temporary per row and one per column; the
   * weight from all of them. Reads the states that exist in every variant too.
   */
  private static String factoredUpdate(Random random, int hyperparameters, List<String> derived, List<String> always) {
    List<String> scalars = new ArrayList<>(List.of(SCALARS));
    scalars.addAll(List.of("rows", "cols"));
    for (int h = 0; h < hyperparameters; h++) {
      scalars.add("h" + h);
    }
    scalars.addAll(derived);
    List<String> elements = new ArrayList<>(List.of("weight", "grad"));
    elements.addAll(always);
    elements.addAll(scalars);
    List<String> formulas = new ArrayList<>();
    formulas.add("let fe = " + expression(random, elements, 2, true));
    elements.add("fe");
    formulas.add("let fer = rowsum(fe*" + expression(random, elements, 2, true) + ")");
    formulas.add("let fec = colsum(" + expression(random, elements, 2, true) + " + fe)");
    boolean squares = random.nextBoolean();
    if (squares) {
      formulas.add("let fes = sumsq(" + expression(random, elements, 2, true) + ")");
      scalars.add("fes");
    }
    List<String> rows = new ArrayList<>(scalars);
    rows.addAll(List.of("fr", "fer"));
    List<String> columns = new ArrayList<>(scalars);
    columns.addAll(List.of("fc", "fec"));
    formulas.add("fr = fr*" + expression(random, scalars, 1, false) + " + fer*" + expression(random, rows, 2, false)
        + (squares ? " - fes" : ""));
    formulas.add("fc = fc*" + expression(random, scalars, 1, false) + " + fec*" + expression(random, columns, 2, false));
    boolean overRows = random.nextBoolean();
    if (overRows) {
      formulas.add("let frs = sum(fr*" + expression(random, rows, 1, false) + ")");
      rows.add("frs");
    }
    formulas.add("let rf = fr" + (overRows ? "*frs" : "") + " + " + expression(random, rows, 2, false));
    formulas.add("let cf = " + expression(random, columns, 2, false) + " + fc");
    List<String> last = new ArrayList<>(elements);
    last.remove("fe"); // gone with its pass
    last.addAll(List.of("rf", "cf", "fr", "fc"));
    formulas.add("weight = weight - (" + expression(random, last, 3, true) + ")*rf*cf");
    keepOneDraw(formulas);
    StringBuilder update = new StringBuilder("@Update(when = \"factored\", formulas = {");
    for (int f = 0; f < formulas.size(); f++) {
      update.append(f == 0 ? "\n    \"" : ",\n    \"").append(formulas.get(f)).append('"');
    }
    return update.append("})\n").toString();
  }

  /**
   * The new value of the scalar state {@code us}: its old value, scalars, hyperparameters and the
   * reductions among {@code readable}, never a value per element (no normal(), no clip).
   */
  private static String scalarFormula(Random random, List<String> readable, int hyperparameters, List<String> derived) {
    List<String> scalars = new ArrayList<>(List.of(SCALARS));
    for (int h = 0; h < hyperparameters; h++) {
      scalars.add("h" + h);
    }
    scalars.addAll(derived);
    scalars.add("us");
    readable.stream().filter(n -> n.startsWith("red")).forEach(scalars::add);
    return "us*" + expression(random, scalars, 1, false) + " + " + expression(random, scalars, 2, false);
  }

  /** One normal() per update (a second would repeat the first draw): later ones become grad. */
  private static void keepOneDraw(List<String> formulas) {
    boolean drawn = false;
    for (int f = 0; f < formulas.size(); f++) {
      StringBuilder kept = new StringBuilder();
      String formula = formulas.get(f);
      int from = 0;
      for (int at; (at = formula.indexOf("normal()", from)) >= 0; from = at + "normal()".length()) {
        kept.append(formula, from, at).append(drawn ? "grad" : "normal()");
        drawn = true;
      }
      formulas.set(f, kept.append(formula.substring(from)).toString());
    }
  }

  /** {@code clip} only where allowed: in update formulas, not in {@code @Scalar}s. */
  private static String expression(Random random, List<String> readable, int depth, boolean clip) {
    int choice = depth == 0 ? random.nextInt(2) : random.nextInt(clip ? 12 : 11);
    return switch (choice) {
      case 0 -> readable.get(random.nextInt(readable.size()));
      case 1 -> random.nextInt(3) == 0 ? LITERALS[random.nextInt(LITERALS.length)] : readable.get(random.nextInt(readable.size()));
      case 2, 3, 4, 5 -> "(" + expression(random, readable, depth - 1, clip) + " " + "+-*/".charAt(random.nextInt(4))
          + " " + expression(random, readable, depth - 1, clip) + ")";
      case 6 -> clip && random.nextInt(4) == 0 ? "normal()" : "-" + expression(random, readable, depth - 1, clip);
      case 7 -> unary(random) + "(" + expression(random, readable, depth - 1, clip) + ")";
      case 8 -> binary(random, clip) + "(" + expression(random, readable, depth - 1, clip) + ", "
          + expression(random, readable, depth - 1, clip) + ")";
      // C grouping without parentheses: a - b - c, a / b * c
      case 9 -> expression(random, readable, 0, clip) + " - " + expression(random, readable, 0, clip) + " - "
          + expression(random, readable, 0, clip);
      case 10 -> random.nextBoolean()
          ? expression(random, readable, 0, clip) + " / " + expression(random, readable, 0, clip) + " * "
              + expression(random, readable, 0, clip)
          : "where(" + expression(random, readable, depth - 1, clip) + ", " + expression(random, readable, depth - 1, clip)
              + ", " + expression(random, readable, depth - 1, clip) + ")";
      default -> "clip(" + expression(random, readable, depth - 1, clip) + ", "
          + (random.nextBoolean() ? "clip_gradient" : expression(random, readable, depth - 1, clip)) + ")";
    };
  }

  private static String unary(Random random) {
    String[] functions = {"sign", "abs", "sqrt", "square", "exp", "log"};
    return functions[random.nextInt(functions.length)];
  }

  private static String binary(Random random, boolean clip) {
    String[] functions = clip ? new String[] {"min", "max", "pow", "gt", "eq", "clip"}
        : new String[] {"min", "max", "pow", "gt", "eq"};
    return functions[random.nextInt(functions.length)];
  }
}
