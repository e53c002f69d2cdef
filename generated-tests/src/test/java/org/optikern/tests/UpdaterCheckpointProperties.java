package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optikern.optim.InvalidCheckpointException;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.optimizers.Signum;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.tests.specs.MomentumSgd;

/** Updater checkpoints: a bit-exact round trip, and damaged or foreign files rejected with nothing changed. */
class UpdaterCheckpointProperties {
  /** An updater's configuration and the updates it has seen; {@link #train} replays them. */
  record Training(DType dtype, boolean momentum, boolean multiPrecision, int begin, int[] sizes, int steps, long seed) {
    Map<String, Object> params() {
      Map<String, Object> p = new HashMap<>();
      p.put("momentum", momentum ? 0.9 : 0.0);
      p.put("multi_precision", multiPrecision);
      p.put("begin_num_update", begin);
      p.put("clip_gradient", 0.5);
      p.put("wd", 1e-3);
      return p;
    }

    Updater newUpdater() {
      return new Updater(new Signum(params()));
    }

    List<Tensor> weights() {
      Random random = new Random(seed);
      List<Tensor> weights = new ArrayList<>();
      for (int size : sizes) {
        weights.add(randomTensor(random, size));
      }
      return weights;
    }

    Tensor randomTensor(Random random, int size) {
      double[] values = new double[size];
      for (int i = 0; i < size; i++) {
        values[i] = value(random);
      }
      return Tensor.of(values, size).astype(dtype);
    }

    /** Trains a new updater; index i is updated on steps where (step + i) is not a multiple of 3. */
    Updater train(List<Tensor> weights) {
      Updater updater = newUpdater();
      continueTraining(updater, weights, 0, steps);
      return updater;
    }

    /** Quietly: float16 states without multi_precision log MXNet's accuracy warning each time. */
    void continueTraining(Updater updater, List<Tensor> weights, int fromStep, int toStep) {
      try (LogCapture quiet = new LogCapture()) {
        replay(updater, weights, fromStep, toStep);
      }
    }

    private void replay(Updater updater, List<Tensor> weights, int fromStep, int toStep) {
      Random random = new Random(seed * 31 + fromStep);
      for (int step = fromStep; step < toStep; step++) {
        for (int i = 0; i < weights.size(); i++) {
          Tensor grad = randomTensor(random, weights.get(i).size());
          if ((step + i) % 3 != 0) {
            updater.update(i, weights.get(i), grad);
          }
        }
      }
    }
  }

