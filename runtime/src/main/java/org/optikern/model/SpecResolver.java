package org.optikern.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optikern.lang.Condition;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.lang.Parser;
import org.optikern.lang.Span;
import org.optikern.lang.SpecSyntaxException;
import org.optikern.lang.Statement;

/**
 * Checks a {@link RawSpec} and builds the {@link OptimizerModel}. It collects every problem it
 * can find instead of stopping at the first, so that one compile shows them all.
 */
public final class SpecResolver {
  /** Each switch doubles the kernels; past this the generated code would be unreasonably large. */
  static final int MAX_SWITCHES = 5;

  private final RawSpec raw;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Set<String> hyperparameterNames = new LinkedHashSet<>();
  private final Set<String> switchNames = new LinkedHashSet<>();
  private final Set<String> stateNames = new LinkedHashSet<>();
  private final Set<String> scalarStateNames = new LinkedHashSet<>();
  private final Set<String> flagNames = new LinkedHashSet<>();
  /** Per-update scalars declared so far: a scalar formula reads only those before it. */
  private final Set<String> scalarNames = new LinkedHashSet<>();
  /** Every name a {@code @Scalar} assigns, for telling "declared later" from "unknown". */
  private final Set<String> laterScalarNames = new LinkedHashSet<>();
  /** Names whose declaration was reported as bad: reading them adds no second error. */
  private final Set<String> reportedNames = new HashSet<>();

  private SpecResolver(RawSpec raw) {
    this.raw = raw;
  }

  /** The model, or the diagnostics that prevent it. */
  public static Result resolve(RawSpec raw) {
    return new SpecResolver(raw).run();
  }

  public record Result(Optional<OptimizerModel> model, List<Diagnostic> diagnostics) {
    public Result {
      diagnostics = List.copyOf(diagnostics);
    }

    public OptimizerModel orThrow() {
      return model.orElseThrow(() -> new InvalidSpecException(diagnosticsName(), errors()));
    }

    /** The diagnostics that prevent the model (the others are warnings). */
    public List<Diagnostic> errors() {
      return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    private String diagnosticsName() {
      return errors().isEmpty() ? "?" : String.valueOf(errors().get(0).origin());
    }
  }

