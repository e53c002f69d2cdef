package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the per-device call path (one update per device copy, states keyed by device) is not tested
 * here: DJL 0.36.0 has a single CPU device ({@code Device.of("cpu", n)} is {@code Device.cpu()} for
 * every n) and its {@code ParameterStore} refuses the same device twice, so a Trainer over two CPU
 * "devices" cannot be made, and this machine has no GPU. Should a DJL upgrade allow it, this fails
 * and the path can be tested for real.
 */
class PerDeviceUpdatesTest {

  @ParameterizedTest
  @ValueSource(strings = {"PyTorch", "MXNet"})
  void djlHasOneCpuDeviceAndRefusesItTwice(String engineName) {
    Engine engine = TestEngines.require(engineName);
    assertEquals(Device.cpu(), Device.of("cpu", 1));
    try (Model model = Model.newInstance("two-cpus", Device.cpu(), engine.getEngineName())) {
      model.setBlock(Linear.builder().setUnits(2).build());
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(OptikernOptimizer.builder("adam").build())
          .optDevices(new Device[] {Device.of("cpu", 0), Device.of("cpu", 1)});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.newTrainer(config));
      assertTrue(e.getMessage().contains("Duplicated devices"), e.getMessage());
    }
  }
}
