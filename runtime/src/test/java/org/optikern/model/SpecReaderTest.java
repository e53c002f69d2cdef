package org.optikern.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

class SpecReaderTest {
  @OptimizerSpec(name = "broken")
  @Hyperparameter(name = "beta", defaultValue = 0.9)
  @Update(formulas = {"grad = 0", "weight = weight - lr*sign(gard)"})
  interface BrokenSpec {}

  @OptimizerSpec(name = "good", aliases = "fine")
  @Hyperparameter(name = "beta", defaultValue = 0.9)
  @Switch(name = "decay", when = "beta < 1 && beta >= 0")
  @State(name = "m", when = "decay")
  @Update(when = "decay", formulas = {"m = beta*m + grad", "weight = weight - lr*m"})
  @Update(when = "!decay", formulas = "weight = weight - lr*grad")
  interface GoodSpec {}

  interface NotASpec {}

  @Test
  void aBrokenSpecListsEveryProblem() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecReader.model(BrokenSpec.class));
    assertEquals(2, e.diagnostics().size());
    assertTrue(e.getMessage().contains("cannot assign to 'grad'"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown name 'gard' (did you mean 'grad'?)"), e.getMessage());
  }

  @Test
  void aGoodSpecHasVariantsStatesAndScalars() {
    OptimizerModel model = SpecReader.model(GoodSpec.class);
    assertEquals(List.of("lr", "wd", "rescale_grad", "clip_gradient", "t", "beta"), model.scalarNames());
    assertEquals(4, model.allSwitchSets().size());
    assertEquals(List.of("decay", "clipped"), List.copyOf(model.allSwitchSets().get(0).values().keySet()));
    SwitchSet on = model.switchesFor(new double[] {0.1, 0, 1, -1, 1, 0.9});
    assertTrue(on.isOn("decay"));
    assertEquals(List.of("m"), model.statesFor(on));
    SwitchSet off = model.switchesFor(new double[] {0.1, 0, 1, 2.0, 1, 1.5});
    assertEquals("!decay && clipped", off.toString());
    assertEquals("NoDecayClipped", off.label());
    assertEquals(List.of(), model.statesFor(off));
    assertEquals(1, model.plan(off).statements().size());
  }

  @Test
  void onlyAnnotatedTypesAreSpecs() {
    assertThrows(IllegalArgumentException.class, () -> SpecReader.read(NotASpec.class));
  }
}
