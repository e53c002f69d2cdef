package org.optikern.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;

/**
 * The {@code let} temporaries of one update: each declared once, read only after its {@code let},
 * and read at least once (an unread one is usually a misspelled state).
 */
final class LetTemporaries {
  private static final Pattern LET_NAME = Pattern.compile("\\s*let\\s+([a-z][a-z0-9_]*)\\s*=(?!=).*", Pattern.DOTALL);

  private final DiagnosticLog log;
  private final SymbolTable symbols;
  private final Map<String, Statement> declared = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();
  /** The pass each per-element temporary belongs to ({@link PassRule}). */
  private final Map<String, Integer> passOf = new HashMap<>();
  private int pass;
  private final List<String> reductionsOfPass = new ArrayList<>();
  private final Set<String> perElementLets = new HashSet<>();
  /** The extent of each temporary: over what its value varies. */
  private final Map<String, Extent> letExtents = new HashMap<>();
  /** Whether the current pass has a statement over the elements, other than a reduction. */
  private boolean elementsInPass;
  private final Set<String> readPerElementInPass = new HashSet<>();
  /** Every name a 'let' of this update declares, read from the text: to tell "too early" from "unknown". */
  private final Set<String> lets = new HashSet<>();
  /** Lets reported as bad (unparsable, badly named): reading them adds no second error. */
  private final Set<String> reported = new HashSet<>();

  LetTemporaries(List<String> formulas, DiagnosticLog log, SymbolTable symbols) {
    this.log = log;
    this.symbols = symbols;
    for (String formula : formulas) {
      Matcher matcher = LET_NAME.matcher(formula);
      if (matcher.matches()) {
        lets.add(matcher.group(1));
      }
    }
  }

  boolean contains(String name) {
    return declared.containsKey(name);
  }

  /** Whether a 'let' further on in this update declares {@code name}: a read of it is "too early". */
  boolean isDeclaredLater(String name) {
    return lets.contains(name);
  }

  /** Whether the 'let' of {@code name} was reported already, so that its reads stay quiet. */
  boolean isReported(String name) {
    return reported.contains(name);
  }

  Set<String> declaredNames() {
    return declared.keySet();
  }

  /** A formula that did not parse: if it was a 'let', its name is known but reported. */
  void unparsed(String formula) {
    Matcher let = LET_NAME.matcher(formula);
    if (let.matches()) {
      reported.add(let.group(1));
    }
  }

  boolean declare(Statement let, Object origin) {
    String name = let.target();
    String problem = NameRules.problemWithLocal(name);
    if (problem == null
        && (symbols.isReadable(name) || Function.named(name).isPresent() || symbols.switchNames.contains(name))) {
      problem = "clashes with a name the spec already has";
    }
    if (problem == null && declared.containsKey(name)) {
      problem = "is already declared by a 'let' in this @Update (a temporary is assigned once)";
    }
    if (problem != null) {
      log.error(DiagnosticLog.positioned("temporary '" + name + "' " + problem, let.source(), let.targetSpan()), origin,
          "formulas");
      reported.add(name);
      return false;
    }
    declared.put(name, let);
    Extent extent = Extent.ofResult(let, this::extentOf);
    letExtents.put(name, extent);
    if (let.isReduction()) {
      reductionsOfPass.add(name);
    } else if (extent == Extent.ELEMENT) {
      passOf.put(name, pass); // a value per row, column or update outlives its pass
    }
    return true;
  }

  /** Called before {@code statement}'s names are checked: it may start the next pass. */
  void beginStatement(Statement statement) {
    Extent extent = Extent.ofStatement(statement, this::extentOf);
    if (PassRule.startsPass(statement, extent, reductionsOfPass, elementsInPass)) {
      pass++;
      reductionsOfPass.clear();
      readPerElementInPass.clear();
      elementsInPass = false;
    }
    elementsInPass |= extent == Extent.ELEMENT && !statement.isReduction();
  }

  /**
   * Over what {@code name} varies: a temporary as its value, an array as its shape; SCALAR for any
   * other name (scalars, hyperparameters, reductions are lets of extent SCALAR).
   */
  Extent extentOf(String name) {
    Extent let = letExtents.get(name);
    return let != null ? let : symbols.extentOfArray(name);
  }

  /**
   * Whether {@code name} has a value per element: the weight, the gradient, an array state, or a
   * temporary computed from one of them or from {@code normal()}.
   */
  boolean isPerElement(String name) {
    return extentOf(name) != Extent.SCALAR || perElementLets.contains(name);
  }

  private boolean isPerElement(Statement statement) {
    return statement.isReduction() || !statement.temporary() && symbols.isArray(statement.target())
        || Exprs.all(statement.value(), Expr.Name.class).stream().anyMatch(n -> isPerElement(n.id()))
        || Exprs.all(statement.value(), Expr.Call.class).stream().anyMatch(c -> c.function() == Function.NORMAL);
  }

  /** After {@code statement} is checked: what it reads per element, and whether its temporary is per element. */
  void recordReads(Statement statement) {
    if (!isPerElement(statement)) {
      return;
    }
    if (statement.temporary() && !statement.isReduction()) {
      perElementLets.add(statement.target());
    }
    Exprs.all(statement.value(), Expr.Name.class).forEach(n -> readPerElementInPass.add(n.id()));
  }

  /** Whether a formula of the current pass has read {@code name} per element. */
  boolean isReadPerElementInPass(String name) {
    return readPerElementInPass.contains(name);
  }

  /** A per-element temporary of an earlier pass: its values are gone once that pass's reductions have run. */
  boolean isFromEarlierPass(String name) {
    Integer of = passOf.get(name);
    return of != null && of < pass;
  }

  void markRead(String name) {
    read.add(name);
  }

  boolean checkAllRead(Object origin) {
    boolean ok = true;
    for (Statement let : declared.values()) {
      if (!read.contains(let.target())) {
        log.error(DiagnosticLog.positioned("temporary '" + let.target() + "' is never read", let.source(),
            let.targetSpan()), origin, "formulas");
        ok = false;
      }
    }
    return ok;
  }
}
