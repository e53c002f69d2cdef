package org.optikern.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.VectorSupport;
import org.optikern.optimizers.AdafactorNoFirstMomentFactoredClippedF32VectorKernel;

/**
 * Where Adafactor's float32 SIMD twin spends its time, pass by pass, without JMH: the generated
 * kernel of the default variant (factored, clipped, no first moment) over a 4096 x 4096 weight,
 * its three passes over the elements written out as twins write them, each next to the
 * same-traffic loop of {@link SameTrafficLoops} that {@code OptimizerBoundReport} measures it
 * against:
 * <ol>
 *   <li>{@code rowsum(g_sq)}, {@code colsum(g_sq)}, {@code sumsq(weight)}: reads weight and grad;
 *   <li>{@code sumsq(u)}: reads grad;
 *   <li>the step: reads grad, reads and writes weight.
 * </ol>
 * Passes 1 and 2 run twice: with a reduction's {@code LANES} partial sums in an array, loaded,
 * stepped and stored at every vector (the twins before {@code VectorPartials}, and still where the
 * partials fill more than two vectors), so that each partial waits for its own store one or two
 * vectors before (at 512 or 256 bits); and in registers, two vector locals that trade places at each vector, as the twins step
 * them now at 256 and 512 bits. Same partials, each stepped in the same order, so the same sums
 * (checked before timing); only the store-to-load round trip differs. Pass 3 runs as written and
 * with its division by the per-tensor clip factor replaced by a multiply by the inverse (not the
 * same bits: shown only for what the division costs).
 *
 * <p>The variants alternate call by call, so the machine's drift falls on all of them alike. Each
 * variant is a loop written out in full, as a generated twin is (see {@link LaneOperationsTiming}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector \
 *     -cp benchmarks/target/benchmarks.jar org.optikern.benchmarks.AdafactorPassesTiming [rounds]
 * </pre>
 *
 * <p>Runs only where a float vector's lanes divide {@code LANES} in one or two vectors (256 or 512
 * bits): the register variants hold exactly that many partial vectors.
 */
