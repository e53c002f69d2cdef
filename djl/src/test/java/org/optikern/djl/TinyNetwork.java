package org.optikern.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small DJL model for the tests: Linear(6), ReLU, Linear(3) on 8 examples of 5 features, L2 loss,
 * with weights, inputs and targets drawn from a fixed seed, so two runs start from the same bits.
 */
final class TinyNetwork implements AutoCloseable {
  static final int BATCH = 8;
  static final int FEATURES = 5;

  private final Model model;
  private final Trainer trainer;
  private final NDArray inputs;
  private final NDArray targets;

  TinyNetwork(Engine engine, DataType dataType, ai.djl.training.optimizer.Optimizer optimizer, long seed) {
    model = Model.newInstance("tiny", engine.defaultDevice(), engine.getEngineName());
    model.setDataType(dataType);
    SequentialBlock block = new SequentialBlock()
        .add(Linear.builder().setUnits(6).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(3).build());
    model.setBlock(block);
    SplittableRandom random = new SplittableRandom(seed);
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
        .optOptimizer(optimizer)
        .optInitializer(seededUniform(random), p -> true);
    trainer = model.newTrainer(config);
    trainer.initialize(new Shape(BATCH, FEATURES));
    NDManager manager = trainer.getManager();
    inputs = manager.create(uniform(random, BATCH * FEATURES, 2.0), new Shape(BATCH, FEATURES)).toType(dataType, false);
    targets = manager.create(uniform(random, BATCH * 3, 1.0), new Shape(BATCH, 3)).toType(dataType, false);
  }

  private static Initializer seededUniform(SplittableRandom random) {
    return (manager, shape, dataType) ->
        manager.create(uniform(random, Math.toIntExact(shape.size()), 0.8), shape).toType(dataType, false);
  }

  private static float[] uniform(SplittableRandom random, int n, double scale) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (scale * (2 * random.nextDouble() - 1));
    }
    return values;
  }

  Trainer trainer() {
    return trainer;
  }

  /** Forward and backward on the fixed batch; returns the loss. Leaves the gradients on the parameters. */
  float forwardBackward() {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList predictions = trainer.forward(new NDList(inputs));
      NDArray loss = trainer.getLoss().evaluate(new NDList(targets), predictions);
      collector.backward(loss);
      return loss.toType(DataType.FLOAT32, false).getFloat();
    }
  }

  /** Each trainable parameter's DJL id and array, in the block's order. */
  Map<String, NDArray> parameters() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient()) {
        arrays.put(parameter.getId(), parameter.getArray());
      }
    }
    return arrays;
  }

  /** Each parameter's shape, as Optikern's int dimensions (the adapter views them in it). */
  Map<String, int[]> shapes() {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    parameters().forEach((id, array) -> shapes.put(id, EngineMemory.shapeOf(array, id)));
    return shapes;
  }

  /** A copy of each parameter's bytes. */
  Map<String, byte[]> weightBytes() {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    parameters().forEach((id, array) -> bytes.put(id, bytesOf(array)));
    return bytes;
  }

  /** A copy of each parameter's gradient bytes, as the last backward left them. */
  Map<String, byte[]> gradientBytes() {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    parameters().forEach((id, array) -> {
      try (NDArray gradient = array.getGradient()) {
        bytes.put(id, bytesOf(gradient));
      }
    });
    return bytes;
  }

  static byte[] bytesOf(NDArray array) {
    ByteBuffer buffer = array.toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
