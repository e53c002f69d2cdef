package org.optikern.kernel;

import java.util.Objects;

/**
 * The random source of {@code normal()}: counter-based, so a value depends only on its key and its
 * element's index. The same seed, parameter index and update count give the same noise in the
 * generated kernels and the interpreter, in one call or in parallel chunks, on every JVM (only
 * integer arithmetic, IEEE products and, on rare paths, StrictMath).
 *
 * <p>Keys: {@link #key} mixes the optimizer's {@code seed}, the parameter's index and its update
 * count with SplitMix64's finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), keeping 53 bits so that a key travels exactly in a double scalar.
 *
 * <p>Values: {@link Philox4x32} under the key (its low 32 bits and the 21 above them) gives random
 * words, and {@link NormalZiggurat} turns a word into a standard normal value. Element {@code e}'s
 * word is word {@code e mod 4} of the block at counter {@code (e/4, 0, 0)} (the first 64 bits hold
 * {@code e/4}, low half first), so one block serves four neighbouring elements ({@link #normals}).
 * The 1.5% of elements whose word the ziggurat does not take at once draw more from their own
 * stream, the blocks at counters {@code (e, round, 1)} for {@code round = 0, 1, ...}, which no
 * element's first word uses. Nothing depends on the range an element is computed in.
 *
 * <p>Resuming: the key of an update is a function of the seed, the index and the count, and
 * checkpoints save the counts, so an optimizer restored from a checkpoint and given the same seed
 * draws the noise the uninterrupted run would have drawn.
 */
public final class Noise {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** The last counter word of the blocks that give elements their first words... */
  static final int FIRST_WORDS = 0;
  /** ...and of the blocks of an element's own stream, for what the ziggurat draws again. */
  static final int RETRIES = 1;

  private Noise() {}

  /** SplitMix64's finalizer: a bijection of 64-bit values that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The key of one update of one parameter: a whole number below 2^53, exact as a double. */
  public static long key(long seed, int index, int t) {
    long z = mix(seed + GOLDEN_GAMMA);
    z = mix(z ^ (index + 1) * GOLDEN_GAMMA);
    z = mix(z ^ (t + 1L) * GOLDEN_GAMMA);
    return z >>> 11;
  }

  /** A standard normal value for element {@code element} under {@code key}. */
  public static double normal(long key, long element) {
    int[] block = new int[4];
    firstWords(key, element >>> 2, block);
    return normal(block[(int) element & 3], key, element);
  }

  /**
   * {@code out[k] = normal(key, first + k)} for {@code k < count}: the same values, a block of the
   * generator per four elements rather than per element. With SIMD on ({@link VectorSupport}), the
   * blocks and the ziggurat's fast path run in vector lanes ({@code VectorNormals}), the same bits.
   */
  public static void normals(long key, long first, double[] out, int count) {
    Objects.checkFromIndexSize(0, count, out.length);
    if (VECTORS) {
      VectorNormals.normals(key, first, out, count);
    } else {
      normals(key, first, out, 0, count);
    }
  }

  /**
   * {@code out[k] = (float) normal(key, first + k)} for {@code k < count}: {@link #normals} into a
   * thread's buffer of doubles, then each value rounded to float (in vector lanes with SIMD on).
   */
  public static void normals(long key, long first, float[] out, int count) {
    Objects.checkFromIndexSize(0, count, out.length);
    double[] values = DOUBLES.get();
    for (int k = 0; k < count; k += values.length) {
      int n = Math.min(values.length, count - k);
      normals(key, first + k, values, n);
      if (VECTORS) {
        VectorNormals.narrow(values, out, k, n);
      } else {
        narrow(values, out, k, 0, n);
      }
    }
  }

  /** {@code out[at + j] = (float) values[j]} for {@code from <= j < to}. */
  static void narrow(double[] values, float[] out, int at, int from, int to) {
    for (int j = from; j < to; j++) {
      out[at + j] = (float) values[j];
    }
  }

