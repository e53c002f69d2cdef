package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.Updater;
import org.optikern.tensor.Tensor;

/** SGLD's noise: reproducible from the seed, different per parameter and update, the same in chunks. */
class SgldNoiseTest {
  private static final int SIZE = 3000;

  private static float[] afterTwoUpdates(Optimizer sgld, int index) {
    Tensor weight = Tensor.of(new float[SIZE]);
    for (int step = 0; step < 2; step++) {
      sgld.update(index, weight, Tensor.of(new float[SIZE]), null);
    }
    return weight.floatData();
  }

  @Test
  void theSameSeedGivesTheSameNoiseAndAnotherSeedOther() {
    float[] first = afterTwoUpdates(Optimizer.create("sgld", Map.of("seed", 5)), 0);
    assertArrayEquals(first, afterTwoUpdates(Optimizer.create("sgld", Map.of("seed", 5)), 0));
    assertArrayEquals(first, afterTwoUpdates(InterpretedOptimizer.create("sgld", Map.of("seed", 5)), 0));
    assertFalse(Arrays.equals(first, afterTwoUpdates(Optimizer.create("sgld", Map.of("seed", 6)), 0)));
    assertFalse(Arrays.equals(first, afterTwoUpdates(Optimizer.create("sgld", Map.of("seed", 5)), 1)),
        "each parameter index draws its own noise");
  }

  @Test
  void noiseHasTheStandardDeviationOfTheStep() {
    double lr = 0.04;
    Optimizer sgld = Optimizer.create("sgld", Map.of("learning_rate", lr));
    Tensor weight = Tensor.of(new float[SIZE]);
    sgld.update(0, weight, Tensor.of(new float[SIZE]), null);
    double sum2 = 0;
    for (float w : weight.floatData()) {
      sum2 += w * w;
    }
    assertEquals(Math.sqrt(lr), Math.sqrt(sum2 / SIZE), 0.01, "std of the noise");
  }

  @Test
  void parallelChunksDrawTheNoiseOfOneCall() {
    Optimizer whole = Optimizer.create("sgld", Map.of("seed", 9));
    Optimizer chunked = Optimizer.create("sgld", Map.of("seed", 9));
    chunked.setParallelThreshold(1);
    assertArrayEquals(afterTwoUpdates(whole, 2), afterTwoUpdates(chunked, 2));
  }

  /**
   * The noise key is a function of the seed, the index and the update count; a checkpoint keeps the
   * counts, not the seed, so an updater loaded from it with the same seed draws the noise of the
   * uninterrupted run, and with another seed other noise.
   */
  @Test
  void aCheckpointAndTheSameSeedResumeTheSameNoise() throws IOException {
    Updater straight = new Updater(Optimizer.create("sgld", Map.of("seed", 5)));
    Updater interrupted = new Updater(Optimizer.create("sgld", Map.of("seed", 5)));
    Tensor w1 = Tensor.of(new float[SIZE]);
    Tensor w2 = Tensor.of(new float[SIZE]);
    for (int step = 0; step < 3; step++) {
      straight.update(0, w1, Tensor.of(new float[SIZE]));
      interrupted.update(0, w2, Tensor.of(new float[SIZE]));
    }
    ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
    interrupted.save(checkpoint);
    Updater resumed = new Updater(Optimizer.create("sgld", Map.of("seed", 5)));
    resumed.load(new ByteArrayInputStream(checkpoint.toByteArray()));
    Updater reseeded = new Updater(Optimizer.create("sgld", Map.of("seed", 6)));
    reseeded.load(new ByteArrayInputStream(checkpoint.toByteArray()));
    Tensor w3 = Tensor.of(w2.floatData().clone());
    for (int step = 0; step < 2; step++) {
      straight.update(0, w1, Tensor.of(new float[SIZE]));
      resumed.update(0, w2, Tensor.of(new float[SIZE]));
      reseeded.update(0, w3, Tensor.of(new float[SIZE]));
    }
    assertArrayEquals(w1.floatData(), w2.floatData());
    assertFalse(Arrays.equals(w1.floatData(), w3.floatData()));
  }

  @Test
  void theSeedIsAnInteger() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Optimizer.create("sgld", Map.of("seed", 1.5)));
    assertEquals("seed must be an integer, found 1.5 (Double)", e.getMessage());
  }
}
