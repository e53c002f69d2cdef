package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Bit for bit: a DJL Trainer stepping with every built-in Optikern optimizer leaves exactly the
 * weights that Optikern's heap kernels compute from copies of the same initial weights and of the
 * gradients DJL computed, on PyTorch (in place), on MXNet through its KVStore parameter server, and on
 * MXNet through DJL's local parameter server (both copying).
 */
class TrainerStepsMatchHeapKernelsTest {
  private static final int STEPS = 3;

  /** One optimizer per built-in spec: the registry's names include aliases (ccsgd is sgd). */
  static List<String> builtInOptimizers() {
    Map<String, String> byOptimizer = new TreeMap<>();
    for (String name : Optimizer.registeredNames()) {
      byOptimizer.putIfAbsent(Optimizer.create(name).name(), name);
    }
    return List.copyOf(byOptimizer.values());
  }

  static Stream<Arguments> cases() {
    return Stream.of(EnginePath.values())
        .flatMap(path -> builtInOptimizers().stream().map(name -> Arguments.of(path, name)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void float32StepsMatchTheHeapKernels(EnginePath path, String optimizerName) {
    assertTrue(builtInOptimizers().size() >= 22, "expected the 22 built-in optimizers: " + builtInOptimizers());
    Engine engine = TestEngines.require(path.engineName);
    path.run(() -> checkSteps(engine, path, optimizerName, DataType.FLOAT32));
  }

  /**
   * float16 weights, where the engine can train a float16 model on the CPU; where it cannot, the test
   * is skipped with the engine's own error as the reason.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void float16StepsMatchTheHeapKernels(EnginePath path, String optimizerName) {
    Engine engine = TestEngines.require(path.engineName);
    String unsupported = Float16Support.whyNot(engine);
    org.junit.jupiter.api.Assumptions.assumeTrue(unsupported == null,
        () -> "float16 on " + path.engineName + "'s CPU: " + unsupported);
    path.run(() -> checkSteps(engine, path, optimizerName, DataType.FLOAT16));
  }

  static void checkSteps(Engine engine, EnginePath path, String optimizerName, DataType dataType) {
    OptikernOptimizer adapter = OptikernOptimizer.builder(optimizerName)
        .setRescaleGrad(0.5f)
        .optWeightDecays(0.001f)
        .optClipGrad(1f)
        .build();
    Optimizer reference = Optimizer.create(optimizerName,
        Map.of("rescale_grad", 0.5, "wd", (double) 0.001f, "clip_gradient", 1.0));
    DType dtype = DTypes.of(dataType, "-", optimizerName);
    try (TinyNetwork network = new TinyNetwork(engine, dataType, adapter, 7)) {
      Map<String, Tensor> expected = new LinkedHashMap<>();
      // in the parameters' shapes, as the adapter views them: a matrix runs Adafactor's factored variant
      Map<String, int[]> shapes = network.shapes();
      network.weightBytes().forEach((id, bytes) -> expected.put(id, HeapTensors.of(bytes, dtype, shapes.get(id))));
      Map<String, OptimizerState> states = new HashMap<>();
      for (int step = 1; step <= STEPS; step++) {
        network.forwardBackward();
        Map<String, byte[]> gradients = network.gradientBytes();
        network.trainer().step();
        for (Map.Entry<String, Tensor> entry : expected.entrySet()) {
          String id = entry.getKey();
          int index = adapter.indexOf(id, engine.defaultDevice());
          Tensor weight = entry.getValue();
          OptimizerState state = states.computeIfAbsent(id, k -> reference.createStateMultiPrecision(index, weight));
          reference.updateMultiPrecision(index, weight, HeapTensors.of(gradients.get(id), dtype, weight.shape()),
              state);
        }
        Map<String, byte[]> actual = network.weightBytes();
        int stepsDone = step;
        for (Map.Entry<String, Tensor> entry : expected.entrySet()) {
          assertArrayEquals(HeapTensors.bytesOf(entry.getValue()), actual.get(entry.getKey()),
              () -> path + " " + optimizerName + " " + dataType + ": parameter " + entry.getKey()
                  + " differs after step " + stepsDone + " from the heap kernels");
        }
        if (path.zeroesGradients) {
          for (Map.Entry<String, NDArray> parameter : network.parameters().entrySet()) {
            try (NDArray gradient = parameter.getValue().getGradient()) {
              if (gradient.abs().sum().toType(DataType.FLOAT32, false).getFloat() != 0f) {
                fail(path + ": the gradient of " + parameter.getKey() + " was not zeroed after step " + step);
              }
            }
          }
        }
      }
    }
  }
}
