package org.optikern.tests;

import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/** Arrays of any dtype to and from raw bits, and bit-for-bit comparison that treats every NaN as equal. */
final class Bits {
  private Bits() {}

  static Object array(DType dtype, long[] bits) {
    switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[bits.length];
        for (int i = 0; i < a.length; i++) {
          a[i] = Float.intBitsToFloat((int) bits[i]);
        }
        return a;
      }
      case FLOAT64 -> {
        double[] a = new double[bits.length];
        for (int i = 0; i < a.length; i++) {
          a[i] = Double.longBitsToDouble(bits[i]);
        }
        return a;
      }
      default -> {
        short[] a = new short[bits.length];
        for (int i = 0; i < a.length; i++) {
          a[i] = (short) bits[i];
        }
        return a;
      }
    }
  }

  /** Element i's bits, with every NaN mapped to one canonical value. */
  static long canonical(Object array, int i) {
    if (array instanceof float[] f) {
      return Float.floatToIntBits(f[i]) & 0xffffffffL;
    } else if (array instanceof double[] d) {
      return Double.doubleToLongBits(d[i]);
    }
    short h = ((short[]) array)[i];
    return Half.isNaN(h) ? 0x7e00 : h & 0xffff;
  }

  static long canonical(DType dtype, long bits) {
    return canonical(array(dtype, new long[] {bits}), 0);
  }

  /** Index of the first element whose canonical bits differ, or -1. */
  static int firstDifference(Object expected, Object actual) {
    int n = DType.length(expected);
    if (n != DType.length(actual)) {
      return 0;
    }
    for (int i = 0; i < n; i++) {
      if (canonical(expected, i) != canonical(actual, i)) {
        return i;
      }
    }
    return -1;
  }

  static int countDifferences(Object expected, Object actual) {
    int count = 0;
    for (int i = 0; i < DType.length(expected); i++) {
      if (canonical(expected, i) != canonical(actual, i)) {
        count++;
      }
    }
    return count;
  }

  static String describe(Object array, int i) {
    if (array instanceof float[] f) {
      return f[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f[i])) + ")";
    } else if (array instanceof double[] d) {
      return d[i] + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d[i])) + ")";
    }
    short h = ((short[]) array)[i];
    return Half.toFloat(h) + " (0x" + Integer.toHexString(h & 0xffff) + ")";
  }

  static Object copy(Object array) {
    if (array instanceof float[] f) {
      return f.clone();
    } else if (array instanceof double[] d) {
      return d.clone();
    }
    return ((short[]) array).clone();
  }
}
