package org.optikern.benchmarks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.optikern.kernel.VectorSupport;

/**
 * What a few lane operations cost inside a memory-bound loop, without JMH: SGD's momentum loop
 * (3 arrays read, 2 written, as Signum's) written with the Vector API, and the same loop with
 * operations added per vector: Signum's {@code sign} (2 compares, 2 blends, a subtract) on the
 * weight's path or off it, multiplies in a chain, multiplies and adds side by side. Each runs over
 * 4096 floats (in the caches, where the time is the arithmetic) and over 16M (from memory); the
 * variants alternate call by call, so the machine's drift falls on all of them alike. Prints each
 * one's ns per element and what it adds to the reference loop, in the caches and from memory.
 *
 * <p>If one core hid arithmetic behind its memory traffic, the added time from memory would be near
 * 0 as long as the loop stays memory-bound. On the Intel Xeon of BENCHMARKS.md it is as large as in
 * the caches or larger: why Signum, Lion and Yogi, whose lanes compare and blend, take more than
 * SGD's loop with the same traffic, and why 512-bit vectors (half as many operations) help there on
 * JDK 25.
 *
 * <p>Each variant is a loop written out in full, as a generated twin is: a shared loop that took the
 * added operations as a lambda or a helper would not compile to the same code (vectors crossing a
 * call that is not inlined are boxed), and it is the twins' code that is being timed.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector [-Doptikern.vectorBits=256|512] \
 *     -cp benchmarks/target/benchmarks.jar org.optikern.benchmarks.LaneOperationsTiming [rounds]
 * </pre>
 *
 * <p>Without the flag the lanes have the twins' default width: 512 bits on Intel CPUs from JDK 25,
 * 256 otherwise. The first line printed names the width.
 */
