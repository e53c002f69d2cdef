package org.optikern.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.tensor.Tensor;

/**
 * A checkpoint whose checksum is right but whose records contradict each other: written with the
 * real writer (so the checksum is recomputed), then read back.
 */
class UpdaterCheckpointCrossCheckTest {
  private static byte[] written(UpdateCounts counts, Map<Integer, OptimizerState> states) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdaterCheckpoint.write(out, "signum", counts, states, java.util.List.of());
    return out.toByteArray();
  }

  private static OptimizerState momentum() {
    return new OptimizerState("signum", List.of("mom"), List.of(Tensor.of(new float[] {0.5f, -1f})), null);
  }

  @Test
  void aStateMovedToAnIndexWithoutACountIsRejected() throws IOException {
    byte[] bytes = written(new UpdateCounts(3, Map.of(0, 3)), Map.of(1, momentum()));
    InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class,
        () -> UpdaterCheckpoint.read(new ByteArrayInputStream(bytes)));
    assertEquals("index 1 has a state but no update count: a state is kept only once an update of its index has "
        + "been counted", e.getMessage());
  }

  @Test
  void aStateWhoseIndexCountIsZeroIsRejected() throws IOException {
    byte[] bytes = written(new UpdateCounts(0, Map.of(1, 0)), Map.of(1, momentum()));
    assertThrows(InvalidCheckpointException.class, () -> UpdaterCheckpoint.read(new ByteArrayInputStream(bytes)));
  }

  @Test
  void matchingStatesAndCountsAreRead() throws IOException {
    byte[] bytes = written(new UpdateCounts(3, Map.of(0, 3, 1, 2)), Map.of(1, momentum()));
    UpdaterCheckpoint read = UpdaterCheckpoint.read(new ByteArrayInputStream(bytes));
    assertEquals(Map.of(0, 3, 1, 2), read.counts().byIndex());
    assertEquals(List.of("mom"), read.states().get(1).names());
  }
}
