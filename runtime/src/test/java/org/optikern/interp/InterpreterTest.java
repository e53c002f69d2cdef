package org.optikern.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.SwitchSet;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.State;
import org.optikern.spec.Update;
import org.optikern.tensor.Half;

class InterpreterTest {
  @OptimizerSpec(name = "primitives")
  @Hyperparameter(name = "scale", defaultValue = 3)
  @State(name = "acc")
  @Update(formulas = {"acc = grad * scale", "weight = sign(weight) + clip(acc, clip_gradient) * 0"})
  interface PrimitivesSpec {}

  @OptimizerSpec(name = "sign_only")
  @Update(formulas = "weight = sign(grad)")
  interface SignOnlySpec {}

  @OptimizerSpec(name = "clip_only")
  @Update(formulas = "weight = clip(grad, clip_gradient)")
  interface ClipOnlySpec {}

  @OptimizerSpec(name = "read_back")
  @State(name = "acc")
  @Update(formulas = {"acc = grad / 7", "weight = acc * 7 - grad"})
  interface ReadBackSpec {}

  @OptimizerSpec(name = "chain")
  @Update(formulas = "weight = weight * lr * lr")
  interface ChainSpec {}

  private static final double[] COMMON_SCALARS = {0.1, 0, 1, 0.5, 1};

  private static SwitchSet clipped(OptimizerModel model, boolean on) {
    return SwitchSet.of(List.of(OptimizerModel.CLIPPED), on);
  }

  @Test
  void signIsMxnets() {
    OptimizerModel model = SpecReader.model(SignOnlySpec.class);
    float[] grad = {Float.NaN, -0f, 0f, 2f, -3f, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    float[] weight = new float[grad.length];
    new Interpreter(model).update(clipped(model, false), weight, grad, new Object[0], 0, grad.length, COMMON_SCALARS);
    assertArrayEquals(new float[] {0f, 0f, 0f, 1f, -1f, -1f, 1f}, weight);
    assertEquals(0, Float.floatToRawIntBits(weight[1]), "sign(-0) is +0");
  }

  @Test
  void clipIsMxnetsAndVanishesWhenUnclipped() {
    OptimizerModel model = SpecReader.model(ClipOnlySpec.class);
    float[] grad = {Float.NaN, -2f, 0.25f, 7f, Float.POSITIVE_INFINITY};
    float[] weight = new float[grad.length];
    Interpreter interpreter = new Interpreter(model);
    interpreter.update(clipped(model, true), weight, grad, new Object[0], 0, grad.length, COMMON_SCALARS);
    assertArrayEquals(new float[] {Float.NaN, -0.5f, 0.25f, 0.5f, 0.5f}, weight);
    interpreter.update(clipped(model, false), weight, grad, new Object[0], 0, grad.length, COMMON_SCALARS);
    assertArrayEquals(grad, weight);
  }

  @Test
  void laterStatementsReadTheStoredValue() {
    OptimizerModel model = SpecReader.model(ReadBackSpec.class);
    Interpreter interpreter = new Interpreter(model);
    int discriminating = 0;
    for (int bits = 0x3c00; bits < 0x3d00; bits++) {
      float g = Half.toFloat((short) bits);
      short[] weight = new short[1];
      interpreter.update(clipped(model, false), weight, new short[] {(short) bits}, new Object[] {new short[1]}, 0, 1,
          COMMON_SCALARS);
      short readBack = Half.fromFloat(Half.toFloat(Half.fromFloat(g / 7f)) * 7f - g);
      short unrounded = Half.fromFloat((g / 7f) * 7f - g);
      assertEquals(readBack, weight[0], "weight is computed from acc as stored in half, for grad " + g);
      if (readBack != unrounded) {
        discriminating++;
      }
    }
    assertTrue(discriminating > 0, "some inputs tell the two semantics apart");
  }

  @Test
  void mxnetHalfArithmeticRoundsAfterEveryOperation() {
    OptimizerModel model = SpecReader.model(ChainSpec.class);
    Interpreter interpreter = new Interpreter(model);
    short[] grad = {0};
    double lr = 0.1;
    short[] once = {Half.fromFloat(1f)};
    interpreter.update(clipped(model, false), once, grad, new Object[0], 0, 1, new double[] {lr, 0, 1, -1, 1});
    short[] everyOp = {Half.fromFloat(1f)};
    interpreter.updateWithMxnetHalfArithmetic(clipped(model, false), everyOp, grad, new short[0][], 0, 1,
        new double[] {lr, 0, 1, -1, 1});
    float h = Half.toFloat(Half.fromFloat(0.1f));
    assertEquals(Half.fromFloat(1f * 0.1f * 0.1f), once[0]);
    assertEquals(Half.fromFloat(Half.toFloat(Half.fromFloat(1f * h)) * h), everyOp[0]);
  }

  @Test
  void doubleStorageComputesInDouble() {
    OptimizerModel model = SpecReader.model(ChainSpec.class);
    double[] weight = {1.0};
    new Interpreter(model).update(clipped(model, false), weight, new double[1], new Object[0], 0, 1,
        new double[] {0.1, 0, 1, -1, 1});
    assertEquals(1.0 * 0.1 * 0.1, weight[0]);
  }

  @Test
  void onlyTheRangeIsUpdated() {
    OptimizerModel model = SpecReader.model(SignOnlySpec.class);
    float[] grad = {1, 1, 1, 1};
    float[] weight = {5, 5, 5, 5};
    new Interpreter(model).update(clipped(model, false), weight, grad, new Object[0], 1, 2, COMMON_SCALARS);
    assertArrayEquals(new float[] {5, 1, 1, 5}, weight);
  }

  @Test
  void badArgumentsAreRejectedBeforeAnythingIsWritten() {
    OptimizerModel model = SpecReader.model(PrimitivesSpec.class);
    Interpreter interpreter = new Interpreter(model);
    float[] weight = {1, 2};
    SwitchSet unclipped = clipped(model, false);
    assertThrows(IllegalArgumentException.class,
        () -> interpreter.update(unclipped, weight, new float[2], new Object[0], 0, 2, new double[5]));
    assertThrows(IllegalArgumentException.class,
        () -> interpreter.update(unclipped, weight, new double[2], new Object[] {new float[2]}, 0, 2, new double[5]));
    assertThrows(IndexOutOfBoundsException.class,
        () -> interpreter.update(unclipped, weight, new float[2], new Object[] {new float[1]}, 0, 2, new double[5]));
    assertThrows(IllegalArgumentException.class,
        () -> interpreter.update(unclipped, weight, new float[2], new Object[] {new float[2]}, 0, 2, new double[4]));
    assertArrayEquals(new float[] {1, 2}, weight);
  }
}