public final class LaneOperationsTiming {
  private static final VectorSpecies<Float> LANES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.vectorBits()));
  private static final int IN_CACHE = 4096;
  private static final int FROM_MEMORY = 1 << 24;
  /** 1 and 0, not final, so that the JIT cannot fold the added multiplies away. */
  static float one = 1f;
  static float zero = 0f;
  static volatile float sink;

  private enum Variant {
    REFERENCE("SGD's momentum loop (the reference)", 0),
    SIGN("+ sign on the weight's path (2 compares, 2 blends, a subtract)", 5),
    SIGN_OFF_PATH("+ the same sign off the stores' path, summed in a register", 6),
    CHAIN_5("+ 5 multiplies in a chain", 5),
    CHAIN_10("+ 10 multiplies in a chain", 10),
    SIDE_BY_SIDE_4("+ 2 multiplies and 2 adds side by side", 4);

    final String description;
    final int addedOperations;

    Variant(String description, int addedOperations) {
      this.description = description;
      this.addedOperations = addedOperations;
    }
  }

  private LaneOperationsTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    float[] weight = new float[FROM_MEMORY];
    float[] grad = new float[FROM_MEMORY];
    float[] mom = new float[FROM_MEMORY];
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < FROM_MEMORY; i++) {
      weight[i] = (float) random.nextGaussian();
      grad[i] = (float) random.nextGaussian();
      mom[i] = (float) random.nextGaussian();
    }
    Variant[] variants = Variant.values();
    double[] inCache = time(variants, weight, grad, mom, IN_CACHE, rounds * 5);
    double[] fromMemory = time(variants, weight, grad, mom, FROM_MEMORY, rounds);
    System.out.printf("JDK %s, %d-bit lanes (%d per vector), %d rounds from memory%n%n",
        System.getProperty("java.version"), LANES.vectorBitSize(), LANES.length(), rounds);
    System.out.println("| loop | lane operations added per vector | in cache, ns/elem | added | 16M floats, ns/elem | added |");
    System.out.println("|---|---|---|---|---|---|");
    for (Variant v : variants) {
      System.out.printf("| %s | %d | %.3f | %+.3f | %.3f | %+.3f |%n", v.description, v.addedOperations,
          inCache[v.ordinal()], inCache[v.ordinal()] - inCache[0], fromMemory[v.ordinal()],
          fromMemory[v.ordinal()] - fromMemory[0]);
    }
  }

  /** ns per element of each variant over {@code [0, size)}, the variants alternating, 10 rounds of warm-up. */
  private static double[] time(Variant[] variants, float[] weight, float[] grad, float[] mom, int size, int rounds) {
    int calls = FROM_MEMORY / size;
    long[] nanos = new long[variants.length];
    for (int round = -10; round < rounds; round++) {
      for (Variant v : variants) {
        long start = System.nanoTime();
        for (int call = 0; call < calls; call++) {
          run(v, weight, grad, mom, size);
        }
        if (round >= 0) {
          nanos[v.ordinal()] += System.nanoTime() - start;
        }
      }
    }
    double[] perElement = new double[variants.length];
    for (int k = 0; k < variants.length; k++) {
      perElement[k] = nanos[k] / ((double) rounds * calls * size);
    }
    return perElement;
  }

  private static void run(Variant v, float[] w, float[] g, float[] m, int n) {
    // a tiny learning rate, so that 16M-element weights stay normal over every round
    float lr = 1e-9f;
    float momentum = 0.9f;
    switch (v) {
      case REFERENCE -> reference(w, g, m, n, lr, momentum);
      case SIGN -> sign(w, g, m, n, lr, momentum);
      case SIGN_OFF_PATH -> signOffPath(w, g, m, n, lr, momentum);
      case CHAIN_5 -> chain5(w, g, m, n, lr, momentum, one);
      case CHAIN_10 -> chain10(w, g, m, n, lr, momentum, one);
      case SIDE_BY_SIDE_4 -> sideBySide4(w, g, m, n, lr, momentum, zero);
    }
  }

  // mom = momentum*mom - (1-momentum)*grad; weight = weight + lr*mom
  private static void reference(float[] w, float[] g, float[] m, int n, float lr, float momentum) {
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      wi = wi.add(lv.mul(mi));
      wi.intoArray(w, i);
    }
  }

  // weight = weight + lr*sign(mom), sign as the generated twins write it
  private static void sign(float[] w, float[] g, float[] m, int n, float lr, float momentum) {
    FloatVector z = FloatVector.zero(LANES);
    FloatVector ones = FloatVector.broadcast(LANES, 1f);
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      FloatVector s = z.blend(ones, mi.compare(VectorOperators.GT, z))
          .sub(z.blend(ones, mi.compare(VectorOperators.LT, z)));
      wi = wi.add(lv.mul(s));
      wi.intoArray(w, i);
    }
  }

  // the reference's stores, and sign(mom) summed on the side
  private static void signOffPath(float[] w, float[] g, float[] m, int n, float lr, float momentum) {
    FloatVector z = FloatVector.zero(LANES);
    FloatVector ones = FloatVector.broadcast(LANES, 1f);
    FloatVector sum = z;
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      sum = sum.add(z.blend(ones, mi.compare(VectorOperators.GT, z))
          .sub(z.blend(ones, mi.compare(VectorOperators.LT, z))));
      wi = wi.add(lv.mul(mi));
      wi.intoArray(w, i);
    }
    sink += sum.reduceLanes(VectorOperators.ADD);
  }

  private static void chain5(float[] w, float[] g, float[] m, int n, float lr, float momentum, float one) {
    FloatVector ones = FloatVector.broadcast(LANES, one);
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      FloatVector s = mi.mul(ones).mul(ones).mul(ones).mul(ones).mul(ones);
      wi = wi.add(lv.mul(s));
      wi.intoArray(w, i);
    }
  }

  private static void chain10(float[] w, float[] g, float[] m, int n, float lr, float momentum, float one) {
    FloatVector ones = FloatVector.broadcast(LANES, one);
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      FloatVector s = mi.mul(ones).mul(ones).mul(ones).mul(ones).mul(ones)
          .mul(ones).mul(ones).mul(ones).mul(ones).mul(ones);
      wi = wi.add(lv.mul(s));
      wi.intoArray(w, i);
    }
  }

  private static void sideBySide4(float[] w, float[] g, float[] m, int n, float lr, float momentum, float zero) {
    FloatVector zeros = FloatVector.broadcast(LANES, zero);
    FloatVector mv = FloatVector.broadcast(LANES, momentum);
    FloatVector lv = FloatVector.broadcast(LANES, lr);
    FloatVector om = FloatVector.broadcast(LANES, 1 - momentum);
    for (int i = 0; i < LANES.loopBound(n); i += LANES.length()) {
      FloatVector wi = FloatVector.fromArray(LANES, w, i);
      FloatVector gi = FloatVector.fromArray(LANES, g, i);
      FloatVector mi = FloatVector.fromArray(LANES, m, i);
      mi = mv.mul(mi).sub(om.mul(gi));
      mi.intoArray(m, i);
      FloatVector s = mi.add(wi.mul(zeros).add(gi.mul(zeros)));
      wi = wi.add(lv.mul(s));
      wi.intoArray(w, i);
    }
  }
}