  private Result run() {
    checkRegistryName(raw.name(), "optimizer name", "name");
    Set<String> keys = new LinkedHashSet<>();
    keys.add(raw.name().toLowerCase(Locale.ROOT));
    for (String alias : raw.aliases()) {
      checkRegistryName(alias, "alias", "aliases");
      if (!keys.add(alias.toLowerCase(Locale.ROOT))) {
        error("alias '" + alias + "' repeats a registry key of this optimizer (keys are case-insensitive)", raw.origin(), "aliases");
      }
    }
    if (!(raw.learningRate() >= 0) || Double.isInfinite(raw.learningRate())) {
      error("learningRate must be a finite number >= 0, found " + raw.learningRate(), raw.origin(), "learningRate");
    }

    List<HyperparameterModel> hyperparameters = new ArrayList<>();
    for (RawSpec.RawHyperparameter h : raw.hyperparameters()) {
      if (declareName(h.name(), "hyperparameter", h.origin(), hyperparameterNames)) {
        if (Double.isNaN(h.defaultValue()) || Double.isInfinite(h.defaultValue())) {
          error("hyperparameter '" + h.name() + "' needs a finite default, found " + h.defaultValue(), h.origin(), "defaultValue");
        }
        hyperparameters.add(new HyperparameterModel(h.name(), h.defaultValue(), h.doc(), h.valid().strip()));
      }
    }
    for (RawSpec.RawHyperparameter h : raw.hyperparameters()) {
      checkValidity(h, raw.hyperparameters());
    }

    List<SwitchModel> switches = new ArrayList<>();
    switchNames.add(OptimizerModel.CLIPPED);
    for (RawSpec.RawSwitch s : raw.switches()) {
      boolean named = declareName(s.name(), "switch", s.origin(), switchNames);
      Condition when = parseCondition(s.when(), s.origin());
      if (when != null && checkSwitchCondition(when, s.when(), s.origin()) && named) {
        switches.add(new SwitchModel(s.name(), when, s.when()));
      }
    }
    if (raw.switches().size() > MAX_SWITCHES) {
      error("a spec may declare at most " + MAX_SWITCHES + " switches (each doubles the generated kernels), found "
          + raw.switches().size(), raw.origin(), "name");
    }
    switches.add(new SwitchModel(OptimizerModel.CLIPPED,
        Parser.parseCondition(OptimizerModel.CLIP_GRADIENT + " > 0"), OptimizerModel.CLIP_GRADIENT + " > 0"));

    List<StateModel> states = new ArrayList<>();
    List<ScalarStateModel> scalarStates = new ArrayList<>();
    List<RawSpec.RawState> keptStates = new ArrayList<>();
    for (RawSpec.RawState s : raw.states()) {
      if (s.scalar()) {
        ScalarStateModel scalarState = resolveScalarState(s);
        if (scalarState != null) {
          scalarStates.add(scalarState);
        }
        continue;
      }
      boolean named = declareName(s.name(), "state", s.origin(), stateNames);
      Condition when = parseSelection(s.when(), s.origin());
      String initial = s.initial().strip();
      boolean initialOk = initial.equals(StateModel.ZEROS) || initial.equals(StateModel.WEIGHT);
      if (!initialOk) {
        error("a state starts as zeros (initial = \"0\") or as a copy of the weight (initial = \"weight\"), found '"
            + s.initial() + "'", s.origin(), "initial");
      }
      if (named && initialOk && (s.when().isBlank() || when != null)) {
        states.add(new StateModel(s.name(), when, s.when(), initial.equals(StateModel.WEIGHT)));
        keptStates.add(s);
      }
    }

    List<ParameterFlagModel> flags = new ArrayList<>();
    for (RawSpec.RawParameterFlag f : raw.flags()) {
      boolean named = declareName(f.name(), "parameter flag", f.origin(), flagNames);
      boolean suffixesOk = !f.suffixes().isEmpty() && f.suffixes().stream().noneMatch(String::isEmpty);
      if (!suffixesOk) {
        error("a parameter flag needs name endings to look for, none of them empty", f.origin(), "suffixes");
      }
      if (named && suffixesOk) {
        flags.add(new ParameterFlagModel(f.name(), f.suffixes()));
      }
    }

    List<ScalarModel> scalars = new ArrayList<>();
    raw.scalars().forEach(s -> assignedName(s.formula()).ifPresent(laterScalarNames::add));
    for (RawSpec.RawScalar s : raw.scalars()) {
      ScalarModel scalar = resolveScalar(s);
      if (scalar != null) {
        scalars.add(scalar);
      }
    }

    List<UpdateModel> updates = new ArrayList<>();
    List<RawSpec.RawUpdate> keptUpdates = new ArrayList<>();
    if (raw.updates().isEmpty()) {
      error("an optimizer spec needs at least one @Update", raw.origin(), "name");
    }
    for (RawSpec.RawUpdate u : raw.updates()) {
      Condition when = parseSelection(u.when(), u.origin());
      List<Statement> statements = new ArrayList<>();
      boolean ok = u.when().isBlank() || when != null;
      if (u.formulas().isEmpty()) {
        error("an @Update needs at least one formula", u.origin(), "formulas");
        ok = false;
      }
      Temporaries temporaries = new Temporaries(u.formulas());
      for (String formula : u.formulas()) {
        Statement statement = parseStatement(formula, u.origin(), temporaries);
        if (statement == null) {
          ok = false;
        } else {
          statements.add(statement);
        }
      }
      ok &= temporaries.checkAllRead(u.origin());
      ok &= checkOneDraw(u, statements);
      if (ok) {
        updates.add(new UpdateModel(when, u.when(), statements));
        keptUpdates.add(u);
      }
    }

    if (!diagnostics.isEmpty()) {
      return new Result(Optional.empty(), diagnostics);
    }
    OptimizerModel model = new OptimizerModel(raw.packageName(), raw.typeName(), raw.name(), raw.aliases(),
        raw.learningRate(), raw.decayedNameSuffixes(), hyperparameters, switches, states, scalarStates, flags, scalars,
        updates);
    checkVariants(model, keptUpdates);
    if (!diagnostics.isEmpty()) {
      return new Result(Optional.empty(), diagnostics);
    }
    checkStatesAreUsed(keptStates, keptUpdates, model);
    if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
      return new Result(Optional.empty(), diagnostics);
    }
    return new Result(Optional.of(model), diagnostics);
  }

