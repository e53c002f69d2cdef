package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each engine the module is tested on starts from the native jars on the class path, with DJL in
 * offline mode (a download attempt would fail the start), and computes.
 */
class EnginesStartOfflineTest {

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void engineStartsOfflineAndComputes(String engineName) {
    assertTrue(Utils.isOfflineMode(), "the build must run DJL offline (DJL_OFFLINE / ai.djl.offline)");
    Engine engine = TestEngines.require(engineName);
    assertEquals(engineName, engine.getEngineName());
    try (NDManager manager = engine.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f, 2f, 3f});
      NDArray b = manager.create(new float[] {0.5f, -1f, 4f});
      assertArrayEquals(new float[] {1.5f, 1f, 7f}, a.add(b).toFloatArray());
      assertEquals(21f, a.dot(b.mul(2f)).getFloat(), 0f);
    }
  }
}
