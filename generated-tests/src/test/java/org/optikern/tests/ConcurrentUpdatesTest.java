package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;
import org.optikern.optim.Updater;
import org.optikern.tensor.Tensor;

/**
 * Updates of distinct indices from many threads at once give what running them one by one gives,
 * update counts included; a checkpoint taken while they run holds whole updates only.
 */
class ConcurrentUpdatesTest {
  private static final int INDICES = 48;
  private static final int STEPS = 6;
  private static final int THREADS = 8;

  private static Optimizer newOptimizer() {
    Map<Integer, Double> multipliers = new HashMap<>();
    for (int i = 0; i < INDICES; i += 5) {
      multipliers.put(i, 0.5 + i / 100.0);
    }
    Optimizer signum = Optimizer.create("signum", Map.of("momentum", 0.9, "clip_gradient", 0.7, "wd", 1e-3,
        "learning_rate", 0.05, "begin_num_update", 2));
    signum.setLrMult(multipliers);
    signum.setParallelThreshold(300);
    return signum;
  }

  /** Index i's weight: sizes from 1 to about 700 elements, some above the parallel threshold. */
  private static List<Tensor> weights() {
    List<Tensor> weights = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < INDICES; i++) {
      float[] values = new float[1 + (i * 37) % 700];
      for (int k = 0; k < values.length; k++) {
        values[k] = (float) random.nextGaussian();
      }
      weights.add(Tensor.of(values));
    }
    return weights;
  }

  private static Tensor grad(int index, int step, int size) {
    Random random = new Random(index * 1000L + step);
    float[] values = new float[size];
    for (int k = 0; k < size; k++) {
      values[k] = (float) random.nextGaussian();
    }
    return Tensor.of(values);
  }

  private static String bits(Tensor tensor) {
    return UpdaterCheckpointProperties.bits(tensor);
  }

  @Test
  void distinctIndicesFromManyThreadsGiveTheSerialResult() throws Exception {
    // serial reference, remembering every index's momentum after each of its updates
    List<Tensor> serialWeights = weights();
    Updater serial = new Updater(newOptimizer());
    Map<Integer, List<String>> momentumAfter = new HashMap<>();
    for (int step = 0; step < STEPS; step++) {
      for (int i = 0; i < INDICES; i++) {
        serial.update(i, serialWeights.get(i), grad(i, step, serialWeights.get(i).size()));
        momentumAfter.computeIfAbsent(i, k -> new ArrayList<>()).add(bits(serial.state(i).orElseThrow().get("mom")));
      }
    }

    List<Tensor> weights = weights();
    Updater concurrent = new Updater(newOptimizer());
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean updating = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          start.await();
          for (int step = 0; step < STEPS; step++) {
            for (int i = thread; i < INDICES; i += THREADS) {
              concurrent.update(i, weights.get(i), grad(i, step, weights.get(i).size()));
            }
          }
          return null;
        }));
      }
      Future<List<byte[]>> checkpoints = pool.submit(() -> {
        List<byte[]> taken = new ArrayList<>();
        start.await();
        while (updating.get() || taken.isEmpty()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          concurrent.save(out);
          taken.add(out.toByteArray());
        }
        return taken;
      });
      start.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      updating.set(false);

      for (int i = 0; i < INDICES; i++) {
        assertEquals(bits(serialWeights.get(i)), bits(weights.get(i)), "weight " + i);
        assertEquals(bits(serial.state(i).orElseThrow().get("mom")), bits(concurrent.state(i).orElseThrow().get("mom")),
            "momentum " + i);
        assertEquals(serial.optimizer().updateCount(i), concurrent.optimizer().updateCount(i), "count " + i);
      }
      assertEquals(2 + STEPS, concurrent.optimizer().numUpdate());

      for (byte[] checkpoint : checkpoints.get(60, TimeUnit.SECONDS)) {
        assertHoldsWholeUpdates(checkpoint, momentumAfter);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every index in the checkpoint has the momentum the serial run had after that many updates. */
  private static void assertHoldsWholeUpdates(byte[] checkpoint, Map<Integer, List<String>> momentumAfter)
      throws IOException {
    Updater loaded = new Updater(newOptimizer());
    loaded.load(new ByteArrayInputStream(checkpoint));
    for (int i = 0; i < INDICES; i++) {
      int updates = loaded.optimizer().updateCount(i) - 2;
      if (updates <= 0) {
        assertTrue(loaded.state(i).isEmpty(), "index " + i + " has a state but no update");
        continue;
      }
      assertEquals(momentumAfter.get(i).get(updates - 1), bits(loaded.state(i).orElseThrow().get("mom")),
          "index " + i + " after " + updates + " updates");
    }
  }
}
