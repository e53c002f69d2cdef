package org.optikern.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optikern.kernel.UpdateKernel;
import org.optikern.tensor.Half;

/**
 * The float16 SIMD kernels widen and narrow halfs in int lanes ({@link HalfLanes}); the scalar
 * kernels call {@link Half}. On every half, and on products of halfs (which reach the rounding
 * ties, subnormal results, overflow to infinity and NaN), both must store the same halfs. The
 * random cases of the property suites rarely reach a tie, so this test covers them on purpose.
 */
class HalfLanesTest {
  private static final JavaFileObject SPEC = SpecSources.named("HalfLanesSpec", "@OptimizerSpec(name = \"half_lanes\")",
      "@Update(formulas = \"weight = weight*grad\")");
  private static final double[] SCALARS = {0.01, 0, 1, -1, 1};

  private static UpdateKernel lanes;
  private static UpdateKernel scalar;

  @BeforeAll
  static void compile() throws ReflectiveOperationException {
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(SPEC);
    assertThat(compilation).succeeded();
    ClassLoader loader = new CompiledClassLoader(compilation);
    lanes = (UpdateKernel) loader.loadClass("test.HalfLanesClippedF16VectorKernel").getField("INSTANCE").get(null);
    scalar = (UpdateKernel) loader.loadClass("test.HalfLanesClippedF16Kernel").getField("INSTANCE").get(null);
  }

  @Test
  void everyHalfTimesOneAndOtherFactors() {
    short[] weight = new short[0x10000];
    for (int bits = 0; bits < weight.length; bits++) {
      weight[bits] = (short) bits;
    }
    for (float factor : new float[] {1f, -1f, 0.5f, 3f, 1e-3f, 0x1p-24f, 65504f, 0f, Float.POSITIVE_INFINITY, Float.NaN}) {
      short[] grad = new short[weight.length];
      java.util.Arrays.fill(grad, Half.fromFloat(factor));
      assertSameHalfs(weight, grad, "factor " + factor);
    }
  }

  @Test
  void productsOfRandomHalfs() {
    Random random = new Random(20261125);
    int n = 1 << 20;
    short[] weight = new short[n];
    short[] grad = new short[n];
    for (int i = 0; i < n; i++) {
      weight[i] = (short) random.nextInt();
      // mostly ordinary factors near 1, so that products stay in range and round, with ties among them
      grad[i] = random.nextInt(4) == 0 ? (short) random.nextInt() : Half.fromFloat((float) (1 + random.nextGaussian()));
    }
    assertSameHalfs(weight, grad, "random products");
  }

  private static void assertSameHalfs(short[] weight, short[] grad, String what) {
    short[] expected = weight.clone();
    short[] actual = weight.clone();
    scalar.update(expected, grad, new Object[0], 0, weight.length, SCALARS.clone());
    lanes.update(actual, grad, new Object[0], 0, weight.length, SCALARS.clone());
    for (int i = 0; i < weight.length; i++) {
      // any NaN for a NaN: which payload a NaN * NaN keeps depends on the operand order the JIT chose
      boolean same = expected[i] == actual[i] || (Half.isNaN(expected[i]) && Half.isNaN(actual[i]));
      if (!same) {
        fail(String.format("%s: %04x * %04x gave %04x in int lanes, %04x in the scalar kernel", what,
            weight[i] & 0xffff, grad[i] & 0xffff, actual[i] & 0xffff, expected[i] & 0xffff));
      }
    }
    // the comparison above means something only if the kernels did something (times 1 changes little: NaNs)
    int changed = 0;
    for (int i = 0; i < weight.length; i++) {
      changed += weight[i] != actual[i] ? 1 : 0;
    }
    assertTrue(changed > 0, what + ": no element changed, so nothing was compared");
  }
}
