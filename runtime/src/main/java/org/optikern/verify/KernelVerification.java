package org.optikern.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.UpdateKernel;
import org.optikern.kernel.VectorSupport;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.StateShape;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * One check of a generated kernel against the interpreter of its spec: a random case drawn from a
 * seed (arrays full of NaN with payloads, infinities, signed zeros, subnormals, huge and tiny
 * values; a random length, offset and range; random scalars, finite and not), both run on copies,
 * and every element of every array compared bit for bit (any NaN equals any NaN), inside the range
 * and, untouched, outside it. The generated property suites ({@link org.optikern.spec.VerifyKernels})
 * call it once per try; the same seed gives the same case.
 */
public final class KernelVerification {
  private static final int MAX_SIZE = 67;
  /** One case in ten is at most this long: several blocks of the float16 SIMD kernels (2048 elements each). */
  private static final int MAX_LONG_SIZE = 5000;
  /** Where SIMD loops and float16 blocks change: lane multiples and the 2048-element block, +-1. */
  private static final int[] BOUNDARY_SIZES = {15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 2047, 2048, 2049,
      4095, 4096, 4097};

  private static final double[] SPECIAL_VALUES = {0.0, -0.0, 1.0, -1.0, 0.5, 0.9, 2.0, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
      -Float.MAX_VALUE, 1e-40, 65504.0, 65520.0, 6e-8, 6.1e-5, 1e30, -1e-30, Double.MIN_VALUE, 1e300, 1e-8};

  /** A case's array size and the range it updates, and for the factored variant its rows and columns. */
  record Range(int size, int offset, int length, int rows, int cols) {
    Range(int size, int offset, int length) {
      this(size, offset, length, 0, 0);
    }
  }

  /**
   * A range of whole rows for a kernel of the {@code factored} variant: mostly a few rows of a few
   * columns (every value per row and column meets special values), now and then more rows or
   * columns than {@code KernelMath.LANES}, a single row or column, or none; one in four has a
   * whole number of {@code LANES} columns, the rows the SIMD twins run in vectors (others run their
   * scalar kernel).
   */
  static Range randomMatrixRange(Random random) {
    int rows = random.nextInt(4) == 0 ? random.nextInt(40) : 1 + random.nextInt(6);
    int cols = switch (random.nextInt(4)) {
      case 0 -> 1 + random.nextInt(40);
      case 1 -> KernelMath.LANES * (1 + random.nextInt(3));
      default -> 1 + random.nextInt(6);
    };
    int offset = random.nextInt(4);
    int length = rows * cols;
    return new Range(offset + length + random.nextInt(4), offset, length, rows, cols);
  }

  /**
   * The size and range of a case, drawn on purpose: seven in ten short (special values are dense
   * there), two in ten a range exactly at a boundary of SIMD loops or float16 blocks (with a few
   * elements around it), one in ten anywhere up to 5000 elements.
   */
  static Range randomRange(Random random) {
    int kind = random.nextInt(10);
    if (kind >= 7 && kind < 9) {
      int offset = random.nextInt(4);
      int length = BOUNDARY_SIZES[random.nextInt(BOUNDARY_SIZES.length)];
      return new Range(offset + length + random.nextInt(4), offset, length);
    }
    int size = kind < 7 ? random.nextInt(MAX_SIZE + 1) : random.nextInt(MAX_LONG_SIZE + 1);
    int offset = random.nextInt(size + 1);
    return new Range(size, offset, random.nextInt(size - offset + 1));
  }

  private KernelVerification() {}

  /** The reference for a spec's kernels: its interpreter, built from the annotations by reflection. */
  public static Interpreter interpreterOf(Class<?> specType) {
    return new Interpreter(SpecReader.model(specType));
  }

  /** {@code -Doptikern.expectSimd=true}: a JVM where SIMD kernels must run, so that finding none is a failure. */
  public static final String EXPECT_SIMD = "optikern.expectSimd";

  /**
   * Why the SIMD kernels of {@code optimizer} cannot be checked in this JVM, or null when they can.
   * A spec none of whose variants has a SIMD form (reductions, {@code normal()}, {@code pow} per
   * element) is always skipped with that reason. Otherwise, where none were generated (compiled
   * without jdk.incubator.vector) or SIMD is off in this JVM, the check is skipped, unless
   * {@link #EXPECT_SIMD} is set: then this is null, so that {@link #simdKernelsToCheck} fails.
   */
  public static String simdSkipReason(int generatedTwins, boolean compiledWithVectors, String optimizer) {
    boolean noneCanBeWritten = generatedTwins == 0 && compiledWithVectors;
    return noneCanBeWritten || !Boolean.getBoolean(EXPECT_SIMD)
        ? simdProblem(generatedTwins, compiledWithVectors, optimizer) : null;
  }