public final class AdafactorPassesTiming {
  private static final VectorSpecies<Float> SPECIES =
      VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.vectorBits()));
  /** Whether the partials take two vectors (256 bits) rather than one (512). */
  private static final boolean TWO_PARTIAL_VECTORS = KernelMath.LANES / SPECIES.length() == 2;
  private static final int ROWS = 4096;
  private static final int COLS = 4096;
  private static final int SIZE = ROWS * COLS;
  /** Adafactor's defaults at step 10; a tiny relative step keeps the weight as it is over every round. */
  private static final float CLIP_GRADIENT = 1f;
  private static final float EPSILON1 = 1e-30f;
  private static final float CLIP_FACTOR = 1.01f;
  private static final float LR_T = 1e-9f;
  private static final float WD_LR_T = 0f;
  /** The kernel's other arguments: Adafactor's defaults, its decay {@code 1 - t^-0.8} at t = 10, no weight decay. */
  private static final float WD = 0f;
  private static final float RESCALE_GRAD = 1f;
  private static final float EPSILON2 = 1e-3f;
  private static final float CLIP_THRESHOLD = 1f;
  private static final float SCALE_PARAMETER = 1f;
  private static final float BETA2T = 0.84f;
  private static final float ONE_MINUS_BETA2T = 0.16f;
  private static final float REL_STEP = 1e-9f;
  static volatile float sink;

  private enum Variant {
    KERNEL("the generated twin, all passes"),
    PASS_1("pass 1, partials in arrays"),
    PASS_1_REGISTERS("pass 1, partials in registers (the twin's)"),
    PASS_1_TRAFFIC("pass 1's same-traffic loop (2 read)"),
    PASS_2("pass 2, partials in an array"),
    PASS_2_REGISTERS("pass 2, partials in registers (the twin's)"),
    PASS_2_TRAFFIC("pass 2's same-traffic loop (1 read)"),
    PASS_3("pass 3 as written (divides by the clip factor)"),
    PASS_3_MULTIPLY("pass 3, multiplies by the inverse instead"),
    PASS_3_TRAFFIC("pass 3's same-traffic loop (1 read, 1 read and written)");

    final String description;

    Variant(String description) {
      this.description = description;
    }
  }

  private AdafactorPassesTiming() {}

  public static void main(String[] args) {
    if (KernelMath.LANES / SPECIES.length() > 2) {
      System.err.println(SPECIES.vectorBitSize() + "-bit vectors hold the partials in "
          + KernelMath.LANES / SPECIES.length() + " vectors; this timing has register variants for 1 or 2");
      System.exit(2);
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    Random random = new Random(1);
    float[] weight = KernelFixture.normalFloats(SIZE, random, 1f);
    float[] grad = KernelFixture.normalFloats(SIZE, random, KernelFixture.GRADIENT_SCALE);
    float[] vRow = new float[ROWS];
    float[] vCol = new float[COLS];
    float[] rowFactor = new float[ROWS];
    float[] colFactor = new float[COLS];
    Arrays.fill(vRow, 1e-6f);
    Arrays.fill(vCol, 1e-6f);
    Arrays.fill(rowFactor, 1f);
    Arrays.fill(colFactor, 1f);
    SameTrafficLoops.Loop pass1Traffic = SameTrafficLoops.of(List.of(weight, grad), List.of(), List.of());
    SameTrafficLoops.Loop pass2Traffic = SameTrafficLoops.of(List.of(grad), List.of(), List.of());
    SameTrafficLoops.Loop pass3Traffic = SameTrafficLoops.of(List.of(grad), List.of(weight), List.of());

    checkSameSums(weight, grad, rowFactor, colFactor);

    Variant[] variants = Variant.values();
    long[] nanos = new long[variants.length];
    for (int round = -10; round < rounds; round++) {
      for (Variant v : variants) {
        long start = System.nanoTime();
        switch (v) {
          case KERNEL -> AdafactorNoFirstMomentFactoredClippedF32VectorKernel.update(weight, grad, vRow, vCol, 0,
              SIZE, COLS, WD, RESCALE_GRAD, CLIP_GRADIENT, EPSILON1, EPSILON2, CLIP_THRESHOLD, SCALE_PARAMETER,
              BETA2T, ONE_MINUS_BETA2T, REL_STEP, SIZE, ROWS, COLS);
          case PASS_1 -> sink = pass1(weight, grad, new float[ROWS], new float[COLS]);
          case PASS_1_REGISTERS -> sink = pass1InRegisters(weight, grad, new float[ROWS], new float[COLS]);
          case PASS_1_TRAFFIC -> pass1Traffic.run(0, SIZE);
          case PASS_2 -> sink = pass2(grad, rowFactor, colFactor);
          case PASS_2_REGISTERS -> sink = pass2InRegisters(grad, rowFactor, colFactor);
          case PASS_2_TRAFFIC -> pass2Traffic.run(0, SIZE);
          case PASS_3 -> pass3(weight, grad, rowFactor, colFactor);
          case PASS_3_MULTIPLY -> pass3Multiplying(weight, grad, rowFactor, colFactor);
          case PASS_3_TRAFFIC -> pass3Traffic.run(0, SIZE);
        }
        if (round >= 0) {
          nanos[v.ordinal()] += System.nanoTime() - start;
        }
      }
    }
    double[] perElement = new double[variants.length];
    for (int k = 0; k < variants.length; k++) {
      perElement[k] = nanos[k] / ((double) rounds * SIZE);
    }
    print(perElement, rounds);
  }

  /** The register variants must compute the partials the arrays do, bit for bit, or their times say nothing. */
  private static void checkSameSums(float[] weight, float[] grad, float[] rowFactor, float[] colFactor) {
    float[] rowSums = new float[ROWS];
    float[] rowSumsInRegisters = new float[ROWS];
    float tensorSum = pass1(weight, grad, rowSums, new float[COLS]);
    float tensorSumInRegisters = pass1InRegisters(weight, grad, rowSumsInRegisters, new float[COLS]);
    if (Float.floatToIntBits(tensorSum) != Float.floatToIntBits(tensorSumInRegisters)
        || !Arrays.equals(rowSums, rowSumsInRegisters)
        || Float.floatToIntBits(pass2(grad, rowFactor, colFactor))
            != Float.floatToIntBits(pass2InRegisters(grad, rowFactor, colFactor))) {
      throw new AssertionError("the partials in registers do not sum to the partials in arrays");
    }
  }

  private static void print(double[] ns, int rounds) {
    System.out.printf("JDK %s, %d-bit lanes, %d x %d floats, %d rounds%n%n", System.getProperty("java.version"),
        SPECIES.vectorBitSize(), ROWS, COLS, rounds);
    System.out.println("| loop | ns/elem | against its same-traffic loop |");
    System.out.println("|---|---|---|");
    for (Variant v : Variant.values()) {
      Variant traffic = switch (v) {
        case PASS_1, PASS_1_REGISTERS -> Variant.PASS_1_TRAFFIC;
        case PASS_2, PASS_2_REGISTERS -> Variant.PASS_2_TRAFFIC;
        case PASS_3, PASS_3_MULTIPLY -> Variant.PASS_3_TRAFFIC;
        default -> null;
      };
      String ratio = traffic == null ? "" : String.format("%.2fx", ns[v.ordinal()] / ns[traffic.ordinal()]);
      System.out.printf("| %s | %.3f | %s |%n", v.description, ns[v.ordinal()], ratio);
    }
    double inArrays = ns[Variant.PASS_1.ordinal()] + ns[Variant.PASS_2.ordinal()] + ns[Variant.PASS_3.ordinal()];
    double inRegisters = ns[Variant.PASS_1_REGISTERS.ordinal()] + ns[Variant.PASS_2_REGISTERS.ordinal()]
        + ns[Variant.PASS_3.ordinal()];
    double traffic = ns[Variant.PASS_1_TRAFFIC.ordinal()] + ns[Variant.PASS_2_TRAFFIC.ordinal()]
        + ns[Variant.PASS_3_TRAFFIC.ordinal()];
    System.out.printf("| the three passes, partials in arrays | %.3f | %.2fx |%n", inArrays, inArrays / traffic);
    System.out.printf("| the three passes, partials in registers | %.3f | %.2fx |%n", inRegisters,
        inRegisters / traffic);
    System.out.printf("| the three same-traffic loops | %.3f | |%n", traffic);
    System.out.printf("%nthe kernel against the three same-traffic loops: %.2fx%n",
        ns[Variant.KERNEL.ordinal()] / traffic);
  }

  /** {@code clip(grad, clip_gradient)}, with rescale_grad 1, as the twin writes it. */
  private static FloatVector clip(FloatVector grad, FloatVector clip) {
    return grad.blend(clip.neg(), grad.compare(VectorOperators.LT, clip.neg()))
        .blend(clip, grad.compare(VectorOperators.GT, clip));
  }

  // rowsum(g_sq) at colIndex mod LANES, colsum(g_sq) at colIndex, sumsq(weight) at i mod LANES
  private static float pass1(float[] weight, float[] grad, float[] rowSums, float[] colSums) {
    float[] weightLanes = new float[KernelMath.LANES];
    float[] rowLanes = new float[KernelMath.LANES];
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    FloatVector epsilon1 = FloatVector.broadcast(SPECIES, EPSILON1);
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector w = FloatVector.fromArray(SPECIES, weight, i);
        FloatVector g = clip(FloatVector.fromArray(SPECIES, grad, i), clip);
        int lane = i & (KernelMath.LANES - 1);
        int columnLane = colIndex & (KernelMath.LANES - 1);
        FloatVector gSquared = g.mul(g).add(epsilon1);
        FloatVector.fromArray(SPECIES, rowLanes, columnLane).add(gSquared).intoArray(rowLanes, columnLane);
        FloatVector.fromArray(SPECIES, colSums, colIndex).add(gSquared).intoArray(colSums, colIndex);
        FloatVector.fromArray(SPECIES, weightLanes, lane).add(w.mul(w)).intoArray(weightLanes, lane);
      }
      rowSums[rowIndex] = KernelMath.sumLanes(rowLanes);
      Arrays.fill(rowLanes, 0);
    }
    return KernelMath.sumLanes(weightLanes) + rowSums[0] + colSums[0];
  }

  // the same partials in vector locals, loaded from and stored to their arrays once per row (a
  // vector carried across the row loop is boxed by JDK 17's C2)
  private static float pass1InRegisters(float[] weight, float[] grad, float[] rowSums, float[] colSums) {
    float[] weightLanes = new float[KernelMath.LANES];
    float[] rowLanes = new float[KernelMath.LANES];
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    FloatVector epsilon1 = FloatVector.broadcast(SPECIES, EPSILON1);
    int other = TWO_PARTIAL_VECTORS ? SPECIES.length() : 0;
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      FloatVector weightPartial = FloatVector.fromArray(SPECIES, weightLanes, i & (KernelMath.LANES - 1));
      FloatVector weightNext = FloatVector.fromArray(SPECIES, weightLanes, (i & (KernelMath.LANES - 1)) ^ other);
      FloatVector rowPartial = FloatVector.zero(SPECIES);
      FloatVector rowNext = rowPartial;
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector w = FloatVector.fromArray(SPECIES, weight, i);
        FloatVector g = clip(FloatVector.fromArray(SPECIES, grad, i), clip);
        FloatVector gSquared = g.mul(g).add(epsilon1);
        rowPartial = rowPartial.add(gSquared);
        FloatVector.fromArray(SPECIES, colSums, colIndex).add(gSquared).intoArray(colSums, colIndex);
        weightPartial = weightPartial.add(w.mul(w));
        if (TWO_PARTIAL_VECTORS) {
          FloatVector t = rowPartial;
          rowPartial = rowNext;
          rowNext = t;
          t = weightPartial;
          weightPartial = weightNext;
          weightNext = t;
        }
      }
      // the next partial first: with one partial vector both are at the same lanes, and the partial is the sum
      weightNext.intoArray(weightLanes, (i & (KernelMath.LANES - 1)) ^ other);
      weightPartial.intoArray(weightLanes, i & (KernelMath.LANES - 1));
      rowNext.intoArray(rowLanes, other);
      rowPartial.intoArray(rowLanes, 0);
      rowSums[rowIndex] = KernelMath.sumLanes(rowLanes);
    }
    return KernelMath.sumLanes(weightLanes) + rowSums[0] + colSums[0];
  }

  // sumsq(row_factor*col_factor*clip(grad)) at i mod LANES
  private static float pass2(float[] grad, float[] rowFactor, float[] colFactor) {
    float[] lanes = new float[KernelMath.LANES];
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      FloatVector row = FloatVector.broadcast(SPECIES, rowFactor[rowIndex]);
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector col = FloatVector.fromArray(SPECIES, colFactor, colIndex);
        FloatVector u = row.mul(col).mul(clip(FloatVector.fromArray(SPECIES, grad, i), clip));
        int lane = i & (KernelMath.LANES - 1);
        FloatVector.fromArray(SPECIES, lanes, lane).add(u.mul(u)).intoArray(lanes, lane);
      }
    }
    return KernelMath.sumLanes(lanes);
  }

  private static float pass2InRegisters(float[] grad, float[] rowFactor, float[] colFactor) {
    float[] lanes = new float[KernelMath.LANES];
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    int other = TWO_PARTIAL_VECTORS ? SPECIES.length() : 0;
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      FloatVector row = FloatVector.broadcast(SPECIES, rowFactor[rowIndex]);
      FloatVector partial = FloatVector.fromArray(SPECIES, lanes, i & (KernelMath.LANES - 1));
      FloatVector next = FloatVector.fromArray(SPECIES, lanes, (i & (KernelMath.LANES - 1)) ^ other);
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector col = FloatVector.fromArray(SPECIES, colFactor, colIndex);
        FloatVector u = row.mul(col).mul(clip(FloatVector.fromArray(SPECIES, grad, i), clip));
        partial = partial.add(u.mul(u));
        if (TWO_PARTIAL_VECTORS) {
          FloatVector t = partial;
          partial = next;
          next = t;
        }
      }
      next.intoArray(lanes, (i & (KernelMath.LANES - 1)) ^ other);
      partial.intoArray(lanes, i & (KernelMath.LANES - 1));
    }
    return KernelMath.sumLanes(lanes);
  }

  // weight = weight - weight*(wd*lr_t) - row_factor*col_factor*clip(grad)/clip_factor*lr_t
  private static void pass3(float[] weight, float[] grad, float[] rowFactor, float[] colFactor) {
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    FloatVector clipFactor = FloatVector.broadcast(SPECIES, CLIP_FACTOR);
    FloatVector lrT = FloatVector.broadcast(SPECIES, LR_T);
    FloatVector wdLrT = FloatVector.broadcast(SPECIES, WD_LR_T);
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      FloatVector row = FloatVector.broadcast(SPECIES, rowFactor[rowIndex]);
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector col = FloatVector.fromArray(SPECIES, colFactor, colIndex);
        FloatVector w = FloatVector.fromArray(SPECIES, weight, i);
        FloatVector g = clip(FloatVector.fromArray(SPECIES, grad, i), clip);
        FloatVector step = row.mul(col).mul(g).div(clipFactor).mul(lrT);
        w.sub(w.mul(wdLrT)).sub(step).intoArray(weight, i);
      }
    }
  }

  private static void pass3Multiplying(float[] weight, float[] grad, float[] rowFactor, float[] colFactor) {
    FloatVector clip = FloatVector.broadcast(SPECIES, CLIP_GRADIENT);
    FloatVector inverseClipFactor = FloatVector.broadcast(SPECIES, 1f / CLIP_FACTOR);
    FloatVector lrT = FloatVector.broadcast(SPECIES, LR_T);
    FloatVector wdLrT = FloatVector.broadcast(SPECIES, WD_LR_T);
    for (int rowIndex = 0, i = 0; rowIndex < ROWS; rowIndex++) {
      FloatVector row = FloatVector.broadcast(SPECIES, rowFactor[rowIndex]);
      for (int colIndex = 0; colIndex < COLS; colIndex += SPECIES.length(), i += SPECIES.length()) {
        FloatVector col = FloatVector.fromArray(SPECIES, colFactor, colIndex);
        FloatVector w = FloatVector.fromArray(SPECIES, weight, i);
        FloatVector g = clip(FloatVector.fromArray(SPECIES, grad, i), clip);
        FloatVector step = row.mul(col).mul(g).mul(inverseClipFactor).mul(lrT);
        w.sub(w.mul(wdLrT)).sub(step).intoArray(weight, i);
      }
    }
  }
}
