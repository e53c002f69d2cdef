package org.optikern.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalarLayoutTest {
  private final ScalarLayout layout = new ScalarLayout(List.of("beta1", "beta2"), List.of("lr_t"),
      List.of("norm"), List.of("is_bias"), true, true, true);

  @Test
  void slotsFollowTheCommonScalarsKindByKind() {
    assertEquals(List.of("lr", "wd", "rescale_grad", "clip_gradient", "t", "beta1", "beta2", "lr_t", "norm",
        "is_bias", OptimizerModel.SIZE, OptimizerModel.ROWS, OptimizerModel.COLS, OptimizerModel.NOISE_KEY),
        layout.names());
    assertEquals(14, layout.size());
    assertEquals(5, layout.firstHyperparameter());
    assertEquals(7, layout.firstDerived());
    assertEquals(8, layout.firstScalarState());
    assertEquals(9, layout.firstFlag());
    assertEquals(10, layout.elementCountSlot());
    assertEquals(11, layout.rowsSlot());
    assertEquals(12, layout.colsSlot());
    assertEquals(13, layout.noiseSlot());
    for (String common : ScalarLayout.COMMON) {
      assertEquals(ScalarLayout.COMMON.indexOf(common), layout.names().indexOf(common));
    }
    assertEquals(List.of(ScalarLayout.LR_SLOT, ScalarLayout.WD_SLOT, ScalarLayout.RESCALE_GRAD_SLOT,
        ScalarLayout.CLIP_GRADIENT_SLOT, ScalarLayout.T_SLOT), List.of(0, 1, 2, 3, 4));
  }

  @Test
  void anUpdateWithoutNoiseOrSizeHasNoSlotForThem() {
    ScalarLayout quiet = new ScalarLayout(List.of("momentum"), List.of(), List.of(), List.of(), false, false, false);
    assertEquals(6, quiet.size());
    IllegalStateException e = assertThrows(IllegalStateException.class, quiet::noiseSlot);
    assertEquals("this update draws no noise: there is no noise key", e.getMessage());
    e = assertThrows(IllegalStateException.class, quiet::elementCountSlot);
    assertEquals("no formula reads size: there is no element count slot", e.getMessage());
    e = assertThrows(IllegalStateException.class, quiet::colsSlot);
    assertEquals("no formula reads rows or cols and there is no factored variant: no slot for them", e.getMessage());
  }
}