  private static String simdProblem(int generatedTwins, boolean compiledWithVectors, String optimizer) {
    if (generatedTwins == 0 && compiledWithVectors) {
      return optimizer + " has no SIMD twins: no variant has exact lanewise forms (a reduction, normal(), or pow, "
          + "exp or log per element) within the JVM's limits; its scalar kernels are checked";
    }
    if (!compiledWithVectors) {
      return optimizer + " has no SIMD twins: its spec was compiled without jdk.incubator.vector (add "
          + "--add-modules jdk.incubator.vector to the compiler arguments)";
    }
    if (!VectorSupport.enabled()) {
      return "SIMD kernels are off in this JVM: run the tests with --add-modules jdk.incubator.vector (on C2, "
          + "without -D" + VectorSupport.PROPERTY + "=false)";
    }
    return null;
  }

  /**
   * The SIMD kernels to check: all {@code generatedTwins} of them. Throws AssertionError when they
   * are not all there (not compiled, SIMD off, or a twin failing to load), so that a run that was to
   * check SIMD kernels cannot pass having checked none.
   */
  public static List<UpdateKernel> simdKernelsToCheck(List<UpdateKernel> enabled, int generatedTwins,
      boolean compiledWithVectors, String optimizer) {
    String problem = simdProblem(generatedTwins, compiledWithVectors, optimizer);
    if (problem != null) {
      throw new AssertionError("no SIMD kernel of " + optimizer + " to check: " + problem);
    }
    if (enabled.size() != generatedTwins) {
      throw new AssertionError(optimizer + " generated " + generatedTwins + " SIMD twins but " + enabled.size()
          + " are enabled in this JVM");
    }
    // a twin labelled with another variant than its own would leave its own unchecked: each variant once
    java.util.Set<String> variants = new java.util.HashSet<>();
    for (UpdateKernel kernel : enabled) {
      if (!variants.add(kernel.dtype() + " " + kernel.switches())) {
        throw new AssertionError(optimizer + " has two SIMD twins of " + kernel.switches() + " " + kernel.dtype());
      }
    }
    return enabled;
  }

  /**
   * Checks the kernel of one variant: it must say it is that variant ({@code dtype} and
   * {@code variant}, which the caller takes from the spec, not from the kernel), and on the case
   * drawn from {@code seed} it must compute what the interpreter computes for that variant.
   */
  public static void check(UpdateKernel kernel, DType dtype, SwitchSet variant, Interpreter interpreter, long seed) {
    if (kernel.dtype() != dtype || !kernel.switches().equals(variant)) {
      throw new AssertionError(kernel.getClass().getSimpleName() + " says it is " + kernel.switches() + " "
          + kernel.dtype() + ", but it is the kernel of " + variant + " " + dtype);
    }
    check(kernel, interpreter, seed);
  }

