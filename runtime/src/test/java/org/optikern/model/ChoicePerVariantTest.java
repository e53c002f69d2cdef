package org.optikern.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optikern.lang.Statement;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/** {@code if(s, a, b)}: one {@code @Update} for every variant, each variant's plan holding only its branch. */
class ChoicePerVariantTest {
  @OptimizerSpec(name = "chooser")
  @Hyperparameter(name = "momentum", defaultValue = 0.9)
  @Hyperparameter(name = "nesterov", defaultValue = 0)
  @Switch(name = "momentum", when = "momentum != 0")
  @Switch(name = "nesterov", when = "nesterov != 0")
  @State(name = "mom", when = "momentum")
  @Update(formulas = {
      "let g = clip(rescale_grad*grad, clip_gradient)",
      "let decayed = momentum*mom",
      "mom = if(momentum, decayed + g, mom)",
      "weight = weight - lr*if(momentum, if(nesterov, g + momentum*mom, mom), g)"})
  interface ChooserSpec {}

  @OptimizerSpec(name = "freezer")
  @Hyperparameter(name = "frozen", defaultValue = 0)
  @Switch(name = "frozen", when = "frozen != 0")
  @Update(formulas = "weight = if(frozen, weight, weight - lr*grad)")
  interface FreezerSpec {}

  @OptimizerSpec(name = "keeper")
  @State(name = "residual")
  @Update(formulas = {"residual = residual + grad", "weight = weight"})
  interface KeeperSpec {}

  private static final OptimizerModel MODEL = SpecReader.model(ChooserSpec.class);

  private static UpdatePlan plan(boolean momentum, boolean nesterov) {
    return MODEL.plan(SwitchSet.of(List.of("momentum", "nesterov", OptimizerModel.CLIPPED), momentum, nesterov, true));
  }

  private static List<String> formulas(UpdatePlan plan) {
    return plan.statements().stream().map(Statement::source).toList();
  }

  @Test
  void eachVariantRunsItsBranchWithTheTextOfIt() {
    assertEquals(List.of("let g = clip(rescale_grad*grad, clip_gradient)", "let decayed = momentum*mom",
        "mom = decayed + g", "weight = weight - lr*(g + momentum*mom)"), formulas(plan(true, true)));
    assertEquals(List.of("let g = clip(rescale_grad*grad, clip_gradient)", "let decayed = momentum*mom",
        "mom = decayed + g", "weight = weight - lr*mom"), formulas(plan(true, false)));
  }

  @Test
  void aStatementLeftAsItIsAndTheTemporaryOnlyItReadDropOut() {
    // without momentum there is no mom: 'mom = mom' is left out, and so is 'decayed', read only by it
    for (boolean nesterov : new boolean[] {true, false}) {
      UpdatePlan plan = plan(false, nesterov);
      assertEquals(List.of("let g = clip(rescale_grad*grad, clip_gradient)", "weight = weight - lr*g"),
          formulas(plan));
      assertEquals(List.of(), plan.states());
    }
  }

  @Test
  void anUnchangedWeightWrittenAsSuchIsKept() {
    UpdatePlan plan = SpecReader.model(KeeperSpec.class)
        .plan(SwitchSet.of(List.of(OptimizerModel.CLIPPED), true));
    assertEquals(List.of("residual = residual + grad", "weight = weight"), formulas(plan));
  }

  @Test
  void aChoiceThatKeepsTheWeightStillAssignsIt() {
    UpdatePlan frozen = SpecReader.model(FreezerSpec.class)
        .plan(SwitchSet.of(List.of("frozen", OptimizerModel.CLIPPED), true, true));
    assertEquals(List.of("weight = weight"), formulas(frozen));
  }

  @Test
  void anUnclippedVariantsTextDropsTheGradientClip() {
    UpdatePlan unclipped = MODEL.plan(
        SwitchSet.of(List.of("momentum", "nesterov", OptimizerModel.CLIPPED), true, false, false));
    assertEquals(List.of("let g = rescale_grad*grad", "let decayed = momentum*mom", "mom = decayed + g",
        "weight = weight - lr*mom"), formulas(unclipped));
  }
}
