package org.optikern.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Noise#normals} in vector lanes (jdk.incubator.vector): the same values, bit for bit. Only
 * {@link Noise} calls it, and only when {@link VectorSupport#enabled()} and this class linked; it is
 * the one class of the runtime module that names the Vector API, so the module loads and runs
 * without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>A step covers {@code 8L} elements, {@code L} the long lanes of a vector: {@link Philox4x32}'s
 * ten rounds run on two sets of {@code L} blocks side by side (one set alone waits on its 64-bit
 * products' latency), one block per lane and each of the four counter words in its own vector,
 * every 32-bit word in the low half of a 64-bit lane, masked to it where it is multiplied so that a
 * 32x32-bit product is one exact 64-bit lane product ({@link #blocks}, {@link #multiplier}). Words 0
 * and 1 of a block, and 2 and 3, are then paired in a long lane and the pairs interleaved into
 * element order ({@link #interleave}: one-vector rearranges and a blend, as JDK 17 does not compile
 * the two-vector rearrange to vector instructions), and {@link
 * NormalZiggurat}'s fast path runs on {@code L} words at a time ({@link #fastPath}): the layer and the
 * position in int lanes, the two table lookups as gathers, the position converted exactly to double
 * and multiplied by the layer's scale, the same one rounding as the scalar {@code position *
 * SCALE[layer]}. The elements whose word the fast path does not take (1.5%, found from the mask, not
 * lane by lane) then take the rare paths ({@link #drawAgain}): the first block of each one's own
 * stream in vector lanes, the wedge test against {@code Math.exp} and the next word's fast path in
 * scalar code without branches on the values, and what that leaves (a point in the tail, a rejected
 * point whose next word misses too, a height too near the curve) in the scalar {@link
 * Noise#drawnAgain}. The elements
 * before the first multiple of four and after the last whole step are computed by the scalar code.
 * Each stage is a method of its own with one loop: in one method, C2 on JDK 17 ran out of its
 * inlining budget and ran the Vector API calls it no longer inlined as objects, slower than scalar
 * code.
 *
 * <p>The vectors are the CPU's preferred size, not capped as the memory-bound kernels' are (256 bits
 * but on Intel from JDK 25: {@link VectorSupport#vectorBits()}), since this is arithmetic on data in
 * the L1 cache ({@link VectorSupport#halfVectorBits()}).
 */
final class VectorNormals {
  private static final VectorSpecies<Long> LONGS =
      VectorSpecies.of(long.class, VectorShape.forBitSize(VectorSupport.halfVectorBits()));
  private static final int L = LONGS.length();
  private static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, LONGS.vectorShape());
  /** The same bits as int lanes: the interleaved words, two per long lane. */
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, LONGS.vectorShape());
  /** {@code L} int lanes, half the bits: one word per double lane. */
  private static final VectorSpecies<Integer> WORDS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(LONGS.vectorBitSize() / 2));
  /** {@code L} float lanes, half the bits: the values of {@link #DOUBLES} rounded. */
  private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, WORDS.vectorShape());
  /** Elements per step: four words of {@code 2L} blocks. */
  static final int STEP = 8 * L;

  private static final long LOW_32 = 0xFFFFFFFFL;
  private static final int LAYER_BITS = 0xFF;

  /**
   * Which lane of a vector of one pair of words per block each lane takes to interleave two of them,
   * the first half of the blocks ({@code 0, 0, 1, 1, ...})...
   */
  private static final VectorShuffle<Long> FIRST_HALF = spread(0);
  /** ...and the second half. */
  private static final VectorShuffle<Long> SECOND_HALF = spread(L / 2);
  /** The odd lanes: where the interleaved pairs take words 2 and 3. */
  private static final VectorMask<Long> ODD = VectorMask.fromLong(LONGS, 0xAAAAAAAAAAAAAAAAL);

  private static final LongVector LANE = LongVector.zero(LONGS).addIndex(1);

  private VectorNormals() {}

  /**
   * A thread's working arrays, kept between calls: allocated afresh for every batch of 512 values
   * they cost more than a third of the time (new memory each time, not in the cache).
   */
  private static final class Scratch {
    /** The first words of a window's elements, in element order. */
    final int[] words;
    /** The words as {@link #blocks} leaves them: pairs of words, low first, in blocks' order. */
    final long[] pairs;
    /** The offsets in {@code words} of those that missed the fast path. */
    final int[] rare;
    /** The layers of {@code L} words: the gathers' index map. */
    final int[] layers = new int[L];
    /** The words that missed the fast path, outside the tail: their offsets in {@code words}... */
    final int[] missed;
    /** The words in the tail, or those {@link #wedges} leaves, by their offsets. */
    final int[] tails;
    /** ...their elements (padded to a whole vector)... */
    final long[] elements;
    /** ...and words 0 to 2 of their streams' first blocks ({@link #firstRetries}). */
    final long[] more;

    Scratch(int size) {
      words = new int[size];
      pairs = new long[size / 2];
      rare = new int[size];
      missed = new int[size];
      tails = new int[size];
      elements = new long[size + L];
      more = new long[3 * (size + L)];
    }
  }

  /** The elements a scratch holds, a whole number of steps: at most this many go through it at a time. */
  private static final int WINDOW = Math.max(1, KernelMath.NORMALS_AT_A_TIME / STEP) * STEP;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(WINDOW));

  private static VectorShuffle<Long> spread(int fromBlock) {
    int[] lanes = new int[L];
    for (int lane = 0; lane < L; lane++) {
      lanes[lane] = fromBlock + lane / 2;
    }
    return VectorShuffle.fromArray(LONGS, lanes, 0);
  }

  /** Loads the class and its species: throws a {@link LinkageError} where the Vector API is missing. */
  static boolean link() {
    return L >= 2 && WORDS.length() == L && DOUBLES.length() == L && FLOATS.length() == L;
  }

  /** The vector lanes' bits: the species in use. */
  static int bits() {
    return LONGS.vectorBitSize();
  }

  /** {@code out[k] = normal(key, first + k)} for {@code k < count} (bounds checked by the caller). */
  static void normals(long key, long first, double[] out, int count) {
    int k = (int) Math.min(count, (4 - (first & 3)) & 3);
    Noise.normals(key, first, out, 0, k);
    Scratch scratch = SCRATCH.get();
    for (int size; (size = Math.min(WINDOW, (count - k) / STEP * STEP)) > 0; k += size) {
      long element = first + k;
      blocks(key, element, scratch.pairs, size);
      interleave(scratch.pairs, scratch.words, size);
      int rares = fastPath(scratch.words, out, k, size, scratch.rare, scratch.layers);
      drawAgain(key, element, out, k, scratch.words, scratch.rare, rares, scratch);
    }
    Noise.normals(key, first + k, out, k, count);
  }

  /**
   * {@code out[at + j] = (float) values[j]} for {@code j < count}, {@code L} at a time: a conversion
   * between two shapes of the same lane count, which C2 compiles to one instruction on JDK 17 too.
   */
  static void narrow(double[] values, float[] out, int at, int count) {
    int j = 0;
    for (int upper = DOUBLES.loopBound(count); j < upper; j += L) {
      DoubleVector lanes = DoubleVector.fromArray(DOUBLES, values, j);
      ((FloatVector) lanes.convertShape(VectorOperators.D2F, FLOATS, 0)).intoArray(out, at + j);
    }
    Noise.narrow(values, out, at, j, count);
  }

  /**
   * Philox4x32-10's blocks of the {@code size} elements from {@code element} (a multiple of four), two
   * sets of {@code L} blocks a step, into {@code pairs}: per set, {@code L} pairs of words 0 and 1 (low
   * first), then {@code L} pairs of words 2 and 3.
   */
  private static void blocks(long key, long element, long[] pairs, int size) {
    int key0 = (int) key;
    int key1 = (int) (key >>> 32);
    LongVector c3First = LongVector.broadcast(LONGS, Noise.FIRST_WORDS & LOW_32);
    LongVector m0 = multiplier(Philox4x32.M0);
    LongVector m1 = multiplier(Philox4x32.M1);
    for (int k = 0; k < size; k += STEP, element += STEP) {
      // two sets of L blocks side by side: a round's products take longer than the rest of it, and
      // one set alone would wait for them
      LongVector group = LANE.add(element >>> 2);
      LongVector a0 = group.and(LOW_32);
      LongVector a1 = group.lanewise(VectorOperators.LSHR, 32);
      LongVector a2 = LongVector.zero(LONGS);
      LongVector a3 = c3First;
      group = group.add(L);
      LongVector b0 = group.and(LOW_32);
      LongVector b1 = group.lanewise(VectorOperators.LSHR, 32);
      LongVector b2 = a2;
      LongVector b3 = a3;
      int k0 = key0;
      int k1 = key1;
      for (int round = 0; round < Philox4x32.ROUNDS; round++) {
        if (round > 0) {
          k0 += Philox4x32.W0;
          k1 += Philox4x32.W1;
        }
        long r0 = k0 & LOW_32;
        long r1 = k1 & LOW_32;
        // the unsigned 32x32-bit products, exact in a 64-bit lane (see MASK_AT_MULTIPLY)
        LongVector p0 = (MASK_AT_MULTIPLY ? a0.and(LOW_32) : a0).mul(m0);
        LongVector p1 = (MASK_AT_MULTIPLY ? a2.and(LOW_32) : a2).mul(m1);
        LongVector q0 = (MASK_AT_MULTIPLY ? b0.and(LOW_32) : b0).mul(m0);
        LongVector q1 = (MASK_AT_MULTIPLY ? b2.and(LOW_32) : b2).mul(m1);
        a0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, a1.lanewise(VectorOperators.XOR, r0));
        a1 = MASK_AT_MULTIPLY ? p1 : p1.and(LOW_32);
        a2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, a3.lanewise(VectorOperators.XOR, r1));
        a3 = MASK_AT_MULTIPLY ? p0 : p0.and(LOW_32);
        b0 = q1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, b1.lanewise(VectorOperators.XOR, r0));
        b1 = MASK_AT_MULTIPLY ? q1 : q1.and(LOW_32);
        b2 = q0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, b3.lanewise(VectorOperators.XOR, r1));
        b3 = MASK_AT_MULTIPLY ? q0 : q0.and(LOW_32);
      }
      // words 0 and 1 of each block in one long lane, 2 and 3 in another: two ints each, low first
      if (MASK_AT_MULTIPLY) {
        // the words 0 and 2 still carry bits above their low 32
        a0 = a0.and(LOW_32);
        a2 = a2.and(LOW_32);
        b0 = b0.and(LOW_32);
        b2 = b2.and(LOW_32);
      }
      a0.or(a1.lanewise(VectorOperators.LSHL, 32)).intoArray(pairs, k / 2);
      a2.or(a3.lanewise(VectorOperators.LSHL, 32)).intoArray(pairs, k / 2 + L);
      b0.or(b1.lanewise(VectorOperators.LSHL, 32)).intoArray(pairs, k / 2 + 2 * L);
      b2.or(b3.lanewise(VectorOperators.LSHL, 32)).intoArray(pairs, k / 2 + 3 * L);
    }
  }

  /**
   * Where the words are masked to their low 32 bits. JDK 24+ C2 multiplies two long lanes it can
   * see are below 2^32 with one vpmuludq instead of vpmullq (3 uops on Intel; JDK-8341137): there
   * both factors are masked where they meet (the word, and {@link #multiplier}), and a product's low
   * half is the next round's word unmasked until then (noise 2.3 -> 1.85 ns per value on Temurin
   * 25). JDK 17 has no such instruction selection, and there the products' low halves masked as they
   * are made and the plain constant measured 2% faster (the same count of masks). The choices are
   * written in place, not as small methods: one more level of calls kept C2 on JDK 25 from compiling
   * {@link #blocks} to vector instructions (3.5x slower).
   */
  private static final boolean MASK_AT_MULTIPLY = Runtime.version().feature() >= 24;

  /** A round's multiplier in every lane: masked when the words are masked at the multiply. */
  private static LongVector multiplier(long m) {
    LongVector lanes = LongVector.broadcast(LONGS, m);
    return MASK_AT_MULTIPLY ? lanes.and(LOW_32) : lanes;
  }

  /** {@code size/2} pairs as {@link #blocks} left them into {@code words[0 .. size)}, in element order. */
  private static void interleave(long[] pairs, int[] words, int size) {
    for (int at = 0; at < size; at += 4 * L) {
      LongVector low = LongVector.fromArray(LONGS, pairs, at / 2);
      LongVector high = LongVector.fromArray(LONGS, pairs, at / 2 + L);
      LongVector first = low.rearrange(FIRST_HALF).blend(high.rearrange(FIRST_HALF), ODD);
      LongVector second = low.rearrange(SECOND_HALF).blend(high.rearrange(SECOND_HALF), ODD);
      ((IntVector) first.reinterpretShape(INTS, 0)).intoArray(words, at);
      ((IntVector) second.reinterpretShape(INTS, 0)).intoArray(words, at + 2 * L);
    }
  }

  /**
   * The ziggurat's fast path on {@code words[0 .. size)} into {@code out[at .. at + size)}, {@code L} at a
   * time; the offsets in {@code words} of those that missed it into {@code rare}, in order, their count
   * returned (their values in {@code out} are wrong until {@link #drawAgain}).
   */
  private static int fastPath(int[] words, double[] out, int at, int size, int[] rare, int[] layers) {
    int rares = 0;
    for (int i = 0; i < size; i += L) {
      IntVector word = IntVector.fromArray(WORDS, words, i);
      word.and(LAYER_BITS).intoArray(layers, 0);
      IntVector position = word.lanewise(VectorOperators.ASHR, 7).or(1);
      VectorMask<Integer> inside = position.abs().lt(IntVector.fromArray(WORDS, NormalZiggurat.INNER, 0, layers, 0));
      // exact: |position| < 2^24
      DoubleVector x = (DoubleVector) position.convertShape(VectorOperators.I2D, DOUBLES, 0);
      x.mul(DoubleVector.fromArray(DOUBLES, NormalZiggurat.SCALE, 0, layers, 0)).intoArray(out, at + i);
      if (!inside.allTrue()) {
        // mostly one of the L: its lane from the mask, without a branch per lane
        VectorMask<Integer> miss = inside.not();
        int lane = miss.firstTrue();
        rare[rares++] = i + lane;
        for (int last = miss.lastTrue(); lane < last; ) {
          if (!NormalZiggurat.inside(words[i + ++lane])) {
            rare[rares++] = i + lane;
          }
        }
      }
    }
    return rares;
  }

  /**
   * The rare paths, for the words at {@code rare[0 .. rares)} that missed the fast path ({@code
   * words[i]} is element {@code element + i}, its value {@code out[at + i]}): the first block of each
   * one's own stream in vector lanes ({@link #firstRetries}), the rest in scalar code ({@link
   * #wedges}); a word in the tail all in scalar code ({@link #missed}).
   */
  private static void drawAgain(long key, long element, double[] out, int at, int[] words, int[] rare, int rares,
      Scratch scratch) {
    // three methods: the Vector API's calls in one with the scalar rare paths inlined were not compiled
    // to vector instructions (C2's inlining budget again)
    int n = missed(key, element, out, at, words, rare, rares, scratch);
    if (n > 0) {
      for (int j = n; j % L != 0; j++) {
        scratch.elements[j] = scratch.elements[n - 1];
      }
      firstRetries(key, scratch.elements, n, scratch.more);
      wedges(key, element, out, at, words, n, scratch);
    }
  }

  /**
   * The words that missed the fast path, in element order: those in the tail drawn at once by the
   * scalar code, the others' offsets in {@code words} into {@code scratch.missed} and their elements
   * into {@code scratch.elements}; their count returned.
   */
  private static int missed(long key, long element, double[] out, int at, int[] words, int[] rare, int rares,
      Scratch scratch) {
    int[] missed = scratch.missed;
    long[] elements = scratch.elements;
    int[] tails = scratch.tails;
    int n = 0;
    int t = 0;
    for (int r = 0; r < rares; r++) {
      int i = rare[r];
      boolean tail = NormalZiggurat.inTail(words[i]);
      missed[n] = i;
      elements[n] = element + i;
      n += tail ? 0 : 1;
      tails[t] = i;
      t += tail ? 1 : 0;
    }
    for (int j = 0; j < t; j++) {
      int i = tails[j];
      out[at + i] = Noise.drawnAgain(words[i], key, element + i);
    }
    return n;
  }

  /**
   * The rest of the rare paths of the {@code n} words at {@code scratch.missed}, given their streams'
   * first blocks: the wedge test against {@code Math.exp} ({@link NormalZiggurat#nearCurve}) and the
   * next word's fast path without branches; the few it leaves (a rejected point whose next word misses
   * too, 0.7% of them, or a height too near the curve) again by the scalar code ({@link
   * Noise#wedgeDrawnAgain}).
   */
  private static void wedges(long key, long element, double[] out, int at, int[] words, int n, Scratch scratch) {
    int[] missed = scratch.missed;
    long[] more = scratch.more;
    int[] left = scratch.tails;
    int l = 0;
    for (int j = 0; j < n; j++) {
      int i = missed[j];
      int word = words[i];
      int base = j / L * 3 * L + j % L;
      int next = (int) more[base + 2 * L];
      int near = NormalZiggurat.nearCurve(word, Noise.uniform((int) more[base], (int) more[base + L]));
      double kept = NormalZiggurat.value(word);
      double instead = NormalZiggurat.value(next);
      out[at + i] = near > 0 ? kept : instead;
      left[l] = j;
      l += (near > 0) | (near < 0) & NormalZiggurat.inside(next) ? 0 : 1;
    }
    for (int k = 0; k < l; k++) {
      int j = left[k];
      int i = missed[j];
      int base = j / L * 3 * L + j % L;
      out[at + i] = Noise.wedgeDrawnAgain(words[i], key, element + i, (int) more[base], (int) more[base + L],
          (int) more[base + 2 * L]);
    }
  }

  /**
   * The first block (round 0) of the streams of {@code elements[0 .. n)} ({@link Noise#drawnAgain}), {@code
   * L} at a time, its words 0 to 2 into {@code more}: per {@code L} elements, {@code L} of each word.
   */
  private static void firstRetries(long key, long[] elements, int n, long[] more) {
    int key0 = (int) key;
    int key1 = (int) (key >>> 32);
    LongVector c3First = LongVector.broadcast(LONGS, Noise.RETRIES & LOW_32);
    LongVector m0 = multiplier(Philox4x32.M0);
    LongVector m1 = multiplier(Philox4x32.M1);
    for (int j = 0; j < n; j += L) {
      LongVector element = LongVector.fromArray(LONGS, elements, j);
      LongVector c0 = element.and(LOW_32);
      LongVector c1 = element.lanewise(VectorOperators.LSHR, 32);
      LongVector c2 = LongVector.zero(LONGS);
      LongVector c3 = c3First;
      int k0 = key0;
      int k1 = key1;
      for (int round = 0; round < Philox4x32.ROUNDS; round++) {
        if (round > 0) {
          k0 += Philox4x32.W0;
          k1 += Philox4x32.W1;
        }
        LongVector p0 = (MASK_AT_MULTIPLY ? c0.and(LOW_32) : c0).mul(m0);
        LongVector p1 = (MASK_AT_MULTIPLY ? c2.and(LOW_32) : c2).mul(m1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1.lanewise(VectorOperators.XOR, k0 & LOW_32));
        c1 = MASK_AT_MULTIPLY ? p1 : p1.and(LOW_32);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3.lanewise(VectorOperators.XOR, k1 & LOW_32));
        c3 = MASK_AT_MULTIPLY ? p0 : p0.and(LOW_32);
      }
      // the words are their lanes' low 32 bits, as the callers read them ((int) more[...])
      int base = j / L * 3 * L;
      c0.intoArray(more, base);
      c1.intoArray(more, base + L);
      c2.intoArray(more, base + 2 * L);
    }
  }
}