  /**
   * Runs {@code kernel} and the interpreter on the case drawn from {@code seed}, for the variant the
   * kernel says it is (for SIMD twins, {@link #simdKernelsToCheck} has checked that no two say the
   * same); throws AssertionError on any difference.
   */
  public static void check(UpdateKernel kernel, Interpreter interpreter, long seed) {
    if (kernel.inOneCall() != interpreter.inOneCall(kernel.switches())) {
      throw new AssertionError(kernel.getClass().getSimpleName() + ".inOneCall() is " + kernel.inOneCall()
          + ", but its update " + (kernel.inOneCall() ? "neither reduces nor assigns a scalar state"
          : "reduces over the tensor or assigns a scalar state") + ": the optimizer would split it wrongly");
    }
    Random random = new Random(seed);
    DType dtype = kernel.dtype();
    OptimizerModel model = interpreter.model();
    boolean factored = kernel.switches().has(OptimizerModel.FACTORED);
    Range range = factored ? randomMatrixRange(random) : randomRange(random);
    int size = range.size();
    int offset = range.offset();
    int length = range.length();
    List<String> names = arrayNames(kernel);
    // a state of one value per row or column has as many (and a few more, which must stay untouched)
    int[] sizes = new int[names.size()];
    for (int a = 0; a < sizes.length; a++) {
      StateShape shape = a < 2 ? StateShape.FULL : model.stateShape(names.get(a));
      sizes[a] = switch (shape) {
        case FULL -> size;
        case ROWS -> range.rows() + random.nextInt(3);
        case COLUMNS -> range.cols() + random.nextInt(3);
      };
    }
    // a third of the cases hold ordinary numbers only: one special value makes a reduction (a norm) NaN or
    // infinite, and that would hide every other difference in an update that reads it
    boolean ordinary = random.nextInt(3) == 0;
    Object[] expected = new Object[sizes.length];
    for (int a = 0; a < sizes.length; a++) {
      expected[a] = ordinary ? ordinaryArrays(random, dtype, sizes[a], 1)[0] : randomArray(random, dtype, sizes[a]);
    }
    Object[] actual = copies(expected);
    List<String> scalarNames = interpreter.model().scalarNames();
    double[] scalars = ordinary ? ordinaryScalars(random, scalarNames.size()) : randomScalars(random, scalarNames.size());
    if (factored) {
      // the 2-D view of the range, as the optimizer passes it
      scalars[model.scalarLayout().rowsSlot()] = range.rows();
      scalars[model.scalarLayout().colsSlot()] = range.cols();
    }
    double[] expectedScalars = scalars.clone();
    double[] actualScalars = scalars.clone();
    interpreter.update(kernel.switches(), expected[0], expected[1], Arrays.copyOfRange(expected, 2, expected.length),
        offset, length, expectedScalars);
    kernel.update(actual[0], actual[1], Arrays.copyOfRange(actual, 2, actual.length), offset, length, actualScalars);
    for (int s = 0; s < scalars.length; s++) {
      // the scalar states an update assigns come back in the vector; nothing else may change
      if (Double.doubleToLongBits(expectedScalars[s]) != Double.doubleToLongBits(actualScalars[s])) {
        throw new AssertionError(kernel.getClass().getSimpleName() + " (seed " + seed + "): scalar "
            + scalarNames.get(s) + " is " + actualScalars[s] + " after the update, the interpreter gives "
            + expectedScalars[s] + " (range [" + offset + ", " + (offset + length) + ") of " + size + "; "
            + describeScalars(scalarNames, scalars) + ")");
      }
    }
    for (int a = 0; a < expected.length; a++) {
      for (int i = 0; i < DType.length(expected[a]); i++) {
        if (canonicalBits(expected[a], i) != canonicalBits(actual[a], i)) {
          String scalarText = describeScalars(scalarNames, scalars);
          throw new AssertionError(kernel.getClass().getSimpleName() + " (seed " + seed + "): " + names.get(a) + "[" + i
              + "] is " + describe(actual[a], i) + ", the interpreter gives " + describe(expected[a], i)
              + (i < offset || i >= offset + length ? " (outside the updated range " : " (updated range ") + "["
              + offset + ", " + (offset + length) + ") of " + size + "; " + scalarText + ")");
        }
      }
    }
  }

  /**
   * Runs a spec's generated per-update scalars ({@code XxxKernels::deriveScalars}) and the
   * interpreter's on the scalar vector drawn from {@code seed} (t a whole count, small or large, the
   * other scalars as for the kernels), and compares every slot bit for bit.
   */
  public static void checkDerivedScalars(Consumer<double[]> generated, Interpreter interpreter, long seed) {
    Random random = new Random(seed);
    List<String> names = interpreter.model().scalarNames();
    double[] expected = randomScalars(random, names.size());
    expected[names.indexOf(OptimizerModel.T)] = switch (random.nextInt(4)) {
      case 0 -> 1 + random.nextInt(3);
      case 1 -> random.nextInt(1 << 24);
      default -> 1 + random.nextInt(1000);
    };
    double[] actual = expected.clone();
    interpreter.deriveScalars(expected);
    generated.accept(actual);
    for (int s = 0; s < names.size(); s++) {
      if (Double.doubleToLongBits(expected[s]) != Double.doubleToLongBits(actual[s])) {
        throw new AssertionError("per-update scalar " + names.get(s) + " (seed " + seed + ") is " + actual[s]
            + ", the interpreter gives " + expected[s] + " from " + describeScalars(names, expected));
      }
    }
  }

  /**
   * A bad call must throw before anything is written: a range outside one of the arrays (a negative
   * offset or length, or an array too short), the wrong number of state arrays or of scalars. Every
   * array must be as it was. Which argument is bad is drawn from {@code seed}.
   */
  public static void checkRejectsBadCalls(UpdateKernel kernel, int scalarCount, long seed) {
    checkRejectsBadCalls(kernel, scalarCount, null, seed);
  }

