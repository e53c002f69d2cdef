package org.optikern.benchmarks;

import java.util.List;

/**
 * Loops that move one pass's memory traffic and do no arithmetic of note: each array the pass
 * reads is read once per element, each it writes is written once per element, in one fused loop
 * over {@code [from, to)}, as a kernel's pass streams them. {@link #keep} 1 and {@link #add} 0
 * leave every value as it was ({@code a = a*keep + r*add}); they are fields the JIT cannot take
 * for constants, so it cannot drop the loads or the stores.
 *
 * <p>The loops are fused on purpose. A generic loop that streamed one array at a time through an
 * L1 buffer (blocks of 256 to 16K elements) ran 2x to 4x slower than the fused loop for the same
 * four arrays on this machine (2.4 to 4.4 against 1.1 ns per element at 16M, JDK 17, scratch code
 * not kept): a single stream does not reach the memory bandwidth that several streams together
 * do. So there is one loop per shape (how many arrays are only read, read and written, only
 * written), and a shape without one is an error that says which loop to add.
 *
 * <p>A pass that only reads (LARS's and NovoGrad's norms) sums what it reads in independent sums,
 * so that no chain of dependent adds holds it back (one sum in element order would be a latency
 * of one add per element: arithmetic, not traffic): with {@link VectorReads} where the vector
 * module is, else with eight scalar sums, which are bound by their instructions (see there).
 */
final class SameTrafficLoops {
  /** 1: what the loops multiply every kept value by. Not final, so not a constant to the JIT. */
  static float keep = 1f;
  /** 0: what the loops multiply every read-only value by. Not final, so not a constant to the JIT. */
  static float add = 0f;
  /** Where read-only passes leave their sums, so that the JIT keeps the loads. */
  static volatile float sink;
  /**
   * Whether read-only passes use {@link VectorReads}: where the vector module is (checked here, as
   * that class cannot even load without it), unless {@code -Dbenchmarks.vectorReads=false}.
   */
  static final boolean VECTOR_READS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && Boolean.parseBoolean(System.getProperty("benchmarks.vectorReads", "true"));

  private SameTrafficLoops() {}

  /** One pass's loop over {@code [from, to)}. */
  @FunctionalInterface
  interface Loop {
    void run(int from, int to);
  }

  /**
   * The loop that reads {@code readOnly}, reads and writes {@code readWritten} and writes
   * {@code writeOnly}, each once per element.
   *
   * @throws IllegalArgumentException for a shape no loop here has
   */
  static Loop of(List<float[]> readOnly, List<float[]> readWritten, List<float[]> writeOnly) {
    String shape = shape(readOnly.size(), readWritten.size(), writeOnly.size());
    switch (shape) {
      case "1/0/0" -> {
        float[] r = readOnly.get(0);
        return VECTOR_READS ? (from, to) -> sink = VectorReads.read(r, from, to)
            : (from, to) -> sink = read(r, from, to);
      }
      case "2/0/0" -> {
        float[] r = readOnly.get(0);
        float[] q = readOnly.get(1);
        return VECTOR_READS ? (from, to) -> sink = VectorReads.read(r, q, from, to)
            : (from, to) -> sink = read(r, q, from, to);
      }
      case "2/1/0" -> {
        float[] r = readOnly.get(0);
        float[] q = readOnly.get(1);
        float[] a = readWritten.get(0);
        return (from, to) -> twoReadOneKept(r, q, a, from, to, keep, add);
      }
      case "1/1/0" -> {
        float[] r = readOnly.get(0);
        float[] a = readWritten.get(0);
        return (from, to) -> oneKept(r, a, from, to, keep, add);
      }
      case "1/2/0" -> {
        float[] r = readOnly.get(0);
        float[] a = readWritten.get(0);
        float[] b = readWritten.get(1);
        return (from, to) -> twoKept(r, a, b, from, to, keep, add);
      }
      case "1/3/0" -> {
        float[] r = readOnly.get(0);
        float[] a = readWritten.get(0);
        float[] b = readWritten.get(1);
        float[] c = readWritten.get(2);
        return (from, to) -> threeKept(r, a, b, c, from, to, keep, add);
      }
      case "1/4/0" -> {
        float[] r = readOnly.get(0);
        float[] a = readWritten.get(0);
        float[] b = readWritten.get(1);
        float[] c = readWritten.get(2);
        float[] d = readWritten.get(3);
        return (from, to) -> fourKept(r, a, b, c, d, from, to, keep, add);
      }
      case "1/5/0" -> {
        float[] r = readOnly.get(0);
        float[] a = readWritten.get(0);
        float[] b = readWritten.get(1);
        float[] c = readWritten.get(2);
        float[] d = readWritten.get(3);
        float[] e = readWritten.get(4);
        return (from, to) -> fiveKept(r, a, b, c, d, e, from, to, keep, add);
      }
      case "2/2/1" -> {
        float[] r = readOnly.get(0);
        float[] s = readOnly.get(1);
        float[] a = readWritten.get(0);
        float[] b = readWritten.get(1);
        float[] o = writeOnly.get(0);
        return (from, to) -> twoReadTwoKeptOneWritten(r, s, a, b, o, from, to, keep, add);
      }
      default -> throw new IllegalArgumentException("no same-traffic loop reads " + readOnly.size() + ", reads and writes "
          + readWritten.size() + " and writes " + writeOnly.size() + " arrays (shape " + shape
          + "): add one to SameTrafficLoops");
    }
  }

