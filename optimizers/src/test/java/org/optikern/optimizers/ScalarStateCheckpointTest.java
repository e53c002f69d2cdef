package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.tensor.Tensor;

/** Nadam's per-parameter momentum schedule, a scalar state: kept per index, checkpointed, required by update. */
class ScalarStateCheckpointTest {
  private static final float[] GRAD = {0.5f, -1f, 0.25f};

  private static Tensor weight() {
    return Tensor.of(new float[] {1f, 2f, -3f});
  }

  @Test
  void theScheduleIsTheProductOfThisParametersMomenta() {
    Optimizer nadam = Optimizer.create("nadam");
    Tensor weight = weight();
    OptimizerState state = nadam.createState(0, weight);
    assertEquals(List.of("m_schedule"), state.scalarNames());
    assertEquals(1.0, state.scalar("m_schedule"));
    double expected = 1;
    for (int t = 1; t <= 3; t++) {
      nadam.update(0, weight, Tensor.of(GRAD.clone()), state);
      expected *= 0.9 * (1 - 0.5 * StrictMath.pow(0.96, t * 0.004));
      assertEquals(expected, state.scalar("m_schedule"), 0, "after update " + t);
    }
    // another index keeps its own schedule
    OptimizerState other = nadam.createState(1, weight());
    nadam.update(1, weight(), Tensor.of(GRAD.clone()), other);
    assertEquals(0.9 * (1 - 0.5 * StrictMath.pow(0.96, 0.004)), other.scalar("m_schedule"), 0);
  }

  @Test
  void aCheckpointKeepsTheScheduleAndTrainingGoesOnIdentically() throws IOException {
    Updater straight = new Updater(Optimizer.create("nadam"));
    Updater resumed = new Updater(Optimizer.create("nadam"));
    Tensor w1 = weight();
    Tensor w2 = weight();
    for (int step = 0; step < 3; step++) {
      straight.update(0, w1, Tensor.of(GRAD.clone()));
      resumed.update(0, w2, Tensor.of(GRAD.clone()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    resumed.save(bytes);
    Updater loaded = new Updater(Optimizer.create("nadam"));
    loaded.load(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(straight.state(0).orElseThrow().scalar("m_schedule"), loaded.state(0).orElseThrow().scalar("m_schedule"));
    for (int step = 0; step < 3; step++) {
      straight.update(0, w1, Tensor.of(GRAD.clone()));
      loaded.update(0, w2, Tensor.of(GRAD.clone()));
    }
    assertArrayEquals(w1.floatData(), w2.floatData());
  }

  @Test
  void anUpdateNeedsTheScalarStates() {
    Optimizer nadam = Optimizer.create("nadam");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> nadam.update(0, weight(), Tensor.of(GRAD.clone()), null));
    assertEquals("nadam needs the states [m, v, m_schedule] with these hyperparameters; create them with createState",
        e.getMessage());
    OptimizerState adamState = Optimizer.create("adam").createState(0, weight());
    assertThrows(IllegalArgumentException.class, () -> nadam.update(0, weight(), Tensor.of(GRAD.clone()), adamState));
  }

  @Test
  void aSgdCheckpointDoesNotLoadIntoNadam() throws IOException {
    Updater sgd = new Updater(Optimizer.create("sgd", Map.of("momentum", 0.9)));
    sgd.update(0, weight(), Tensor.of(GRAD.clone()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    sgd.save(bytes);
    Updater nadam = new Updater(Optimizer.create("nadam"));
    assertThrows(org.optikern.optim.InvalidCheckpointException.class,
        () -> nadam.load(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
