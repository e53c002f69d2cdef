package org.optikern.kernel;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * Whether generated SIMD kernels (jdk.incubator.vector) may run: only when the application put the
 * module in the boot layer ({@code --add-modules jdk.incubator.vector}), on a VM with the C2
 * compiler (under C1 alone vector code runs many times slower than scalar), with vectors of at
 * least 128 bits, and unless {@code -Doptikern.vectors=false}. The checks use reflection, so this
 * class loads on any JDK; the decision is logged once. This is the approach Apache Lucene takes.
 */
public final class VectorSupport {
  public static final String PROPERTY = "optikern.vectors";

  private static final System.Logger LOG = System.getLogger("org.optikern");
  private static volatile boolean enabled = decide();

  private VectorSupport() {}

  /** True when SIMD kernels should be chosen over the scalar ones. */
  public static boolean enabled() {
    return enabled;
  }

  /**
   * Whether a SIMD kernel for {@code dtype} beats the scalar one, SIMD being enabled. For float16,
   * not from JDK 21, where {@link Half} uses the JDK's own conversions and C2 vectorizes the scalar
   * kernels' loops with the hardware's conversion instructions, faster than converting in int lanes
   * (JDK 25, float16 Signum at 16M elements: 0.4 against about 1.7 ns per element).
   */
  public static boolean prefersVectors(DType dtype) {
    return enabled && (dtype != DType.FLOAT16 || !SCALAR_HALF_LOOPS_VECTORIZE);
  }

  private static final boolean SCALAR_HALF_LOOPS_VECTORIZE =
      Half.usesJdkConversions() && Runtime.version().feature() >= 21;

  /** Called when a SIMD kernel fails to link: from then on every choice is scalar. */
  public static void disable(Throwable why) {
    if (enabled) {
      enabled = false;
      LOG.log(Level.WARNING, "Optikern: SIMD kernels failed to load (" + why + "); using scalar kernels");
    }
  }

  private static boolean decide() {
    String reason = reasonAgainst();
    if (reason == null) {
      LOG.log(Level.INFO, "Optikern: SIMD kernels enabled (" + vectorBits() + "-bit vectors)");
      return true;
    }
    LOG.log(Level.INFO, "Optikern: scalar kernels (" + reason + ")");
    return false;
  }

  private static String reasonAgainst() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return "-D" + PROPERTY + "=false";
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "for SIMD kernels, run with --add-modules jdk.incubator.vector";
    }
    if (!hasC2()) {
      return "SIMD kernels need the C2 compiler; this VM runs without it";
    }
    int bits = vectorBits();
    if (bits < 128) {
      return "preferred vectors are " + bits + " bits; SIMD kernels need at least 128";
    }
    return null;
  }

  private static boolean hasC2() {
    String vm = System.getProperty("java.vm.name", "");
    if (vm.contains("Client")) {
      return false;
    }
    try {
      List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
      return args.stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")
          || a.equals("-XX:-UseC2") || a.equals("-Xint"));
    } catch (RuntimeException | LinkageError noManagement) {
      return true;
    }
  }

  private static int vectorBits() {
    try {
      Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
      Object preferred = shape.getMethod("preferredShape").invoke(null);
      return (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return 0;
    }
  }
}