  /** Mostly ordinary values, with signed zeros, infinities, NaNs, subnormals and huge values among them. */
  static double value(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> random.nextBoolean() ? 0.0 : -0.0;
      case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 2 -> Double.NaN;
      case 3 -> random.nextGaussian() * 1e-40;
      case 4 -> random.nextGaussian() * 1e30;
      default -> random.nextGaussian();
    };
  }

  @Provide
  Arbitrary<Training> trainings() {
    return Combinators.combine(
        Arbitraries.of(DType.class),
        Arbitraries.of(true, false),
        Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 13).array(int[].class).ofMinSize(1).ofMaxSize(4),
        Arbitraries.integers().between(1, 5),
        Arbitraries.longs())
        .as(Training::new);
  }

  static byte[] save(Updater updater) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      updater.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void load(Updater updater, byte[] bytes) throws IOException {
    updater.load(new ByteArrayInputStream(bytes));
  }

  /** Every state array's bits and every count, as comparable text. */
  static String snapshot(Updater updater, int indices) {
    StringBuilder text = new StringBuilder("num_update=" + updater.optimizer().numUpdate());
    for (int i = 0; i < indices; i++) {
      text.append("\n").append(i).append(": count=").append(updater.optimizer().updateCount(i));
      updater.state(i).ifPresent(state -> {
        for (int s = 0; s < state.names().size(); s++) {
          text.append(" ").append(state.names().get(s)).append("=").append(bits(state.arrays().get(s)));
        }
        state.master().ifPresent(master -> text.append(" master=").append(bits(master)));
      });
    }
    return text.toString();
  }

  /** Raw bits, NaN payloads included: a round trip must keep them. */
  static String bits(Tensor tensor) {
    String elements = switch (tensor.dtype()) {
      case FLOAT32 -> {
        int[] raw = new int[tensor.size()];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = Float.floatToRawIntBits(tensor.floatData()[i]);
        }
        yield Arrays.toString(raw);
      }
      case FLOAT64 -> {
        long[] raw = new long[tensor.size()];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = Double.doubleToRawLongBits(tensor.doubleData()[i]);
        }
        yield Arrays.toString(raw);
      }
      case FLOAT16 -> Arrays.toString(tensor.halfData());
    };
    return tensor.dtype() + Arrays.toString(tensor.shape()) + elements;
  }

  @Property(tries = 300)
  void aSavedUpdaterLoadsBackBitForBitAndTrainsOnIdentically(@ForAll("trainings") Training training) throws IOException {
    List<Tensor> weights = training.weights();
    Updater original = training.train(weights);
    byte[] checkpoint = save(original);

    Updater restored = training.newUpdater();
    load(restored, checkpoint);
    assertEquals(snapshot(original, weights.size()), snapshot(restored, weights.size()));
    assertArrayEquals(checkpoint, save(restored), "saving a loaded updater gives the same bytes");

    List<Tensor> copies = new ArrayList<>();
    for (Tensor weight : weights) {
      copies.add(weight.copy());
    }
    training.continueTraining(original, weights, training.steps(), training.steps() + 2);
    training.continueTraining(restored, copies, training.steps(), training.steps() + 2);
    assertEquals(snapshot(original, weights.size()), snapshot(restored, weights.size()));
    for (int i = 0; i < weights.size(); i++) {
      assertEquals(bits(weights.get(i)), bits(copies.get(i)), "weight " + i + " after two more steps");
    }
  }

  enum Damage { TRUNCATE, FLIP_BYTE, APPEND }

  @Property(tries = 300)
  void aDamagedCheckpointIsRejectedAndChangesNothing(@ForAll("trainings") Training training, @ForAll Damage damage,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where, @ForAll @IntRange(min = 1, max = 255) int flip)
      throws IOException {
    List<Tensor> weights = training.weights();
    byte[] checkpoint = save(training.train(weights));
    byte[] damaged = switch (damage) {
      case TRUNCATE -> Arrays.copyOf(checkpoint, where % checkpoint.length);
      case FLIP_BYTE -> {
        byte[] copy = checkpoint.clone();
        copy[where % copy.length] ^= (byte) flip;
        yield copy;
      }
      case APPEND -> {
        byte[] longer = Arrays.copyOf(checkpoint, checkpoint.length + 1 + where % 16);
        longer[checkpoint.length] = (byte) flip;
        yield longer;
      }
    };

    // the target has states of its own, from other training, which a failed load must keep
    Training other = new Training(training.dtype(), training.momentum(), training.multiPrecision(), 0,
        new int[] {3, 5}, 2, training.seed() + 1);
    Updater target = other.train(other.weights());
    String before = snapshot(target, 4);
    InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class, () -> load(target, damaged));
    assertTrue(e.getMessage().startsWith("not an Optikern") || e.getMessage().startsWith("checkpoint"), e.getMessage());
    assertEquals(before, snapshot(target, 4));
  }

  // ---- specific rejections, each with its message ----

  private static Updater trainedSignum(Map<String, Object> params, DType dtype) {
    Updater updater = new Updater(new Signum(params));
    Tensor weight = Tensor.of(new double[] {0.5, -1, 2}, 3).astype(dtype);
    try (LogCapture quiet = new LogCapture()) {
      updater.update(0, weight, Tensor.of(new double[] {1, -1, 0.25}, 3).astype(dtype));
      updater.update(2, weight.copy(), Tensor.of(new double[] {1, 1, 1}, 3).astype(dtype));
    }
    return updater;
  }

  private static String rejection(Updater target, byte[] checkpoint) {
    String before = snapshot(target, 3);
    String message = assertThrows(InvalidCheckpointException.class, () -> load(target, checkpoint)).getMessage();
    assertEquals(before, snapshot(target, 3), "a rejected checkpoint changes nothing");
    return message;
  }

  @Test
  void aCheckpointOfAnotherOptimizerIsRejected() {
    byte[] signum = save(trainedSignum(Map.of("momentum", 0.9), DType.FLOAT32));
    assertEquals("checkpoint is from optimizer 'signum', this updater's optimizer is 'momentum_sgd'",
        rejection(new Updater(new MomentumSgd()), signum));
  }

  @Test
  void aCheckpointOfOtherSwitchesIsRejected() {
    byte[] withMomentum = save(trainedSignum(Map.of("momentum", 0.9), DType.FLOAT32));
    assertEquals("state of index 0 has arrays [mom], but signum with these hyperparameters keeps []",
        rejection(trainedSignum(Map.of("momentum", 0.0), DType.FLOAT32), withMomentum));
    byte[] withoutMomentum = save(trainedSignum(Map.of("momentum", 0.0), DType.FLOAT32));
    assertEquals("state of index 0 has arrays [], but signum with these hyperparameters keeps [mom]",
        rejection(trainedSignum(Map.of("momentum", 0.9), DType.FLOAT32), withoutMomentum));
  }

  @Test
  void multiPrecisionStatesOnlyLoadIntoAMultiPrecisionOptimizer() {
    byte[] multi = save(trainedSignum(Map.of("multi_precision", true), DType.FLOAT16));
    assertEquals("state of index 0 holds a float32 master copy, but this optimizer is not multi_precision",
        rejection(trainedSignum(Map.of(), DType.FLOAT16), multi));
    byte[] plain = save(trainedSignum(Map.of(), DType.FLOAT16));
    assertTrue(rejection(trainedSignum(Map.of("multi_precision", true), DType.FLOAT16), plain)
        .startsWith("state of index 0 is float16 without a master copy, but this optimizer is multi_precision"));
  }

  @Test
  void foreignBytesAndOtherVersionsAreNamed() {
    Updater target = trainedSignum(Map.of("momentum", 0.9), DType.FLOAT32);
    assertEquals("not an Optikern updater checkpoint: it does not start with OPTIKERN", rejection(target, new byte[0]));
    assertEquals("not an Optikern updater checkpoint: it does not start with OPTIKERN",
        rejection(target, "PK\u0003\u0004 a zip file".getBytes()));
    byte[] checkpoint = save(trainedSignum(Map.of("momentum", 0.9), DType.FLOAT32));
    byte[] future = checkpoint.clone();
    ByteBuffer.wrap(future).putInt(8, 4);
    assertEquals("checkpoint format version 4 is not supported: this Optikern reads versions 1 to 3",
        rejection(target, future));
    ByteBuffer.wrap(future).putInt(8, 0);
    assertEquals("checkpoint format version 0 is not supported: this Optikern reads versions 1 to 3",
        rejection(target, future));
    assertTrue(rejection(target, Arrays.copyOf(checkpoint, 10)).startsWith("checkpoint is truncated: 10 bytes"));
    assertTrue(rejection(target, Arrays.copyOf(checkpoint, checkpoint.length - 1))
        .startsWith("checkpoint is truncated or corrupted: its CRC-32 checksum does not match"));
  }

  @Test
  void savesToAFileAndLoadsFromIt(@TempDir Path directory) throws IOException {
    Updater original = trainedSignum(Map.of("momentum", 0.9), DType.FLOAT64);
    Path file = directory.resolve("updater.optikern");
    original.save(file);
    original.save(file);
    Updater restored = new Updater(new Signum(Map.of("momentum", 0.9)));
    restored.load(file);
    assertEquals(snapshot(original, 3), snapshot(restored, 3));
    try (var listing = Files.list(directory)) {
      assertEquals(List.of(file), listing.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void aRejectedFirstUpdateCreatesNoState() {
    Updater updater = new Updater(new Signum(Map.of("momentum", 0.9)));
    Tensor weight = Tensor.of(new float[] {1, 2}, 2);
    assertThrows(IllegalArgumentException.class, () -> updater.update(0, weight, Tensor.of(new float[3], 3)));
    assertTrue(updater.state(0).isEmpty());
    assertEquals(0, updater.optimizer().updateCount(0));
    updater.update(0, weight, Tensor.of(new float[] {1, -1}, 2));
    OptimizerState state = updater.state(0).orElseThrow();
    assertEquals(List.of("mom"), state.names());
    assertEquals(1, updater.optimizer().updateCount(0));
  }
}