  private void checkVariants(OptimizerModel model, List<RawSpec.RawUpdate> rawUpdates) {
    Map<String, SwitchSet> labels = new HashMap<>();
    for (SwitchSet switchSet : model.allSwitchSets()) {
      SwitchSet other = labels.put(switchSet.label(), switchSet);
      if (other != null) {
        error("the variants " + other + " and " + switchSet + " would both be named " + switchSet.label()
            + " in generated class names; rename a switch", raw.origin(), "name");
        return;
      }
    }
    Set<String> reported = new LinkedHashSet<>();
    for (SwitchSet switchSet : model.allSwitchSets()) {
      List<Integer> matching = new ArrayList<>();
      for (int i = 0; i < model.updates().size(); i++) {
        if (Conditions.selects(model.updates().get(i).when(), switchSet)) {
          matching.add(i);
        }
      }
      if (matching.isEmpty()) {
        error("no @Update covers the variant " + switchSet + "; every combination of switches needs exactly one",
            raw.origin(), "name");
        continue;
      }
      if (matching.size() > 1) {
        String key = matching.toString();
        if (reported.add(key)) {
          RawSpec.RawUpdate second = rawUpdates.get(matching.get(1));
          error("@Update(when = \"" + second.when() + "\") and @Update(when = \""
              + rawUpdates.get(matching.get(0)).when() + "\") both cover the variant " + switchSet
              + "; every combination of switches needs exactly one", second.origin(), "when");
        }
        continue;
      }
      UpdateModel update = model.updates().get(matching.get(0));
      RawSpec.RawUpdate rawUpdate = rawUpdates.get(matching.get(0));
      List<String> present = model.statesFor(switchSet);
      boolean assignsWeight = false;
      for (Statement s : update.statements()) {
        assignsWeight |= s.target().equals(OptimizerModel.WEIGHT);
        for (Expr.Name use : namesIn(s)) {
          if (model.isState(use.id()) && !present.contains(use.id())) {
            String message = "state '" + use.id() + "' is used in the variant " + switchSet
                + ", where it does not exist (declared with when = \"" + whenOf(model, use.id()) + "\")";
            if (reported.add(message + rawUpdate.origin())) {
              error(positioned(message, s.source(), use.span()), rawUpdate.origin(), "formulas");
            }
          }
        }
      }
      if (!assignsWeight && reported.add("weight" + rawUpdate.origin())) {
        error("this @Update never assigns 'weight'", rawUpdate.origin(), "formulas");
      }
    }
  }

  /**
   * States that never change or are never used, checked once the spec has no other error (so that a
   * formula that did not parse does not make its state look unused). A state read but assigned by no
   * {@code @Update} keeps its initial value: zeros is then an error (a state starting as the weight
   * is a copy of the starting point, which a regularizer may read on purpose). A state no formula
   * names is a warning: legal, but it costs an array as large as the weight for every parameter. A
   * scalar state that no {@code @Scalar} assigns is an error: it is its initial number in every update.
   */
  private void checkStatesAreUsed(List<RawSpec.RawState> rawStates, List<RawSpec.RawUpdate> rawUpdates,
      OptimizerModel model) {
    record Read(Statement statement, Expr.Name name, Object origin) {}
    Set<String> assigned = new HashSet<>();
    Map<String, Read> firstRead = new LinkedHashMap<>();
    for (int u = 0; u < model.updates().size(); u++) {
      for (Statement s : model.updates().get(u).statements()) {
        for (Expr.Name name : Exprs.all(s.value(), Expr.Name.class)) {
          if (stateNames.contains(name.id())) {
            firstRead.putIfAbsent(name.id(), new Read(s, name, rawUpdates.get(u).origin()));
          }
        }
        assigned.add(s.target());
      }
    }
    for (StateModel state : model.states()) {
      Read read = firstRead.get(state.name());
      if (read != null && !assigned.contains(state.name()) && !state.copiesWeight()) {
        error(positioned("state '" + state.name() + "' is read, but no @Update assigns it: it would be zeros in every "
            + "update (initial = \"0\"); assign it in an @Update, or write 0", read.statement().source(),
            read.name().span()), read.origin(), "formulas");
      }
    }
    for (RawSpec.RawState raw : rawStates) {
      if (!firstRead.containsKey(raw.name()) && !assigned.contains(raw.name())) {
        warning("state '" + raw.name() + "' is never used by any formula, yet it costs an array as large as the "
            + "weight for every parameter: remove it", raw.origin(), "name");
      }
    }
    Set<String> scalarAssigned = new HashSet<>();
    model.derivedScalars().forEach(s -> scalarAssigned.add(s.name()));
    for (RawSpec.RawState raw : this.raw.states()) {
      if (raw.scalar() && scalarStateNames.contains(raw.name()) && !scalarAssigned.contains(raw.name())) {
        double initial = Double.parseDouble(raw.initial().strip());
        error("scalar state '" + raw.name() + "' is never assigned: no @Scalar computes it, so it would be " + initial
            + " in every update; assign it with @Scalar(\"" + raw.name() + " = ...\"), or make it a @Hyperparameter",
            raw.origin(), "name");
      }
    }
  }