  /** A thread's doubles for {@link #normals(long, long, float[], int)}: new memory per batch would not be in the cache. */
  private static final ThreadLocal<double[]> DOUBLES =
      ThreadLocal.withInitial(() -> new double[KernelMath.NORMALS_AT_A_TIME]);

  /** Whether {@link #normals} runs in vector lanes in this JVM. */
  static boolean vectorized() {
    return VECTORS;
  }

  private static final boolean VECTORS = vectorsLink();

  private static boolean vectorsLink() {
    if (!VectorSupport.enabled()) {
      return false;
    }
    try {
      return VectorNormals.link();
    } catch (LinkageError e) {
      VectorSupport.disable(e);
      return false;
    }
  }

  /**
   * {@code out[k] = normal(key, first + k - from)} for {@code from <= k < to}, in scalar code: what
   * {@link #normals} computes without SIMD, and the reference of the vector lanes.
   */
  static void normals(long key, long first, double[] out, int from, int to) {
    int[] block = new int[4];
    int k = from;
    long element = first;
    for (; k < to && (element & 3) != 0; k++, element++) {
      out[k] = normal(key, element);
    }
    for (; to - k >= 4; k += 4, element += 4) {
      firstWords(key, element >>> 2, block);
      out[k] = normal(block[0], key, element);
      out[k + 1] = normal(block[1], key, element + 1);
      out[k + 2] = normal(block[2], key, element + 2);
      out[k + 3] = normal(block[3], key, element + 3);
    }
    for (; k < to; k++, element++) {
      out[k] = normal(key, element);
    }
  }

  /** The first words of elements {@code 4*group .. 4*group + 3}. */
  private static void firstWords(long key, long group, int[] block) {
    Philox4x32.block((int) group, (int) (group >>> 32), 0, FIRST_WORDS, (int) key, (int) (key >>> 32), block, 0);
  }

  private static double normal(int word, long key, long element) {
    return NormalZiggurat.inside(word) ? NormalZiggurat.value(word) : drawnAgain(word, key, element);
  }

  /** The ziggurat's rare paths, from the element's own stream: two 53-bit uniforms per block. */
  static double drawnAgain(int word, long key, long element) {
    return drawnAgain(word, key, element, 0);
  }

  /** The same from the stream's block {@code round} on. */
  private static double drawnAgain(int word, long key, long element, int round) {
    int[] more = new int[4];
    for (; ; round++) {
      Philox4x32.block((int) element, (int) (element >>> 32), round, RETRIES, (int) key, (int) (key >>> 32), more,
          0);
      if (NormalZiggurat.inTail(word)) {
        double distance = NormalZiggurat.tailDistance(uniform(more[0], more[1]));
        if (NormalZiggurat.tailKeeps(distance, uniform(more[2], more[3]))) {
          double value = NormalZiggurat.R + distance;
          return NormalZiggurat.position(word) > 0 ? value : -value;
        }
        continue;
      }
      if (NormalZiggurat.underCurve(word, uniform(more[0], more[1]))) {
        return NormalZiggurat.value(word);
      }
      word = more[2];
      if (NormalZiggurat.inside(word)) {
        return NormalZiggurat.value(word);
      }
    }
  }

  /**
   * {@link #drawnAgain} for a word outside its inner rectangle and not in the tail, given the first
   * three words of its stream's first block (round 0), computed elsewhere: the same value.
   */
  static double wedgeDrawnAgain(int word, long key, long element, int more0, int more1, int more2) {
    if (NormalZiggurat.underCurve(word, uniform(more0, more1))) {
      return NormalZiggurat.value(word);
    }
    return NormalZiggurat.inside(more2) ? NormalZiggurat.value(more2) : drawnAgain(more2, key, element, 1);
  }

  /** A uniform in (0, 1] from 53 bits of two words, never 0 (the tail takes its logarithm). */
  static double uniform(int high, int low) {
    return ((((high & 0xFFFFFFFFL) << 21) | (low >>> 11)) + 1) * 0x1p-53;
  }
}
