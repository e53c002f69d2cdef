package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ScalarLayout;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;

/**
 * The generated optimizers lay out the scalar vector from their descriptor constant, the kernels and
 * the interpreter from the spec's model: for every built-in optimizer both must give the same
 * {@link ScalarLayout}, slot for slot.
 */
class ScalarLayoutAgreementTest {
  @Test
  void everyGeneratedDescriptorLaysOutTheScalarsAsItsSpecsModel() {
    int kindsSeen = 0;
    for (String name : Optimizer.registeredNames()) {
      OptimizerModel model = InterpretedOptimizer.create(name, Map.of()).model();
      ScalarLayout generated = Optimizer.create(name).descriptor().scalarLayout();
      assertEquals(model.scalarLayout(), generated, name);
      assertEquals(model.scalarNames(), generated.names(), name);
      assertEquals(model.scalarNames().size(), generated.size(), name);
      for (String scalar : model.scalarNames()) {
        int slot = model.scalarIndex(scalar);
        assertEquals(scalar, generated.names().get(slot), name);
      }
      kindsSeen |= (generated.derived().isEmpty() ? 0 : 1) | (generated.scalarStates().isEmpty() ? 0 : 2)
          | (generated.flags().isEmpty() ? 0 : 4) | (generated.noise() ? 8 : 0);
    }
    // the built-ins exercise every kind of slot, so the comparison above covers each offset
    assertEquals(15, kindsSeen, "kinds of scalar slot seen (bits: derived, scalar state, flag, noise)");
    assertTrue(Optimizer.registeredNames().size() >= 22);
  }
}