  /**
   * As {@link #checkRejectsBadCalls(UpdateKernel, int, long)}, for the kernels of {@code interpreter}'s
   * spec: a kernel of the {@code factored} variant gets a valid column count (1: a row per element, a
   * column state of one value), and may also be given one that does not divide the range.
   */
  public static void checkRejectsBadCalls(UpdateKernel kernel, Interpreter interpreter, long seed) {
    checkRejectsBadCalls(kernel, interpreter.model().scalarNames().size(), interpreter.model(), seed);
  }

  private static void checkRejectsBadCalls(UpdateKernel kernel, int scalarCount, OptimizerModel model, long seed) {
    Random random = new Random(seed);
    DType dtype = kernel.dtype();
    int size = 1 + random.nextInt(MAX_SIZE);
    List<String> names = arrayNames(kernel);
    Object[] arrays = randomArrays(random, dtype, size, names.size());
    Object[] before = copies(arrays);
    double[] scalars = randomScalars(random, scalarCount);
    boolean factored = model != null && kernel.switches().has(OptimizerModel.FACTORED);
    if (factored) {
      scalars[model.scalarLayout().colsSlot()] = 1;
    }
    int offset = 0;
    int length = size;
    Object[] states = Arrays.copyOfRange(arrays, 2, arrays.length);
    Class<? extends RuntimeException> expected = IndexOutOfBoundsException.class;
    String bad;
    switch (random.nextInt(factored ? 6 : 5)) {
      case 0 -> {
        int shortened = random.nextInt(arrays.length);
        // with one column, a column state needs one value: only an empty one is too short
        boolean column = shortened >= 2 && factored && model.stateShape(names.get(shortened)) == StateShape.COLUMNS;
        Object shorter = randomArray(random, dtype, column ? 0 : size - 1);
        arrays[shortened] = shorter;
        before[shortened] = copy(shorter);
        if (shortened >= 2) {
          states[shortened - 2] = shorter;
        }
        bad = names.get(shortened) + " one element shorter than the range";
      }
      case 1 -> {
        offset = -1 - random.nextInt(3);
        bad = "offset " + offset;
      }
      case 2 -> {
        length = -1 - random.nextInt(3);
        bad = "length " + length;
      }
      case 3 -> {
        states = Arrays.copyOf(states, states.length + 1);
        states[states.length - 1] = randomArray(random, dtype, size);
        // the extra array must stay untouched too
        arrays = Arrays.copyOf(arrays, arrays.length + 1);
        arrays[arrays.length - 1] = states[states.length - 1];
        before = Arrays.copyOf(before, before.length + 1);
        before[before.length - 1] = copy(states[states.length - 1]);
        names.add("an extra state array");
        expected = IllegalArgumentException.class;
        bad = (states.length) + " state arrays";
      }
      case 4 -> {
        scalars = Arrays.copyOf(scalars, scalars.length + (random.nextBoolean() ? 1 : -1));
        expected = IllegalArgumentException.class;
        bad = scalars.length + " scalars";
      }
      default -> {
        // rows of size + 1 columns cannot make a range of size elements
        scalars[model.scalarLayout().colsSlot()] = size + 1;
        expected = IllegalArgumentException.class;
        bad = "a range of " + size + " elements in rows of " + (size + 1) + " columns";
      }
    }
    try {
      kernel.update(arrays[0], arrays[1], states, offset, length, scalars);
      throw new AssertionError(kernel.getClass().getSimpleName() + " (seed " + seed + ") accepted a call with " + bad);
    } catch (RuntimeException e) {
      if (!expected.isInstance(e)) {
        throw new AssertionError(kernel.getClass().getSimpleName() + " (seed " + seed + ") threw " + e + " for a call with "
            + bad + ", expected " + expected.getSimpleName(), e);
      }
    }
    for (int a = 0; a < arrays.length; a++) {
      for (int i = 0; i < DType.length(arrays[a]); i++) {
        if (canonicalBits(before[a], i) != canonicalBits(arrays[a], i)) {
          throw new AssertionError(kernel.getClass().getSimpleName() + " (seed " + seed + ") wrote " + names.get(a) + "["
              + i + "] before rejecting a call with " + bad);
        }
      }
    }
  }

  private static String describeScalars(List<String> names, double[] scalars) {
    StringBuilder text = new StringBuilder();
    for (int s = 0; s < scalars.length; s++) {
      text.append(s == 0 ? "" : ", ").append(names.get(s)).append('=').append(scalars[s]);
    }
    return text.toString();
  }

