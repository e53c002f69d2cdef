package org.optikern.benchmarks;

import java.util.Arrays;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.Noise;

/**
 * The noise alone, without JMH: {@link KernelMath#normals} in batches of {@link
 * KernelMath#NORMALS_AT_A_TIME} over 16M elements, as SGLD's float32 (or float64) kernel draws it,
 * timed per pass; prints the median and the fastest pass in ns per value. A quick check of a change
 * to the noise before the paired JMH runs.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     org.optikern.benchmarks.NoiseTiming [float|double] [passes]
 * </pre>
 */
public final class NoiseTiming {
  private static final int SIZE = 1 << 24;

  private NoiseTiming() {}

  public static void main(String[] args) {
    boolean floats = args.length == 0 || args[0].equals("float");
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    float[] f = new float[KernelMath.NORMALS_AT_A_TIME];
    double[] d = new double[KernelMath.NORMALS_AT_A_TIME];
    double[] nanos = new double[passes];
    double sink = 0;
    for (int warm = 0; warm < 10; warm++) {
      sink += pass(floats, Noise.key(0, 0, warm), f, d);
    }
    for (int p = 0; p < passes; p++) {
      long start = System.nanoTime();
      sink += pass(floats, Noise.key(1, 0, p), f, d);
      nanos[p] = (System.nanoTime() - start) / (double) SIZE;
    }
    Arrays.sort(nanos);
    System.out.printf("%s %s: median %.3f, fastest %.3f ns/value (%s), values' hash %016x%n",
        System.getProperty("java.version"), floats ? "float" : "double", nanos[passes / 2], nanos[0],
        sink == 42 ? "" : "ok", hash(floats, f, d));
  }

  /**
   * A hash of every value of one pass, drawn after the timed passes (by compiled code): the same with
   * SIMD on and off, on every JDK, if the lanes give the scalar code's bits.
   */
  private static long hash(boolean floats, float[] f, double[] d) {
    long hash = 0;
    long key = Noise.key(2, 0, 0);
    for (int batch = 0; batch < SIZE; batch += KernelMath.NORMALS_AT_A_TIME) {
      if (floats) {
        KernelMath.normals(key, batch, f, f.length);
      } else {
        KernelMath.normals(key, batch, d, d.length);
      }
      for (int j = 0; j < KernelMath.NORMALS_AT_A_TIME; j++) {
        hash = hash * 31 + (floats ? Float.floatToRawIntBits(f[j]) : Double.doubleToRawLongBits(d[j]));
      }
    }
    return hash;
  }

  private static double pass(boolean floats, long key, float[] f, double[] d) {
    double kept = 0;
    for (int batch = 0; batch < SIZE; batch += KernelMath.NORMALS_AT_A_TIME) {
      if (floats) {
        KernelMath.normals(key, batch, f, f.length);
        kept += f[batch & 511];
      } else {
        KernelMath.normals(key, batch, d, d.length);
        kept += d[batch & 511];
      }
    }
    return kept;
  }
}
