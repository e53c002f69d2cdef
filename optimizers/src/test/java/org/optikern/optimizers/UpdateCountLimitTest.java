package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.FactorScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.Updater;
import org.optikern.tensor.Tensor;

/** Update counts stop at {@link Optimizer#MAX_UPDATE_COUNT} with an error, never wrap around. */
class UpdateCountLimitTest {
  @Test
  void beginNumUpdateMustLeaveRoomForAnUpdate() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizer.create("adam", Map.of("begin_num_update", Integer.MAX_VALUE)));
    assertEquals("begin_num_update must be at most 2147483646, so that an update can be counted; found 2147483647",
        e.getMessage());
  }

  @Test
  void theLastCountIsUsableAndTheNextUpdateIsRefusedBeforeWriting() throws IOException {
    Updater updater = new Updater(Optimizer.create("adam", Map.of("begin_num_update", Integer.MAX_VALUE - 1)));
    Tensor weight = Tensor.of(new float[] {1f, -2f, 3f});
    Tensor grad = Tensor.of(new float[] {0.5f, 0.5f, -0.5f});
    updater.update(0, weight, grad);
    assertEquals(Integer.MAX_VALUE, updater.optimizer().updateCount(0));
    for (float w : weight.floatData()) {
      assertFalse(Float.isNaN(w), "t = 2^31 - 1 is a valid count: the weights stay numbers");
    }
    float[] before = weight.floatData().clone();
    float[] meanBefore = updater.state(0).orElseThrow().arrays().get(0).floatData().clone();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> updater.update(0, weight, grad));
    assertEquals("index 0 has reached the largest update count, 2147483647: it cannot be updated again (its weight "
        + "and state are unchanged)", e.getMessage());
    assertArrayEquals(before, weight.floatData());
    assertArrayEquals(meanBefore, updater.state(0).orElseThrow().arrays().get(0).floatData());
    assertEquals(Integer.MAX_VALUE, updater.optimizer().updateCount(0));

    // the checkpoint at the limit loads back
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    updater.save(out);
    Updater restored = new Updater(Optimizer.create("adam", Map.of("begin_num_update", 0)));
    restored.load(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(Integer.MAX_VALUE, restored.optimizer().updateCount(0));
  }

  @Test
  void aFactorSchedulerNearTheLimitReturns() {
    Optimizer sgd = Optimizer.create("sgd",
        Map.of("lr_scheduler", new FactorScheduler(2, 0.9), "begin_num_update", Integer.MAX_VALUE - 1));
    Tensor weight = Tensor.of(new float[] {1f, 2f});
    assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> sgd.update(0, weight, Tensor.of(new float[] {1f, 1f}), sgd.createState(0, weight)));
    assertEquals(1e-8, sgd.getLearningRate());
  }
}
