package org.optikern.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor: a dtype, a shape and a backing store of exactly the shape's size, either a Java
 * array ({@code float[]}, {@code double[]}, {@code short[]} of float16 bits) or memory outside the
 * heap, a {@link ByteBuffer} in native byte order ({@link #wrap(ByteBuffer, DType, int...)}: what
 * DJL's {@code NDArray.toByteBuffer(true)} and ND4J's {@code DataBuffer} hand out). The store is
 * shared, not copied, so a training loop can hand its own parameters to an optimizer and see them
 * updated in place.
 */
public final class Tensor {
  /**
   * The most dimensions a tensor may have: MXNet's and DJL's limit (32), checked here, where every
   * tensor is made, so that nothing can be updated that a checkpoint could not hold.
   */
  public static final int MAX_RANK = 32;

  private final DType dtype;
  private final int[] shape;
  private final int size;
  private final Object data;

  private Tensor(DType dtype, int[] shape, Object data) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.size = sizeOf(this.shape);
    this.data = data;
    int length = data instanceof ByteBuffer buffer ? buffer.capacity() / dtype.bytes() : DType.length(data);
    if (length != size) {
      throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " needs " + size
          + " elements, but its array has " + length);
    }
  }

  public static Tensor of(float[] data, int... shape) {
    Objects.requireNonNull(data, "data");
    return new Tensor(DType.FLOAT32, shapeOrFlat(shape, data.length), data);
  }

  public static Tensor of(double[] data, int... shape) {
    Objects.requireNonNull(data, "data");
    return new Tensor(DType.FLOAT64, shapeOrFlat(shape, data.length), data);
  }

  /** A float16 tensor over IEEE binary16 bit patterns (see {@link Half}). */
  public static Tensor ofHalf(short[] data, int... shape) {
    Objects.requireNonNull(data, "data");
    return new Tensor(DType.FLOAT16, shapeOrFlat(shape, data.length), data);
  }

  /** Wraps a float[], double[] or short[] (half) array. */
  public static Tensor wrap(Object data, int... shape) {
    Objects.requireNonNull(data, "data");
    DType dtype = DType.ofArray(data);
    return new Tensor(dtype, shapeOrFlat(shape, DType.length(data)), data);
  }

  /**
   * Wraps memory outside the heap, without copying: the {@code buffer}'s bytes from its position to
   * its limit, which must be exactly the shape's size in {@code dtype} (flat when no shape is given).
   * The buffer must be direct, writable and in native byte order; the tensor keeps its own view, so
   * later changes to the buffer's position, limit or order do not move it.
   */
  public static Tensor wrap(ByteBuffer buffer, DType dtype, int... shape) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException("a heap ByteBuffer: wrap its array with Tensor.of or Tensor.wrap(Object) "
          + "instead (Tensor.wrap(ByteBuffer, ...) is for memory outside the heap)");
    }
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("a read-only buffer: an optimizer updates its tensors in place");
    }
    if (buffer.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("a buffer in " + buffer.order() + " byte order; tensors are in the native "
          + ByteOrder.nativeOrder() + " (set it with buffer.order(ByteOrder.nativeOrder()), if the bytes are)");
    }
    int bytes = buffer.remaining();
    if (bytes % dtype.bytes() != 0) {
      throw new IllegalArgumentException("a buffer of " + bytes + " bytes is not a whole number of "
          + dtype.mxnetName() + " elements of " + dtype.bytes() + " bytes");
    }
    int[] dims = shapeOrFlat(shape, bytes / dtype.bytes());
    long needed = (long) sizeOf(dims) * dtype.bytes();
    if (needed != bytes) {
      throw new IllegalArgumentException("a " + dtype.mxnetName() + " tensor of shape " + Arrays.toString(dims)
          + " needs " + needed + " bytes, but the buffer has " + bytes + " (from position " + buffer.position()
          + " to limit " + buffer.limit() + ")");
    }
    return new Tensor(dtype, dims, buffer.slice().order(ByteOrder.nativeOrder()));
  }

  /** Zeros in a new direct buffer outside the heap, in native byte order. */
  public static Tensor zerosOffHeap(DType dtype, int... shape) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    long bytes = (long) sizeOf(shape) * dtype.bytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + bytes + " bytes of "
          + dtype.mxnetName() + ", over the " + Integer.MAX_VALUE + " one ByteBuffer holds");
    }
    return new Tensor(dtype, shape, ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()));
  }

  public static Tensor zeros(DType dtype, int... shape) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    int n = sizeOf(shape);
    return new Tensor(dtype, shape, newArray(dtype, n));
  }

  /** Zeros of {@code like}'s dtype and shape, in the same kind of storage (heap or off-heap). */
  public static Tensor zerosLike(Tensor like) {
    Objects.requireNonNull(like, "like");
    return like.isOffHeap() ? zerosOffHeap(like.dtype, like.shape) : zeros(like.dtype, like.shape);
  }

  /**
   * Every element {@code value} rounded to nearest in {@code like}'s dtype (float16 directly from
   * the double), of {@code like}'s shape, in the same kind of storage (heap or off-heap).
   */
  public static Tensor fullLike(Tensor like, double value) {
    Tensor result = zerosLike(like);
    for (int i = 0; i < result.size; i++) {
      result.set(i, value);
    }
    return result;
  }

  /** Whether the elements live outside the heap, in a {@link ByteBuffer} ({@link #data()}). */
  public boolean isOffHeap() {
    return data instanceof ByteBuffer;
  }

  public DType dtype() {
    return dtype;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int size() {
    return size;
  }

  /**
   * The backing store, not a copy: {@code float[]}, {@code double[]} or {@code short[]}, or for an
   * off-heap tensor a native-order {@link ByteBuffer} whose byte 0 is element 0.
   */
  public Object data() {
    return data;
  }

  public float[] floatData() {
    return (float[]) requireDtype(DType.FLOAT32).data;
  }

  public double[] doubleData() {
    return (double[]) requireDtype(DType.FLOAT64).data;
  }

  public short[] halfData() {
    return (short[]) requireDtype(DType.FLOAT16).data;
  }

  /** Element {@code i} as a double (exact for every dtype). */
  public double get(int i) {
    if (data instanceof ByteBuffer buffer) {
      Objects.checkIndex(i, size);
      return switch (dtype) {
        case FLOAT32 -> buffer.getFloat(i << 2);
        case FLOAT64 -> buffer.getDouble(i << 3);
        case FLOAT16 -> Half.toFloat(buffer.getShort(i << 1));
      };
    }
    return switch (dtype) {
      case FLOAT32 -> ((float[]) data)[i];
      case FLOAT64 -> ((double[]) data)[i];
      case FLOAT16 -> Half.toFloat(((short[]) data)[i]);
    };
  }

  public boolean sameShape(Tensor other) {
    Objects.requireNonNull(other, "other");
    return Arrays.equals(shape, other.shape);
  }

  /** A copy in the same kind of storage. */
  public Tensor copy() {
    if (isOffHeap()) {
      Tensor copy = zerosOffHeap(dtype, shape);
      ((ByteBuffer) copy.data).put(0, (ByteBuffer) data, 0, size * dtype.bytes());
      return copy;
    }
    Object copy = switch (dtype) {
      case FLOAT32 -> ((float[]) data).clone();
      case FLOAT64 -> ((double[]) data).clone();
      case FLOAT16 -> ((short[]) data).clone();
    };
    return new Tensor(dtype, shape, copy);
  }

  /** A copy on the heap, in a Java array, bit for bit (NaN payloads too): for code that reads arrays. */
  public Tensor onHeap() {
    if (!isOffHeap()) {
      return copy();
    }
    return new Tensor(dtype, shape, BufferRanges.toArray((ByteBuffer) data, dtype, 0, size));
  }

  /** A copy in a new direct buffer outside the heap, bit for bit. */
  public Tensor offHeap() {
    if (isOffHeap()) {
      return copy();
    }
    Tensor copy = zerosOffHeap(dtype, shape);
    BufferRanges.intoBuffer(data, (ByteBuffer) copy.data, dtype, 0, size);
    return copy;
  }

  /** A new heap tensor of another dtype, each element rounded to nearest (MXNet's {@code astype}). */
  public Tensor astype(DType target) {
    Objects.requireNonNull(target, "target");
    Tensor result = zeros(target, shape);
    castInto(result);
    return result;
  }

  /** Writes this tensor's elements, rounded to {@code target}'s dtype, into {@code target}. */
  public void castInto(Tensor target) {
    Objects.requireNonNull(target, "target");
    if (!sameShape(target)) {
      throw new IllegalArgumentException("cannot cast a tensor of shape " + Arrays.toString(shape)
          + " into one of shape " + Arrays.toString(target.shape));
    }
    castInto(target, 0, size);
  }

  /**
   * Writes elements {@code [from, from + length)}, rounded to {@code target}'s dtype, into the same
   * elements of {@code target}, which must have at least as many (a multi-tensor update casts its
   * share of a tensor this way).
   */
  public void castInto(Tensor target, int from, int length) {
    Objects.requireNonNull(target, "target");
    Objects.checkFromIndexSize(from, length, Math.min(size, target.size));
    for (int i = from, end = from + length; i < end; i++) {
      target.set(i, get(i));
    }
  }

  /** Stores {@code value} at {@code i}, rounded to nearest in this dtype. */
  private void set(int i, double value) {
    if (data instanceof ByteBuffer buffer) {
      switch (dtype) {
        case FLOAT32 -> buffer.putFloat(i << 2, (float) value);
        case FLOAT64 -> buffer.putDouble(i << 3, value);
        case FLOAT16 -> buffer.putShort(i << 1, Half.fromDouble(value));
      }
      return;
    }
    switch (dtype) {
      case FLOAT32 -> ((float[]) data)[i] = (float) value;
      case FLOAT64 -> ((double[]) data)[i] = value;
      case FLOAT16 -> ((short[]) data)[i] = Half.fromDouble(value);
    }
  }

  @Override
  public String toString() {
    return "Tensor(" + dtype.mxnetName() + ", shape " + Arrays.toString(shape) + (isOffHeap() ? ", off-heap" : "") + ")";
  }

  private Tensor requireDtype(DType expected) {
    if (isOffHeap()) {
      throw new IllegalStateException("tensor is off-heap: data() is its ByteBuffer (onHeap() copies it into an array)");
    }
    if (dtype != expected) {
      throw new IllegalStateException("tensor is " + dtype.mxnetName() + ", not " + expected.mxnetName());
    }
    return this;
  }

  private static int[] shapeOrFlat(int[] shape, int length) {
    Objects.requireNonNull(shape, "shape");
    return shape.length == 0 ? new int[] {length} : shape;
  }

  private static int sizeOf(int[] shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("a tensor needs at least one dimension");
    }
    if (shape.length > MAX_RANK) {
      throw new IllegalArgumentException("a tensor has at most " + MAX_RANK + " dimensions, found " + shape.length);
    }
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size *= d;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one Java array");
      }
    }
    return (int) size;
  }

  static Object newArray(DType dtype, int n) {
    return switch (dtype) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case FLOAT16 -> new short[n];
    };
  }
}