  /** {@code read only / read and written / written only}, the key of the loops above. */
  static String shape(int readOnly, int readWritten, int writeOnly) {
    return readOnly + "/" + readWritten + "/" + writeOnly;
  }

  static float read(float[] r, int from, int to) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      s0 += r[i];
      s1 += r[i + 1];
      s2 += r[i + 2];
      s3 += r[i + 3];
      s4 += r[i + 4];
      s5 += r[i + 5];
      s6 += r[i + 6];
      s7 += r[i + 7];
    }
    for (; i < to; i++) {
      s0 += r[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Two arrays read, as LARS's first pass reads the weight and the gradient for their norms. */
  static float read(float[] r, float[] q, int from, int to) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      s0 += r[i] + q[i];
      s1 += r[i + 1] + q[i + 1];
      s2 += r[i + 2] + q[i + 2];
      s3 += r[i + 3] + q[i + 3];
      s4 += r[i + 4] + q[i + 4];
      s5 += r[i + 5] + q[i + 5];
      s6 += r[i + 6] + q[i + 6];
      s7 += r[i + 7] + q[i + 7];
    }
    for (; i < to; i++) {
      s0 += r[i] + q[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** LBSGD's first pass: the weight and the gradient read, the accumulated gradient read and written. */
  static void twoReadOneKept(float[] r, float[] q, float[] a, int from, int to, float keep, float add) {
    for (int i = from; i < to; i++) {
      a[i] = a[i] * keep + (r[i] * add + q[i] * add);
    }
  }

  static void oneKept(float[] r, float[] a, int from, int to, float keep, float add) {
    for (int i = from; i < to; i++) {
      a[i] = a[i] * keep + r[i] * add;
    }
  }

  static void twoKept(float[] r, float[] a, float[] b, int from, int to, float keep, float add) {
    for (int i = from; i < to; i++) {
      float x = r[i] * add;
      a[i] = a[i] * keep + x;
      b[i] = b[i] * keep + x;
    }
  }

  static void threeKept(float[] r, float[] a, float[] b, float[] c, int from, int to, float keep, float add) {
    for (int i = from; i < to; i++) {
      float x = r[i] * add;
      a[i] = a[i] * keep + x;
      b[i] = b[i] * keep + x;
      c[i] = c[i] * keep + x;
    }
  }

  static void fourKept(float[] r, float[] a, float[] b, float[] c, float[] d, int from, int to, float keep,
      float add) {
    for (int i = from; i < to; i++) {
      float x = r[i] * add;
      a[i] = a[i] * keep + x;
      b[i] = b[i] * keep + x;
      c[i] = c[i] * keep + x;
      d[i] = d[i] * keep + x;
    }
  }

  static void fiveKept(float[] r, float[] a, float[] b, float[] c, float[] d, float[] e, int from, int to,
      float keep, float add) {
    for (int i = from; i < to; i++) {
      float x = r[i] * add;
      a[i] = a[i] * keep + x;
      b[i] = b[i] * keep + x;
      c[i] = c[i] * keep + x;
      d[i] = d[i] * keep + x;
      e[i] = e[i] * keep + x;
    }
  }

  /** LAMB's first pass: the weight and the gradient read, the moments read and written, the direction written. */
  static void twoReadTwoKeptOneWritten(float[] r, float[] s, float[] a, float[] b, float[] o, int from, int to,
      float keep, float add) {
    for (int i = from; i < to; i++) {
      float x = r[i] * add + s[i] * add;
      a[i] = a[i] * keep + x;
      b[i] = b[i] * keep + x;
      o[i] = x;
    }
  }
}
