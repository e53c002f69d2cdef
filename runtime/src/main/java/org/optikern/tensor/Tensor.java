package org.optikern.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor: a dtype, a shape and a backing array of exactly the shape's size. The array is
 * shared, not copied, so a training loop can hand its own parameter arrays to an optimizer and
 * see them updated in place.
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
    int length = DType.length(data);
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

  public static Tensor zeros(DType dtype, int... shape) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    int n = sizeOf(shape);
    return new Tensor(dtype, shape, newArray(dtype, n));
  }

  public static Tensor zerosLike(Tensor like) {
    Objects.requireNonNull(like, "like");
    return zeros(like.dtype, like.shape);
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

  /** The backing array: {@code float[]}, {@code double[]} or {@code short[]}. Not a copy. */
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

  public Tensor copy() {
    Object copy = switch (dtype) {
      case FLOAT32 -> ((float[]) data).clone();
      case FLOAT64 -> ((double[]) data).clone();
      case FLOAT16 -> ((short[]) data).clone();
    };
    return new Tensor(dtype, shape, copy);
  }

  /** A new tensor of another dtype, each element rounded to nearest (MXNet's {@code astype}). */
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
    for (int i = 0; i < size; i++) {
      double value = get(i);
      switch (target.dtype) {
        case FLOAT32 -> ((float[]) target.data)[i] = (float) value;
        case FLOAT64 -> ((double[]) target.data)[i] = value;
        case FLOAT16 -> ((short[]) target.data)[i] = Half.fromDouble(value);
      }
    }
  }

  @Override
  public String toString() {
    return "Tensor(" + dtype.mxnetName() + ", shape " + Arrays.toString(shape) + ")";
  }

  private Tensor requireDtype(DType expected) {
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
