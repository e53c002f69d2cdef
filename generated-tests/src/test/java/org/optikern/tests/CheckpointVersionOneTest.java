package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InvalidCheckpointException;
import org.optikern.optim.Optimizer;
import org.optikern.optim.Updater;

/** Checkpoints of format version 1 (before scalar states) still load, written here byte by byte from its spec. */
class CheckpointVersionOneTest {
  /** signSGD (no array states), index 3 updated twice: the v1 layout, with no scalar-state section. */
  private static byte[] versionOne(String optimizer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    data.write("OPTIKERN".getBytes(StandardCharsets.US_ASCII));
    data.writeInt(1);
    byte[] name = optimizer.getBytes(StandardCharsets.UTF_8);
    data.writeInt(name.length);
    data.write(name);
    data.writeInt(2); // num_update
    data.writeInt(1); // counts
    data.writeInt(3);
    data.writeInt(2);
    data.writeInt(1); // states
    data.writeInt(3);
    data.writeInt(0); // no arrays
    data.writeBoolean(false); // no master copy
    data.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    data.writeLong(crc.getValue());
    return bytes.toByteArray();
  }

  @Test
  void aVersionOneCheckpointLoads() throws IOException {
    Updater updater = new Updater(Optimizer.create("signum", Map.of("momentum", 0.0)));
    updater.load(new ByteArrayInputStream(versionOne("signum")));
    assertEquals(2, updater.optimizer().updateCount(3));
    assertTrue(updater.state(3).orElseThrow().isEmpty());
  }

  @Test
  void aVersionOneCheckpointHasNoScalarStates() throws IOException {
    Updater nadam = new Updater(Optimizer.create("nadam"));
    InvalidCheckpointException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidCheckpointException.class,
        () -> nadam.load(new ByteArrayInputStream(versionOne("nadam"))));
    assertTrue(e.getMessage().contains("has arrays [], but nadam with these hyperparameters keeps [m, v]"), e.getMessage());
  }
}
