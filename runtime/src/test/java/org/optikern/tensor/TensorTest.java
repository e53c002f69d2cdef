package org.optikern.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void wrapsTheCallersArrayWithoutCopying() {
    float[] data = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(data, 2, 3);
    assertSame(data, t.data());
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertEquals(6, t.size());
    assertEquals(DType.FLOAT32, t.dtype());
    assertArrayEquals(new int[] {6}, Tensor.of(new double[6]).shape(), "no shape: flat");
    assertEquals(DType.FLOAT16, Tensor.wrap(new short[2]).dtype());
  }

  @Test
  void shapeMustMatchTheArray() {
    assertEquals("a tensor of shape [2, 2] needs 4 elements, but its array has 3",
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, 2, -1));
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, 1 << 16, 1 << 16));
    assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new int[3]));
    assertThrows(IllegalStateException.class, () -> Tensor.of(new float[1]).doubleData());
  }

  @Test
  void astypeRoundsToNearest() {
    Tensor f32 = Tensor.of(new float[] {1f / 3f, 70000f, -0f}, 3);
    Tensor half = f32.astype(DType.FLOAT16);
    assertEquals(Half.fromFloat(1f / 3f), half.halfData()[0]);
    assertEquals(Half.POSITIVE_INFINITY, half.halfData()[1]);
    assertEquals((short) 0x8000, half.halfData()[2]);
    assertEquals((double) (1f / 3f), f32.astype(DType.FLOAT64).doubleData()[0]);
    assertEquals(0.1f, Tensor.of(new double[] {0.1}).astype(DType.FLOAT32).floatData()[0]);
  }

  @Test
  void castIntoNeedsTheSameShape() {
    assertThrows(IllegalArgumentException.class,
        () -> Tensor.of(new float[4], 2, 2).castInto(Tensor.zeros(DType.FLOAT64, 4)));
  }

  @Test
  void copiesAreDeep() {
    Tensor t = Tensor.ofHalf(new short[] {1, 2});
    Tensor copy = t.copy();
    copy.halfData()[0] = 9;
    assertEquals(1, t.halfData()[0]);
    assertEquals(DType.FLOAT16, copy.dtype());
  }

  @Test
  void dtypeNamesAreMxnets() {
    assertEquals(DType.FLOAT64, DType.fromMxnetName("float64"));
    assertEquals("float16", DType.FLOAT16.mxnetName());
    assertThrows(IllegalArgumentException.class, () -> DType.fromMxnetName("bfloat16"));
  }

  @Test
  void aTensorHasAtMostThirtyTwoDimensions() {
    int[] rank32 = new int[32];
    java.util.Arrays.fill(rank32, 1);
    assertEquals(32, Tensor.zeros(DType.FLOAT32, rank32).shape().length);
    int[] rank33 = new int[33];
    java.util.Arrays.fill(rank33, 1);
    assertEquals("a tensor has at most 32 dimensions, found 33",
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, rank33)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[1], rank33));
  }

  @Test
  void nullArgumentsAreNamed() {
    assertEquals("data", assertThrows(NullPointerException.class, () -> Tensor.of((float[]) null)).getMessage());
    assertEquals("data", assertThrows(NullPointerException.class, () -> Tensor.of((double[]) null)).getMessage());
    assertEquals("data", assertThrows(NullPointerException.class, () -> Tensor.ofHalf(null)).getMessage());
    assertEquals("data", assertThrows(NullPointerException.class, () -> Tensor.wrap(null)).getMessage());
    assertEquals("shape", assertThrows(NullPointerException.class, () -> Tensor.of(new float[1], (int[]) null))
        .getMessage());
    assertEquals("dtype", assertThrows(NullPointerException.class, () -> Tensor.zeros(null, 1)).getMessage());
    Tensor t = Tensor.of(new float[1]);
    assertEquals("target", assertThrows(NullPointerException.class, () -> t.castInto(null)).getMessage());
    assertEquals("target", assertThrows(NullPointerException.class, () -> t.astype(null)).getMessage());
    assertEquals("other", assertThrows(NullPointerException.class, () -> t.sameShape(null)).getMessage());
  }
}
