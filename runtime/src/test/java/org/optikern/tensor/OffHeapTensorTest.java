package org.optikern.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Tensors over memory outside the heap: wrapped without copying, and every bad buffer refused by name. */
class OffHeapTensorTest {
  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  @Test
  void wrapsTheBuffersMemoryWithoutCopying() {
    ByteBuffer buffer = direct(24);
    Tensor t = Tensor.wrap(buffer, DType.FLOAT32, 2, 3);
    assertTrue(t.isOffHeap());
    assertArrayEquals(new int[] {2, 3}, t.shape());
    buffer.putFloat(20, 7.5f);
    assertEquals(7.5, t.get(5), "the tensor reads the caller's memory");
    ((ByteBuffer) t.data()).putFloat(0, -1f);
    assertEquals(-1f, buffer.getFloat(0), "and writes it");
    assertArrayEquals(new int[] {3}, Tensor.wrap(direct(24), DType.FLOAT64).shape(), "no shape: flat");
  }

  @Test
  void theTensorsViewStartsAtThePositionAndKeepsNativeOrder() {
    ByteBuffer buffer = direct(16);
    buffer.putShort(4, Half.fromFloat(3f));
    buffer.position(4).limit(8);
    Tensor t = Tensor.wrap(buffer, DType.FLOAT16);
    assertEquals(2, t.size());
    buffer.position(0).limit(16).order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
        ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    assertEquals(3.0, t.get(0), "later changes to the caller's position and order do not move the tensor");
    assertEquals(ByteOrder.nativeOrder(), ((ByteBuffer) t.data()).order());
  }

  @Test
  void aBufferThatCannotBeATensorIsRefusedByName() {
    assertEquals("a heap ByteBuffer: wrap its array with Tensor.of or Tensor.wrap(Object) instead "
        + "(Tensor.wrap(ByteBuffer, ...) is for memory outside the heap)",
        assertThrows(IllegalArgumentException.class,
            () -> Tensor.wrap(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()), DType.FLOAT32)).getMessage());
    assertEquals("a read-only buffer: an optimizer updates its tensors in place",
        assertThrows(IllegalArgumentException.class,
            () -> Tensor.wrap(direct(8).asReadOnlyBuffer().order(ByteOrder.nativeOrder()), DType.FLOAT32)).getMessage());
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Tensor.wrap(ByteBuffer.allocateDirect(8).order(other), DType.FLOAT32)).getMessage()
        .startsWith("a buffer in " + other + " byte order; tensors are in the native " + ByteOrder.nativeOrder()));
    assertEquals("a float32 tensor of shape [3] needs 12 bytes, but the buffer has 8 (from position 0 to limit 8)",
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(direct(8), DType.FLOAT32, 3)).getMessage());
    assertEquals("a float32 tensor of shape [1] needs 4 bytes, but the buffer has 8 (from position 0 to limit 8)",
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(direct(8), DType.FLOAT32, 1)).getMessage());
    assertEquals("a buffer of 6 bytes is not a whole number of float32 elements of 4 bytes",
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(direct(6), DType.FLOAT32)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.zerosOffHeap(DType.FLOAT64, 1 << 15, 1 << 14));
    assertEquals("tensor is off-heap: data() is its ByteBuffer (onHeap() copies it into an array)",
        assertThrows(IllegalStateException.class, () -> Tensor.zerosOffHeap(DType.FLOAT32, 2).floatData()).getMessage());
  }

  @Test
  void copiesBetweenHeapAndOffHeapKeepEveryBit() {
    float signalingNan = Float.intBitsToFloat(0x7f800001);
    float[] values = {signalingNan, -0f, Float.MIN_VALUE, 1.5f};
    Tensor off = Tensor.of(values.clone()).offHeap();
    assertTrue(off.isOffHeap());
    assertEquals(0x7f800001, ((ByteBuffer) off.data()).getInt(0), "a signaling NaN's payload, as it was");
    float[] back = off.onHeap().floatData();
    for (int i = 0; i < values.length; i++) {
      assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]));
    }
    Tensor copy = off.copy();
    assertTrue(copy.isOffHeap());
    ((ByteBuffer) copy.data()).putFloat(12, 9f);
    assertEquals(1.5, off.get(3), "copy() does not share memory");
    assertTrue(Tensor.zerosLike(off).isOffHeap());
    assertFalse(Tensor.zerosLike(Tensor.of(values)).isOffHeap());
    assertFalse(off.astype(DType.FLOAT64).isOffHeap(), "astype makes a heap tensor");
    short[] halfs = {Half.fromFloat(2f), (short) 0x7c01, (short) 0x8000};
    Tensor halfOff = Tensor.ofHalf(halfs.clone()).offHeap();
    assertArrayEquals(halfs, halfOff.onHeap().halfData());
    double[] doubles = {Double.longBitsToDouble(0x7ff0000000000001L), -0.0};
    Tensor doubleOff = Tensor.of(doubles.clone()).offHeap();
    assertEquals(0x7ff0000000000001L, Double.doubleToRawLongBits(doubleOff.onHeap().doubleData()[0]));
  }

  @Test
  void castsWriteIntoOffHeapTensorsRoundedToTheirDtype() {
    Tensor half = Tensor.zerosOffHeap(DType.FLOAT16, 3);
    Tensor.of(new float[] {1f / 3, 65520f, -2f}).castInto(half);
    assertEquals(Half.toFloat(Half.fromFloat(1f / 3)), half.get(0));
    assertEquals(Double.POSITIVE_INFINITY, half.get(1), "rounded to nearest: over the largest half");
    Tensor part = Tensor.zerosOffHeap(DType.FLOAT32, 3);
    Tensor.of(new double[] {1, 2, 3}).castInto(part, 1, 2);
    assertEquals(0.0, part.get(0), "outside the range: untouched");
    assertEquals(3.0, part.get(2));
  }
}
