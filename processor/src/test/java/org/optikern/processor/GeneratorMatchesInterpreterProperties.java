package org.optikern.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.SpecReader;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * The generator checked on specs nobody wrote by hand: a random well-formed spec
 * ({@link RandomSpec}) is compiled in process with the processor, its generated scalar kernels are
 * loaded, and each of them must compute what the interpreter computes from the same annotations,
 * bit for bit (any NaN equals any NaN), on arrays full of special values, over a random range.
 */
class GeneratorMatchesInterpreterProperties {
  private static final AtomicInteger SPECS = new AtomicInteger();

  @Property(tries = 60)
  void everyGeneratedKernelOfARandomSpecMatchesTheInterpreter(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    RandomSpec spec = RandomSpec.generate(random, SPECS.incrementAndGet());
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .compile(JavaFileObjects.forSourceString("fuzz." + spec.typeName(), spec.source()));
    assertEquals(Compilation.Status.SUCCESS, compilation.status(),
        () -> compilation.diagnostics() + "\n" + spec.source());

    ClassLoader loader = new CompiledClassLoader(compilation);
    Class<?> specType = loader.loadClass("fuzz." + spec.typeName());
    String optimizer = spec.typeName().substring(0, spec.typeName().length() - "Spec".length());
    @SuppressWarnings("unchecked")
    List<UpdateKernel> kernels = (List<UpdateKernel>) loader.loadClass("fuzz." + optimizer + "Kernels")
        .getField("SCALAR").get(null);
    assertEquals(3 * (2 << spec.switchCount()), kernels.size(), "every dtype x switch combination x clipped");
    Interpreter interpreter = new Interpreter(SpecReader.model(specType));

    for (UpdateKernel kernel : kernels) {
      for (int run = 0; run < 3; run++) {
        compare(kernel, interpreter, random, spec);
      }
    }
  }

  private static void compare(UpdateKernel kernel, Interpreter interpreter, Random random, RandomSpec spec) {
    DType dtype = kernel.dtype();
    int size = 1 + random.nextInt(40);
    int offset = random.nextInt(size);
    int length = random.nextInt(size - offset + 1);
    int arrayCount = 2 + kernel.stateNames().size();
    Object[] expected = new Object[arrayCount];
    Object[] actual = new Object[arrayCount];
    for (int a = 0; a < arrayCount; a++) {
      expected[a] = randomArray(random, dtype, size);
      actual[a] = copy(expected[a]);
    }
    double[] scalars = new double[interpreter.model().scalarNames().size()];
    for (int s = 0; s < scalars.length; s++) {
      scalars[s] = randomScalar(random);
    }
    Object[] expectedStates = java.util.Arrays.copyOfRange(expected, 2, arrayCount);
    Object[] actualStates = java.util.Arrays.copyOfRange(actual, 2, arrayCount);
    interpreter.update(kernel.switches(), expected[0], expected[1], expectedStates, offset, length, scalars);
    kernel.update(actual[0], actual[1], actualStates, offset, length, scalars);
    for (int a = 0; a < arrayCount; a++) {
      for (int i = 0; i < size; i++) {
        if (canonical(expected[a], i) != canonical(actual[a], i)) {
          throw new AssertionError(kernel.getClass().getSimpleName() + ": array " + a + " element " + i + " is "
              + value(actual[a], i) + ", the interpreter gives " + value(expected[a], i) + " (range " + offset + "+"
              + length + ", scalars " + java.util.Arrays.toString(scalars) + ")\n" + spec.source());
        }
      }
    }
  }

  private static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, 0.5, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 1e-40, 65504, 65520,
      6e-8, 1e30, -1e-30, Double.MIN_VALUE, 1e300};

  private static double randomValue(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
      case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
      default -> random.nextGaussian();
    };
  }

  private static double randomScalar(Random random) {
    double value = randomValue(random);
    return Double.isFinite(value) || random.nextInt(4) == 0 ? value : random.nextDouble();
  }

  private static Object randomArray(Random random, DType dtype, int size) {
    switch (dtype) {
      case FLOAT32 -> {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(10) == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) randomValue(random);
        }
        return values;
      }
      case FLOAT64 -> {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(10) == 0 ? Double.longBitsToDouble(random.nextLong()) : randomValue(random);
        }
        return values;
      }
      default -> {
        short[] values = new short[size];
        for (int i = 0; i < size; i++) {
          values[i] = random.nextInt(4) == 0 ? (short) random.nextInt() : Half.fromDouble(randomValue(random));
        }
        return values;
      }
    }
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

  private static long canonical(Object array, int i) {
    if (array instanceof float[] f) {
      return Float.floatToIntBits(f[i]);
    }
    if (array instanceof double[] d) {
      return Double.doubleToLongBits(d[i]);
    }
    short h = ((short[]) array)[i];
    return Half.isNaN(h) ? Half.NaN : h;
  }

  private static String value(Object array, int i) {
    if (array instanceof float[] f) {
      return Float.toString(f[i]);
    }
    if (array instanceof double[] d) {
      return Double.toString(d[i]);
    }
    short h = ((short[]) array)[i];
    return "half 0x" + Integer.toHexString(h & 0xffff) + " (" + Half.toFloat(h) + ")";
  }
}
