package org.optikern.benchmarks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.optikern.kernel.VectorSupport;

/**
 * The read-only passes of {@link SameTrafficLoops} with the Vector API, loaded only where the
 * vector module is. C2 does not vectorize a float sum (it may not reorder the adds), and the plain
 * loops that read without writing ran at 0.52 to 0.58 ns per element for one array and 0.83 to
 * 0.86 for two on this machine, where these read at 0.20 to 0.35 and 0.46 to 0.60 (JDK 17 and 25,
 * scratch code not kept): the plain loops were bound by their instructions, not by the traffic.
 * For loops that also write, C2's own vector code was as fast as the Vector API's (0.54 against
 * 0.56, 1.07 against 1.09 ns per element), so those stay plain Java. Vectors of the kernels' size
 * ({@link VectorSupport#vectorBits()}); independent sums, so no chain of adds holds the loads back.
 */
final class VectorReads {
  private static final VectorSpecies<Float> SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.vectorBits()));

  private VectorReads() {}

  static float read(float[] r, int from, int to) {
    int step = SPECIES.length();
    FloatVector a = FloatVector.zero(SPECIES);
    FloatVector b = a;
    FloatVector c = a;
    FloatVector d = a;
    int i = from;
    for (; i + 4 * step <= to; i += 4 * step) {
      a = a.add(FloatVector.fromArray(SPECIES, r, i));
      b = b.add(FloatVector.fromArray(SPECIES, r, i + step));
      c = c.add(FloatVector.fromArray(SPECIES, r, i + 2 * step));
      d = d.add(FloatVector.fromArray(SPECIES, r, i + 3 * step));
    }
    return a.add(b).add(c.add(d)).reduceLanes(VectorOperators.ADD) + SameTrafficLoops.read(r, i, to);
  }

  static float read(float[] r, float[] q, int from, int to) {
    int step = SPECIES.length();
    FloatVector a = FloatVector.zero(SPECIES);
    FloatVector b = a;
    FloatVector c = a;
    FloatVector d = a;
    int i = from;
    for (; i + 2 * step <= to; i += 2 * step) {
      a = a.add(FloatVector.fromArray(SPECIES, r, i));
      b = b.add(FloatVector.fromArray(SPECIES, q, i));
      c = c.add(FloatVector.fromArray(SPECIES, r, i + step));
      d = d.add(FloatVector.fromArray(SPECIES, q, i + step));
    }
    return a.add(b).add(c.add(d)).reduceLanes(VectorOperators.ADD) + SameTrafficLoops.read(r, q, i, to);
  }
}
