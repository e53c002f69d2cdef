package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.tests.specs.PlainAdagrad;

/**
 * A spec compiled in this module and a built-in found on the class path under one name: the one
 * that says {@code replaces = true} wins, whatever the class path's order.
 */
class RegistryNameClashTest {
  @Test
  void aSpecThatReplacesABuiltInWinsOnPurpose() {
    Optimizer adagrad = Optimizer.create("adagrad", Map.of("learning_rate", 0.5));
    assertInstanceOf(PlainAdagrad.class, adagrad);
    assertEquals("adagrad", adagrad.name());
  }

  @Test
  void theBuiltInItReplacesIsOnTheClassPath() throws ClassNotFoundException {
    assertEquals("org.optikern.optimizers", Class.forName("org.optikern.optimizers.AdaGrad").getPackageName());
  }
}
