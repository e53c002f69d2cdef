package org.optikern.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a {@link RawSpec} and builds the {@link OptimizerModel}. It collects every problem it
 * can find instead of stopping at the first, so that one compile shows them all.
 *
 * <p>The checks live in classes of their own, one concern each, sharing one {@link SymbolTable}
 * and one {@link DiagnosticLog}; this class runs them in order. The order matters: declarations
 * fill the symbol table that the formulas are checked against, and the checks of the whole model
 * ({@link VariantCoverage}, then {@link StateUsage}) run only on a spec with no error so far, so
 * that they do not report the echoes of an earlier mistake.
 */
public final class SpecResolver {
  private final RawSpec raw;
  private final DiagnosticLog log = new DiagnosticLog();
  private final SymbolTable symbols = new SymbolTable(log);
  private final ConditionRules conditions = new ConditionRules(log, symbols);
  private final ClipGradientRule clipGradient = new ClipGradientRule(log);

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
    DeclarationRules declarations = new DeclarationRules(raw, log, symbols, conditions);
    declarations.checkRegistration();
    List<HyperparameterModel> hyperparameters = declarations.resolveHyperparameters();
    List<SwitchModel> switches = declarations.resolveSwitches();
    List<StateModel> states = new ArrayList<>();
    List<ScalarStateModel> scalarStates = new ArrayList<>();
    List<RawSpec.RawState> keptStates = new ArrayList<>();
    declarations.resolveStates(states, scalarStates, keptStates, switches);
    List<ParameterFlagModel> flags = declarations.resolveFlags();

    List<ScalarModel> scalars = new ScalarFormulaRules(log, symbols, clipGradient).resolve(raw.scalars());

    List<UpdateModel> updates = new ArrayList<>();
    List<RawSpec.RawUpdate> keptUpdates = new ArrayList<>();
    if (raw.updates().isEmpty()) {
      log.error("an optimizer spec needs at least one @Update", raw.origin(), "name");
    }
    UpdateFormulaRules updateRules = new UpdateFormulaRules(log, symbols, conditions, clipGradient);
    for (RawSpec.RawUpdate u : raw.updates()) {
      UpdateModel update = updateRules.resolve(u);
      if (update != null) {
        updates.add(update);
        keptUpdates.add(u);
      }
    }

    if (!log.isEmpty()) {
      return failed();
    }
    OptimizerModel model = new OptimizerModel(raw.packageName(), raw.typeName(), raw.name(), raw.aliases(),
        raw.learningRate(), raw.decayedNameSuffixes(), hyperparameters, switches, states, scalarStates, flags, scalars,
        updates);
    new VariantCoverage(raw.origin(), log).check(model, keptUpdates);
    if (!log.isEmpty()) {
      return failed();
    }
    new StateUsage(log, symbols).check(keptStates, keptUpdates, raw.states(), model);
    if (log.hasErrors()) {
      return failed();
    }
    return new Result(Optional.of(model), log.all());
  }

  private Result failed() {
    return new Result(Optional.empty(), log.all());
  }
}