  private static String whenOf(OptimizerModel model, String state) {
    return model.states().stream().filter(s -> s.name().equals(state)).findFirst().map(StateModel::source).orElse("");
  }

  private static List<Expr.Name> namesIn(Statement statement) {
    List<Expr.Name> names = new ArrayList<>();
    names.add(new Expr.Name(statement.target(), statement.targetSpan()));
    names.addAll(Exprs.all(statement.value(), Expr.Name.class));
    return names;
  }

  /**
   * The {@code let} temporaries of one update: each declared once, read only after its {@code let},
   * and read at least once (an unread one is usually a misspelled state).
   */
  private final class Temporaries {
    private final Map<String, Statement> declared = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    /** The elementwise pass each per-element temporary belongs to; a reduction starts the next pass. */
    private final Map<String, Integer> passOf = new HashMap<>();
    private int pass;
    /** Every name a 'let' of this update declares, read from the text: to tell "too early" from "unknown". */
    private final Set<String> lets = new HashSet<>();
    /** Lets reported as bad (unparsable, badly named): reading them adds no second error. */
    private final Set<String> reported = new HashSet<>();

    Temporaries(List<String> formulas) {
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

    boolean declare(Statement let, Object origin) {
      String name = let.target();
      String problem = NameRules.problemWithLocal(name);
      if (problem == null && (isReadable(name) || Function.named(name).isPresent() || switchNames.contains(name))) {
        problem = "clashes with a name the spec already has";
      }
      if (problem == null && declared.containsKey(name)) {
        problem = "is already declared by a 'let' in this @Update (a temporary is assigned once)";
      }
      if (problem != null) {
        error(positioned("temporary '" + name + "' " + problem, let.source(), let.targetSpan()), origin, "formulas");
        reported.add(name);
        return false;
      }
      declared.put(name, let);
      if (let.isReduction()) {
        pass++;
      } else {
        passOf.put(name, pass);
      }
      return true;
    }

    /** A per-element temporary of an earlier pass: its values are gone once a reduction has run. */
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
          error(positioned("temporary '" + let.target() + "' is never read", let.source(), let.targetSpan()), origin,
              "formulas");
          ok = false;
        }
      }
      return ok;
    }
  }

  /**
   * A reduction is the whole value of a {@code let}, over one array: then the kernels can compute it
   * as a pass of its own between the elementwise passes.
   */
  private boolean checkReductions(Statement statement, String formula, Object origin) {
    boolean ok = true;
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (!call.function().isReduction()) {
        continue;
      }
      String name = call.function().spelling();
      if (!statement.isReduction() || call != statement.value()) {
        error(positioned(name + "(...) reduces an array over the whole tensor: write it as the whole value of a 'let', "
            + "e.g. 'let w_sq = " + name + "(weight)', and use that name", formula, call.span()), origin, "formulas");
        ok = false;
      } else if (!(call.args().get(0) instanceof Expr.Name array) || !isArray(array.id())) {
        error(positioned(name + " reduces one array: weight, grad or a @State", formula, call.args().get(0).span()),
            origin, "formulas");
        ok = false;
      }
    }
    return ok;
  }

  /**
   * One {@code normal()} per update: every call draws the value of its element, so a second call
   * would repeat the first rather than draw anew; a {@code let} names the draw for reuse.
   */
  private boolean checkOneDraw(RawSpec.RawUpdate update, List<Statement> statements) {
    int draws = 0;
    for (Statement s : statements) {
      for (Expr.Call call : Exprs.all(s.value(), Expr.Call.class)) {
        if (call.function() == Function.NORMAL && ++draws == 2) {
          error(positioned("a second normal() in one @Update would repeat the first draw of the element: write "
              + "'let z = normal()' and use z", s.source(), call.span()), update.origin(), "formulas");
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code clip_gradient} is read only as the bound of {@code clip(x, clip_gradient)}: unclipped
   * variants drop that clip, and there its value is -1 or not positive, so any other use of it
   * would silently compute with that.
   */
  private boolean checkClipGradientIsABound(Expr value, String formula, Object origin, String attribute) {
    Set<Expr> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Expr.Call call : Exprs.all(value, Expr.Call.class)) {
      if (call.function() == Function.CLIP && VariantReducer.isClipGradient(call.args().get(1))) {
        bounds.add(call.args().get(1));
      }
    }
    boolean ok = true;
    for (Expr.Name name : Exprs.all(value, Expr.Name.class)) {
      if (name.id().equals(OptimizerModel.CLIP_GRADIENT) && !bounds.contains(name)) {
        error(positioned("clip_gradient is read only as the bound of clip(x, clip_gradient): unclipped variants drop "
            + "that clip, and there clip_gradient is -1 or not positive", formula, name.span()), origin, attribute);
        ok = false;
      }
    }
    return ok;
  }

  private boolean isArray(String id) {
    return id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || stateNames.contains(id);
  }

  private Statement parseStatement(String formula, Object origin, Temporaries temporaries) {
    Statement statement;
    try {
      statement = Parser.parseStatement(formula);
    } catch (SpecSyntaxException e) {
      error(e.getMessage(), origin, "formulas");
      Matcher let = LET_NAME.matcher(formula);
      if (let.matches()) {
        temporaries.reported.add(let.group(1));
      }
      return null;
    }
    boolean ok;
    if (statement.temporary()) {
      ok = true; // declared after its value is checked: 'let g = g' reads no g
    } else if (temporaries.contains(statement.target())) {
      error(positioned("cannot assign to temporary '" + statement.target() + "': a temporary is assigned once, by its "
          + "'let'", formula, statement.targetSpan()), origin, "formulas");
      ok = false;
    } else {
      ok = checkTarget(statement, origin);
    }
    for (Expr.Literal literal : Exprs.all(statement.value(), Expr.Literal.class)) {
      if (Float.isInfinite((float) literal.value())) {
        error(positioned("number '" + literal.text() + "' is too large for float32 and float16 kernels: it would "
            + "become Infinity (largest float: " + Float.MAX_VALUE + ")", formula, literal.span()), origin, "formulas");
        ok = false;
      } else if ((float) literal.value() == 0 && literal.value() != 0) {
        error(positioned("number '" + literal.text() + "' is too small for float32 and float16 kernels: it would "
            + "become 0.0 (smallest float: " + Float.MIN_VALUE + ")", formula, literal.span()), origin, "formulas");
        ok = false;
      }
    }
    ok &= checkReductions(statement, formula, origin);
    ok &= checkClipGradientIsABound(statement.value(), formula, origin, "formulas");
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      if (temporaries.contains(name.id()) && temporaries.isFromEarlierPass(name.id())) {
        temporaries.markRead(name.id());
        error(positioned("temporary '" + name.id() + "' holds one value per element of the pass before a reduction "
            + "(let ... = sumsq(...)); after it, those values are gone: store it in a @State, or compute it again",
            formula, name.span()), origin, "formulas");
        ok = false;
      } else if (temporaries.contains(name.id())) {
        temporaries.markRead(name.id());
      } else if (temporaries.reported.contains(name.id())) {
        ok = false; // its let was reported already
      } else if (!isReadable(name.id()) && temporaries.lets.contains(name.id())) {
        temporaries.markRead(name.id()); // one error is enough: not also "never read"
        error(positioned("temporary '" + name.id() + "' is read before its 'let'", formula, name.span()), origin,
            "formulas");
        ok = false;
      } else if (!isReadable(name.id())) {
        List<String> known = readableNames();
        known.addAll(temporaries.declared.keySet());
        error(positioned(unknownName(name.id(), known), formula, name.span()), origin, "formulas");
        ok = false;
      }
    }
    if (statement.temporary()) {
      ok &= temporaries.declare(statement, origin);
    }
    return ok ? statement : null;
  }

  /** A scalar state: a name of its own, a finite number to start from, and no {@code when} (it always exists). */
  private ScalarStateModel resolveScalarState(RawSpec.RawState s) {
    boolean ok = declareName(s.name(), "scalar state", s.origin(), scalarStateNames);
    if (!s.when().isBlank()) {
      error("a scalar state exists in every variant: drop its when", s.origin(), "when");
      ok = false;
    }
    double initial = Double.NaN;
    try {
      initial = Double.parseDouble(s.initial().strip());
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    if (!Double.isFinite(initial)) {
      error("a scalar state starts as a number, e.g. initial = \"1\", found '" + s.initial() + "'", s.origin(),
          "initial");
      ok = false;
    }
    return ok ? new ScalarStateModel(s.name(), initial) : null;
  }

  /**
   * {@code name = formula}: a new name, and a formula over what is known before the elementwise
   * phase (t, the common scalars, hyperparameters and earlier scalars). The name is declared even
   * when the formula is bad, so that later uses of it do not add a second, misleading error.
   */
  private ScalarModel resolveScalar(RawSpec.RawScalar raw) {
    Statement statement;
    try {
      statement = Parser.parseStatement(raw.formula());
    } catch (SpecSyntaxException e) {
      error(e.getMessage(), raw.origin(), "value");
      assignedName(raw.formula()).ifPresent(reportedNames::add);
      return null;
    }
    if (statement.temporary()) {
      error(positioned("a @Scalar is declared without 'let': write '" + statement.target() + " = ...'", raw.formula(),
          new Span(0, statement.targetSpan().start())), raw.origin(), "value");
      reportedNames.add(statement.target());
      return null;
    }
    List<String> known = new ArrayList<>(scalarNames);
    known.addAll(scalarStateNames); // a scalar state reads as its value so far
    known.addAll(flagNames);
    boolean clipGradientOk = checkClipGradientIsABound(statement.value(), raw.formula(), raw.origin(), "value");
    boolean declared = scalarStateNames.contains(statement.target())
        || declareName(statement.target(), "scalar", raw.origin(), scalarNames, "value",
            problem -> positioned(problem, raw.formula(), statement.targetSpan()));
    if (!declared) {
      reportedNames.add(statement.target());
    }
    boolean ok = clipGradientOk & declared;
    for (Expr.Name name : Exprs.all(statement.value(), Expr.Name.class)) {
      String id = name.id();
      if (OptimizerModel.COMMON_SCALARS.contains(id) || hyperparameterNames.contains(id) || known.contains(id)) {
        continue;
      }
      String problem;
      if (id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || stateNames.contains(id)) {
        problem = "a @Scalar is computed once per update, before the elementwise phase: it cannot read the array '"
            + id + "'";
      } else if (id.equals(statement.target()) || laterScalarNames.contains(id)) {
        problem = "scalar '" + id + "' is not computed yet here: a @Scalar reads only the scalars declared before it";
      } else {
        List<String> readable = new ArrayList<>(OptimizerModel.COMMON_SCALARS);
        readable.addAll(hyperparameterNames);
        readable.addAll(known);
        problem = unknownName(id, readable);
      }
      error(positioned(problem, raw.formula(), name.span()), raw.origin(), "value");
      ok = false;
    }
    for (Expr.Call call : Exprs.all(statement.value(), Expr.Call.class)) {
      if (call.function() == Function.NORMAL) {
        error(positioned("normal() draws one value per element: it belongs in an @Update formula", raw.formula(),
            call.span()), raw.origin(), "value");
        ok = false;
      } else if (call.function().isReduction()) {
        error(positioned(call.function().spelling() + "(...) reduces an array: it belongs in an @Update, as "
            + "'let x = " + call.function().spelling() + "(weight)'", raw.formula(), call.span()), raw.origin(), "value");
        ok = false;
      } else if (call.function() == Function.CLIP) {
        error(positioned("clip belongs in @Update formulas (unclipped variants drop it); a @Scalar is the same in "
            + "every variant", raw.formula(), call.span()), raw.origin(), "value");
        ok = false;
      }
    }
    return ok ? new ScalarModel(statement.target(), statement, raw.doc()) : null;
  }

  private static final Pattern LET_NAME = Pattern.compile("\\s*let\\s+([a-z][a-z0-9_]*)\\s*=(?!=).*", Pattern.DOTALL);
  private static final Pattern ASSIGNED_NAME = Pattern.compile("\\s*([a-z][a-z0-9_]*)\\s*=(?!=).*", Pattern.DOTALL);

  /** The name a formula assigns, read from its text even when the rest does not parse. */
  private static Optional<String> assignedName(String formula) {
    Matcher matcher = ASSIGNED_NAME.matcher(formula);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private boolean checkTarget(Statement statement, Object origin) {
    String target = statement.target();
    String problem = null;
    if (target.equals(OptimizerModel.GRAD)) {
      problem = "cannot assign to 'grad': the gradient is read-only";
    } else if (hyperparameterNames.contains(target)) {
      problem = "cannot assign to hyperparameter '" + target + "': hyperparameters are read-only in formulas";
    } else if (OptimizerModel.COMMON_SCALARS.contains(target)) {
      problem = "cannot assign to '" + target + "': it is a scalar every optimizer passes to its kernels";
    } else if (scalarNames.contains(target)) {
      problem = "cannot assign to scalar '" + target + "': a @Scalar is computed once per update, before the "
          + "elementwise phase";
    } else if (flagNames.contains(target)) {
      problem = "cannot assign to parameter flag '" + target + "': it comes from the parameter's name";
    } else if (scalarStateNames.contains(target)) {
      problem = "cannot assign to scalar state '" + target + "' here: a @Scalar assigns it, once per update";
    } else if (!target.equals(OptimizerModel.WEIGHT) && !stateNames.contains(target)) {
      List<String> assignable = new ArrayList<>();
      assignable.add(OptimizerModel.WEIGHT);
      assignable.addAll(stateNames);
      problem = unknownName(target, assignable) + ": only 'weight' and declared @State arrays can be assigned; "
          + "a per-element temporary is declared with 'let " + target + " = ...'";
    }
    if (problem != null) {
      error(positioned(problem, statement.source(), statement.targetSpan()), origin, "formulas");
      return false;
    }
    return true;
  }

  private boolean isReadable(String id) {
    return id.equals(OptimizerModel.WEIGHT) || id.equals(OptimizerModel.GRAD) || stateNames.contains(id)
        || hyperparameterNames.contains(id) || OptimizerModel.COMMON_SCALARS.contains(id) || scalarNames.contains(id)
        || scalarStateNames.contains(id) || flagNames.contains(id) || reportedNames.contains(id);
  }

  private List<String> readableNames() {
    List<String> names = new ArrayList<>(List.of(OptimizerModel.WEIGHT, OptimizerModel.GRAD));
    names.addAll(stateNames);
    names.addAll(OptimizerModel.COMMON_SCALARS);
    names.addAll(hyperparameterNames);
    names.addAll(scalarNames);
    names.addAll(scalarStateNames);
    names.addAll(flagNames);
    return names;
  }

  private Condition parseCondition(String source, Object origin) {
    return parseCondition(source, origin, "when");
  }

  private Condition parseCondition(String source, Object origin, String attribute) {
    try {
      return Parser.parseCondition(source);
    } catch (SpecSyntaxException e) {
      error(e.getMessage(), origin, attribute);
      return null;
    }
  }

  /**
   * A hyperparameter's {@code valid}: a condition over hyperparameters, like a switch's, which the
   * defaults must satisfy.
   */
  private void checkValidity(RawSpec.RawHyperparameter h, List<RawSpec.RawHyperparameter> all) {
    if (h.valid().isBlank()) {
      return;
    }
    Condition valid = parseCondition(h.valid(), h.origin(), "valid");
    if (valid == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    walkSwitchCondition(valid, h.valid(), problems, "a validity condition");
    problems.forEach(p -> error(p, h.origin(), "valid"));
    if (!problems.isEmpty()) {
      return;
    }
    Map<String, Double> defaults = new HashMap<>();
    all.forEach(other -> defaults.put(other.name(), other.defaultValue()));
    if (!Conditions.holds(valid, defaults::get)) {
      error("the default " + h.defaultValue() + " of '" + h.name() + "' does not satisfy its condition '"
          + h.valid().strip() + "'", h.origin(), "defaultValue");
    }
  }

  /** A switch condition compares arithmetic over hyperparameters; it may not use arrays or functions. */
  private boolean checkSwitchCondition(Condition condition, String source, Object origin) {
    List<String> problems = new ArrayList<>();
    walkSwitchCondition(condition, source, problems, "a switch condition");
    problems.forEach(p -> error(p, origin, "when"));
    return problems.isEmpty();
  }

  private void walkSwitchCondition(Condition c, String source, List<String> problems, String kind) {
    if (c instanceof Condition.Compare compare) {
      for (Expr side : List.of(compare.left(), compare.right())) {
        for (Expr.Name name : Exprs.all(side, Expr.Name.class)) {
          if (!hyperparameterNames.contains(name.id())) {
            String problem = isReadable(name.id())
                ? kind + " may only use hyperparameters, and '" + name.id() + "' is not one"
                    + " (it is decided when the optimizer is created)"
                : unknownName(name.id(), new ArrayList<>(hyperparameterNames)) + " in " + kind;
            problems.add(positioned(problem, source, name.span()));
          }
        }
        for (Expr.Call call : Exprs.all(side, Expr.Call.class)) {
          problems.add(positioned(kind + " may not call functions", source, call.span()));
        }
      }
    } else if (c instanceof Condition.Not not) {
      walkSwitchCondition(not.operand(), source, problems, kind);
    } else if (c instanceof Condition.And and) {
      walkSwitchCondition(and.left(), source, problems, kind);
      walkSwitchCondition(and.right(), source, problems, kind);
    } else if (c instanceof Condition.Or or) {
      walkSwitchCondition(or.left(), source, problems, kind);
      walkSwitchCondition(or.right(), source, problems, kind);
    } else if (c instanceof Condition.Flag flag) {
      problems.add(positioned(kind + " compares hyperparameters, e.g. '" + flag.name()
          + " != 0'; a bare name is not a condition here", source, flag.span()));
    }
  }

  /** An update's or state's {@code when}: switch names combined with {@code !}, {@code &&}, {@code ||}. */
  private Condition parseSelection(String source, Object origin) {
    if (source.isBlank()) {
      return null;
    }
    Condition condition = parseCondition(source, origin);
    if (condition == null) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    walkSelection(condition, source, problems);
    problems.forEach(p -> error(p, origin, "when"));
    return problems.isEmpty() ? condition : null;
  }

  private void walkSelection(Condition c, String source, List<String> problems) {
    if (c instanceof Condition.Flag flag) {
      if (!switchNames.contains(flag.name()) && !flag.name().equals(OptimizerModel.CLIPPED)) {
        List<String> known = new ArrayList<>(switchNames);
        if (!known.contains(OptimizerModel.CLIPPED)) {
          known.add(OptimizerModel.CLIPPED);
        }
        problems.add(positioned(unknownName(flag.name(), known).replace("unknown name", "unknown switch"),
            source, flag.span()));
      }
    } else if (c instanceof Condition.Not not) {
      walkSelection(not.operand(), source, problems);
    } else if (c instanceof Condition.And and) {
      walkSelection(and.left(), source, problems);
      walkSelection(and.right(), source, problems);
    } else if (c instanceof Condition.Or or) {
      walkSelection(or.left(), source, problems);
      walkSelection(or.right(), source, problems);
    } else {
      problems.add(positioned("'when' selects switches by name (e.g. 'momentum && !clipped'); "
          + "put comparisons of hyperparameters in a @Switch", source, c.span()));
    }
  }

  private boolean declareName(String name, String what, Object origin, Set<String> into) {
    return declareName(name, what, origin, into, "name", UnaryOperator.identity());
  }

  /** @param where adds the position to a message, for names written inside a formula */
  private boolean declareName(String name, String what, Object origin, Set<String> into, String attribute,
      UnaryOperator<String> where) {
    String problem = NameRules.problemWith(name);
    if (problem != null) {
      error(where.apply(what + " name '" + name + "' " + problem), origin, attribute);
      return false;
    }
    String clash = null;
    if (name.equals(OptimizerModel.WEIGHT) || name.equals(OptimizerModel.GRAD)
        || OptimizerModel.COMMON_SCALARS.contains(name)) {
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
      error(where.apply(what + " '" + name + "' clashes with " + clash + " of the same name"), origin, attribute);
      return false;
    }
    for (String other : into) {
      if (SwitchSet.accessorName(other).equals(SwitchSet.accessorName(name))) {
        error(where.apply(what + " '" + name + "' and '" + other + "' would both become " + SwitchSet.accessorName(name)
            + " in generated code"), origin, attribute);
        return false;
      }
    }
    into.add(name);
    return true;
  }

  private void checkRegistryName(String name, String what, String attribute) {
    if (!NameRules.REGISTRY_NAME.matcher(name).matches()) {
      error(what + " '" + name + "' is not a valid name (a letter, then letters, digits or '_')", raw.origin(), attribute);
    }
  }

  private static String positioned(String problem, String source, Span span) {
    return new SpecSyntaxException(problem, source, span).getMessage();
  }

  static String unknownName(String name, List<String> known) {
    String message = "unknown name '" + name + "'";
    int tolerance = name.length() <= 3 ? 1 : 2;
    Optional<String> nearest = known.stream()
        .filter(k -> editDistance(k, name) <= tolerance)
        .min(Comparator.comparingInt(k -> editDistance(k, name)));
    return nearest.map(n -> message + " (did you mean '" + n + "'?)").orElse(message + " (known: " + String.join(", ", known) + ")");
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private void error(String message, Object origin, String attribute) {
    diagnostics.add(new Diagnostic(message, origin, attribute));
  }

  private void warning(String message, Object origin, String attribute) {
    diagnostics.add(new Diagnostic(message, origin, attribute, Diagnostic.Severity.WARNING));
  }
}
