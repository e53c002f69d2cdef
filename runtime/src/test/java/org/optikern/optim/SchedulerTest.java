package org.optikern.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Values worked out by hand from mxnet/lr_scheduler.py (1.9.1). */
class SchedulerTest {
  @Test
  void factorDecaysAfterEachFullStepAndStopsAtTheFloor() {
    FactorScheduler s = new FactorScheduler(2, 0.5, 0.1, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
    assertEquals(1.0, s.learningRate(1));
    assertEquals(1.0, s.learningRate(2));
    assertEquals(0.5, s.learningRate(3), "first decay at num_update = step + 1");
    assertEquals(0.5, s.learningRate(4));
    assertEquals(0.25, s.learningRate(5));
    assertEquals(0.125, s.learningRate(7));
    assertEquals(0.1, s.learningRate(9), "clamped at stop_factor_lr");
    assertEquals(0.1, s.learningRate(100));
    assertEquals(0.1, s.learningRate(1), "stateful: a smaller count does not undo the decay");
  }

  @Test
  void factorCatchesUpWhenResumingAtALargeCount() {
    FactorScheduler s = new FactorScheduler(10, 0.5);
    assertEquals(0.00125, s.learningRate(31), "three halvings of 0.01, each exact");
  }

  @Test
  void multiFactorDecaysPastEachStep() {
    MultiFactorScheduler s = new MultiFactorScheduler(new int[] {2, 5}, 0.1, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
    assertEquals(1.0, s.learningRate(2));
    // exact values, worked out in Python: 1.0*0.1 is 0.1; 1.0*0.1*0.1 is 0.010000000000000002 in double
    assertEquals(0.1, s.learningRate(3));
    assertEquals(0.1, s.learningRate(5));
    assertEquals(0.010000000000000002, s.learningRate(6));
    assertEquals(0.010000000000000002, s.learningRate(1000));
  }

  @Test
  void polyAndCosineFollowMxnetsFormulas() {
    PolyScheduler poly = new PolyScheduler(10, 1.0, 2, 0.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
    assertEquals(1.0, poly.learningRate(0));
    assertEquals(0.25, poly.learningRate(5));
    assertEquals(0.0, poly.learningRate(10));
    assertEquals(0.0, poly.learningRate(11), "keeps the last value after max_update");
    CosineScheduler cosine = new CosineScheduler(10, 1.0, 0.2, 0, 0, LrScheduler.WarmupMode.LINEAR);
    assertEquals(1.0, cosine.learningRate(0));
    // Python: 0.2 + (1.0 - 0.2)*(1 + math.cos(math.pi*5/10))/2
    assertEquals(0.6000000000000001, cosine.learningRate(5));
    assertEquals(0.2, cosine.learningRate(10));
  }

  @Test
  void warmup() {
    CosineScheduler linear = new CosineScheduler(20, 1.0, 0, 4, 0.2, LrScheduler.WarmupMode.LINEAR);
    assertEquals(0.2, linear.learningRate(0));
    // Python: 0.2 + (1.0 - 0.2)*2/4
    assertEquals(0.6000000000000001, linear.learningRate(2));
    assertEquals(1.0, linear.learningRate(4), "after warmup the schedule starts from base_lr");
    PolyScheduler constant = new PolyScheduler(20, 1.0, 1, 0, 4, 0.3, LrScheduler.WarmupMode.CONSTANT);
    assertEquals(0.3, constant.learningRate(3));
  }

  @Test
  void invalidSchedulesAreRejectedWithMxnetsMessages() {
    assertEquals("Schedule step must be greater or equal than 1 round",
        assertThrows(IllegalArgumentException.class, () -> new FactorScheduler(0, 0.5)).getMessage());
    assertEquals("Factor must be no more than 1 to make lr reduce",
        assertThrows(IllegalArgumentException.class, () -> new FactorScheduler(1, 1.5)).getMessage());
    assertEquals("Schedule step must be an increasing integer list",
        assertThrows(IllegalArgumentException.class, () -> new MultiFactorScheduler(new int[] {3, 3}, 0.5)).getMessage());
    assertEquals("maximum number of updates must be strictly positive",
        assertThrows(IllegalArgumentException.class, () -> new PolyScheduler(0)).getMessage());
    assertEquals("Base lr has to be higher than warmup_begin_lr", assertThrows(IllegalArgumentException.class,
        () -> new CosineScheduler(10, 0.1, 0, 2, 0.5, LrScheduler.WarmupMode.LINEAR)).getMessage());
    assertEquals("Warmup steps has to be positive or 0", assertThrows(IllegalArgumentException.class,
        () -> new CosineScheduler(10, 0.1, 0, -1, 0, LrScheduler.WarmupMode.LINEAR)).getMessage());
    assertEquals("max_update (5) must be greater than warmup_steps (5): the decay runs from the end of the warmup "
        + "to max_update", assertThrows(IllegalArgumentException.class,
            () -> new PolyScheduler(5, 0.1, 2, 0, 5, 0, LrScheduler.WarmupMode.LINEAR)).getMessage());
    // MXNet accepts a warmup longer than max_update and then never decays: rejected here
    assertEquals("max_update (3) must be greater than warmup_steps (5): the decay runs from the end of the warmup "
        + "to max_update", assertThrows(IllegalArgumentException.class,
            () -> new CosineScheduler(3, 0.1, 0, 5, 0, LrScheduler.WarmupMode.LINEAR)).getMessage());
  }

  @Test
  void notANumberAndImpossibleSettingsAreRejectedAtConstruction() {
    LrScheduler.WarmupMode linear = LrScheduler.WarmupMode.LINEAR;
    assertEquals("factor must be a number in [0, 1], found NaN",
        assertThrows(IllegalArgumentException.class, () -> new FactorScheduler(1, Double.NaN)).getMessage());
    assertEquals("factor must be a number in [0, 1], found -0.5",
        assertThrows(IllegalArgumentException.class, () -> new FactorScheduler(1, -0.5)).getMessage());
    assertEquals("stop_factor_lr must be a finite number >= 0, found NaN", assertThrows(IllegalArgumentException.class,
        () -> new FactorScheduler(1, 0.5, Double.NaN, 0.1, 0, 0, linear)).getMessage());
    assertEquals("stop_factor_lr must be a finite number >= 0, found Infinity", assertThrows(
        IllegalArgumentException.class,
        () -> new FactorScheduler(1, 0.5, Double.POSITIVE_INFINITY, 0.1, 0, 0, linear)).getMessage());
    assertEquals("factor must be a number in [0, 1], found NaN", assertThrows(IllegalArgumentException.class,
        () -> new MultiFactorScheduler(new int[] {2}, Double.NaN)).getMessage());
    assertEquals("pwr must be a finite number >= 0, found NaN", assertThrows(IllegalArgumentException.class,
        () -> new PolyScheduler(10, 0.1, Double.NaN, 0, 0, 0, linear)).getMessage());
    assertEquals("pwr must be a finite number >= 0, found -1.0", assertThrows(IllegalArgumentException.class,
        () -> new PolyScheduler(10, 0.1, -1, 0, 0, 0, linear)).getMessage());
    assertEquals("final_lr must be a finite number, found Infinity", assertThrows(IllegalArgumentException.class,
        () -> new PolyScheduler(10, 0.1, 2, Double.POSITIVE_INFINITY, 0, 0, linear)).getMessage());
    assertEquals("final_lr must be a finite number, found NaN", assertThrows(IllegalArgumentException.class,
        () -> new CosineScheduler(10, 0.1, Double.NaN, 0, 0, linear)).getMessage());
    assertEquals("base_lr must be a finite number, found NaN", assertThrows(IllegalArgumentException.class,
        () -> new CosineScheduler(10, Double.NaN, 0, 0, 0, linear)).getMessage());
    assertEquals("num_update must be >= 0, found -1",
        assertThrows(IllegalArgumentException.class, () -> new FactorScheduler(1, 0.5).learningRate(-1)).getMessage());
  }

  @Test
  void factorTerminatesAtTheLargestCounts() {
    // count + step overflowed an int here, and the loop never ended
    FactorScheduler s = new FactorScheduler(2, 0.9);
    assertEquals(1e-8, s.learningRate(Integer.MAX_VALUE - 1));
    assertEquals(1e-8, s.learningRate(Integer.MAX_VALUE));
    FactorScheduler stepOne = new FactorScheduler(1, 0.5, 0, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
    assertEquals(0.0, stepOne.learningRate(Integer.MAX_VALUE), "decays to 0, then skips the rest");
    FactorScheduler unchanging = new FactorScheduler(Integer.MAX_VALUE, 1.0);
    assertEquals(0.01, unchanging.learningRate(Integer.MAX_VALUE));
  }

  @Test
  void factorSkippingTheFloorGivesWhatEveryStepGives() {
    // stepping one count at a time and jumping straight to a count must agree, before and after the floor
    for (int target : new int[] {1, 2, 3, 9, 10, 11, 40, 41, 1000, 12345}) {
      FactorScheduler stepped = new FactorScheduler(3, 0.5, 0.01, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
      for (int n = 1; n < target; n++) {
        stepped.learningRate(n);
      }
      FactorScheduler jumped = new FactorScheduler(3, 0.5, 0.01, 1.0, 0, 0, LrScheduler.WarmupMode.LINEAR);
      assertEquals(stepped.learningRate(target), jumped.learningRate(target), "at " + target);
      assertEquals(stepped.learningRate(target + 3), jumped.learningRate(target + 3), "3 after " + target);
    }
  }
}
