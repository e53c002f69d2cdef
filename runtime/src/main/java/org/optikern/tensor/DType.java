package org.optikern.tensor;

import java.util.Locale;

/** The storage types MXNet's optimizer kernels support (its MSHADOW_REAL_TYPE_SWITCH): no bf16. */
public enum DType {
  /** IEEE binary32 in {@code float[]}; arithmetic in float. */
  FLOAT32("F32", float[].class),
  /** IEEE binary64 in {@code double[]}; arithmetic in double. */
  FLOAT64("F64", double[].class),
  /** IEEE binary16 bit patterns in {@code short[]}; arithmetic in float, one rounding per store. */
  FLOAT16("F16", short[].class);

  private final String shortName;
  private final Class<?> arrayType;

  DType(String shortName, Class<?> arrayType) {
    this.shortName = shortName;
    this.arrayType = arrayType;
  }

  /** {@code F32}, {@code F64}, {@code F16}: the suffix of generated kernel class names. */
  public String shortName() {
    return shortName;
  }

  /** {@code float[].class}, {@code double[].class} or {@code short[].class}. */
  public Class<?> arrayType() {
    return arrayType;
  }

  /** The bytes of one element: 4, 8 or 2. */
  public int bytes() {
    return switch (this) {
      case FLOAT32 -> Float.BYTES;
      case FLOAT64 -> Double.BYTES;
      case FLOAT16 -> Short.BYTES;
    };
  }

  /** MXNet's name: {@code float32}, {@code float64}, {@code float16}. */
  public String mxnetName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DType fromMxnetName(String name) {
    for (DType d : values()) {
      if (d.mxnetName().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + name + "' (known: float32, float64, float16)");
  }

  /** The dtype whose backing array type is {@code array}'s class. */
  public static DType ofArray(Object array) {
    for (DType d : values()) {
      if (d.arrayType.isInstance(array)) {
        return d;
      }
    }
    throw new IllegalArgumentException("not a float[], double[] or short[] array: "
        + (array == null ? "null" : array.getClass().getSimpleName()));
  }

  public static int length(Object array) {
    if (array instanceof float[] f) {
      return f.length;
    } else if (array instanceof double[] d) {
      return d.length;
    } else if (array instanceof short[] s) {
      return s.length;
    }
    return ofArray(array).ordinal(); // throws with the message above
  }
}