  private static List<String> arrayNames(UpdateKernel kernel) {
    List<String> names = new java.util.ArrayList<>(List.of("weight", "grad"));
    names.addAll(kernel.stateNames());
    return names;
  }

  private static double randomValue(Random random) {
    return switch (random.nextInt(8)) {
      case 0, 1 -> SPECIAL_VALUES[random.nextInt(SPECIAL_VALUES.length)];
      case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30);
      default -> random.nextGaussian();
    };
  }

  /** Mostly finite (what an optimizer passes), sometimes not (what a kernel must still agree on). */
  private static double randomScalar(Random random) {
    double value = randomValue(random);
    if (!Double.isFinite(value) && random.nextInt(4) != 0) {
      return random.nextDouble();
    }
    return value;
  }

  private static Object randomArray(Random random, DType dtype, int size) {
    switch (dtype) {
      case FLOAT32 -> {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(8) == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) randomValue(random);
        }
        return values;
      }
      case FLOAT64 -> {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(8) == 0 ? Double.longBitsToDouble(random.nextLong()) : randomValue(random);
        }
        return values;
      }
      case FLOAT16 -> {
        short[] values = new short[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(4) == 0 ? (short) random.nextInt() : Half.fromDouble(randomValue(random));
        }
        return values;
      }
      default -> throw new IllegalArgumentException(dtype.toString());
    }
  }

  private static Object[] randomArrays(Random random, DType dtype, int size, int count) {
    Object[] arrays = new Object[count];
    for (int a = 0; a < count; a++) {
      arrays[a] = randomArray(random, dtype, size);
    }
    return arrays;
  }

  /**
   * Scalars as an optimizer passes them: often exactly 0 or 1 (an unset bound, a flag that is off or
   * on, no weight decay), else small positive values.
   */
  private static double[] ordinaryScalars(Random random, int count) {
    double[] scalars = new double[count];
    for (int s = 0; s < count; s++) {
      scalars[s] = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> 1;
        default -> Math.abs(random.nextGaussian()) * 0.1;
      };
    }
    return scalars;
  }

  /**
   * Normal random values, rounded to the dtype: what a training run mostly holds; now and then an
   * array of zeros (a zero gradient, a fresh state), where norms are 0 and LAMB's and LARS's
   * special cases apply.
   */
  private static Object[] ordinaryArrays(Random random, DType dtype, int size, int count) {
    Object[] arrays = new Object[count];
    for (int a = 0; a < count; a++) {
      boolean zeros = random.nextInt(5) == 0;
      double[] values = new double[size];
      for (int i = 0; i < size; i++) {
        values[i] = zeros ? 0 : random.nextGaussian();
      }
      arrays[a] = switch (dtype) {
        case FLOAT64 -> values;
        case FLOAT32 -> {
          float[] floats = new float[size];
          for (int i = 0; i < size; i++) {
            floats[i] = (float) values[i];
          }
          yield floats;
        }
        case FLOAT16 -> {
          short[] halfs = new short[size];
          for (int i = 0; i < size; i++) {
            halfs[i] = Half.fromDouble(values[i]);
          }
          yield halfs;
        }
      };
    }
    return arrays;
  }

  private static Object[] copies(Object[] arrays) {
    Object[] copies = new Object[arrays.length];
    for (int a = 0; a < arrays.length; a++) {
      copies[a] = copy(arrays[a]);
    }
    return copies;
  }

  private static double[] randomScalars(Random random, int count) {
    double[] scalars = new double[count];
    for (int s = 0; s < count; s++) {
      scalars[s] = randomScalar(random);
    }
    return scalars;
  }

  private static Object copy(Object array) {
    if (array instanceof float[] f) {
      return f.clone();
    }
    if (array instanceof double[] d) {
      return d.clone();
    }
    return ((short[]) array).clone();
  }

  private static long canonicalBits(Object array, int i) {
    if (array instanceof float[] f) {
      return Float.floatToIntBits(f[i]);
    }
    if (array instanceof double[] d) {
      return Double.doubleToLongBits(d[i]);
    }
    short h = ((short[]) array)[i];
    return Half.isNaN(h) ? Half.NaN : h;
  }

  private static String describe(Object array, int i) {
    if (array instanceof float[] f) {
      return f[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f[i])) + ")";
    }
    if (array instanceof double[] d) {
      return d[i] + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d[i])) + ")";
    }
    short h = ((short[]) array)[i];
    return "half 0x" + Integer.toHexString(h & 0xffff) + " (" + Half.toFloat(h) + ")";
  }
}
