package org.optikern.kernel;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
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
   * not from JDK 21 when {@link Half} uses the JDK's own conversions: C2 vectorizes the scalar
   * kernels' loops with the hardware's conversion instructions, faster than converting in int lanes
   * (JDK 25, float16 Signum at 16M elements: 0.4 against about 1.7 ns per element).
   */
  public static boolean prefersVectors(DType dtype) {
    return enabled && (dtype != DType.FLOAT16 || !scalarHalfLoopsVectorize());
  }

  /** Whether C2 vectorizes the scalar float16 kernels: from JDK 21, when {@link Half} uses the JDK's conversions. */
  public static boolean scalarHalfLoopsVectorize() {
    return SCALAR_HALF_LOOPS_VECTORIZE;
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

  /** Caps the SIMD kernels' vector size in bits; they use the smaller of it and the CPU's. */
  public static final String BITS_PROPERTY = "optikern.vectorBits";

  /**
   * The vector size of the SIMD kernels: the CPU's preferred size, capped by
   * {@code -Doptikern.vectorBits} or else by {@link #defaultCap}, and never over {@link #MAX_BITS}.
   * Generated kernels read this once, into their species constants.
   */
  public static int vectorBits() {
    return vectorBits(Preferred.BITS, cap(DefaultCap.BITS));
  }

  /**
   * The widest float32 and float64 twins: a reduction's {@link KernelMath#LANES} partials side by side
   * must fill whole vectors, and 16 float lanes are 512 bits (a CPU with wider vectors, ARM SVE up to
   * 2048 bits, runs them at 512).
   */
  public static final int MAX_BITS = KernelMath.LANES * Float.SIZE;

  static int vectorBits(int preferredBits, int capBits) {
    return Math.min(MAX_BITS, Math.min(preferredBits, capBits));
  }

  /**
   * The cap on float32 and float64 SIMD kernels' vectors when {@code -Doptikern.vectorBits} is not
   * given: 512 bits on an Intel CPU from JDK 25, else 256. The kernels are memory-bound on large
   * arrays, and what wins there was measured on two machines with AVX-512:
   * <ul>
   *   <li>2 cores of an AMD EPYC, JDK 17 and 25: 256-bit kernels ran at the bandwidth bound, 512-bit
   *       ones took 1.1x to 1.4x as long (Java arrays are not 64-byte aligned, so a 64-byte access
   *       splits a cache line);
   *   <li>2 cores of an Intel Xeon, JDK 25, 16M floats on one core: 512-bit kernels took 1.05x to
   *       1.27x of their same-traffic loops against 1.10x to 1.33x for 256-bit ones, and 14 of 17
   *       elementwise optimizers were within 1.2x against 11. There one core does not hide lane
   *       operations behind its memory traffic, and 512-bit vectors halve their number. On JDK 17
   *       the same machine gained for most optimizers but lost for those with divisions and square
   *       roots (FTRL 1.39x to 1.52x, NAdam 1.21x to 1.35x), so 17 keeps 256.
   * </ul>
   * JDKs 18 to 24 were not measured, so they keep 256 too. Every width computes the same bits.
   */
  static int defaultCap(int jdkFeature, Optional<String> cpuVendor) {
    return jdkFeature >= 25 && cpuVendor.filter(CpuVendor.INTEL::equals).isPresent() ? 512 : 256;
  }

  /** {@link #defaultCap} for this JVM and CPU, decided once. */
  private static final class DefaultCap {
    static final int BITS = defaultCap(Runtime.version().feature(), CpuVendor.name());
  }

  /** The CPU's preferred vector size in bits, as the Vector API reports it; 0 without the vector module. */
  public static int preferredBits() {
    return Preferred.BITS;
  }

  /**
   * The vector size of the float16 SIMD kernels: the CPU's preferred size unless
   * {@code -Doptikern.vectorBits} caps it. Their conversions make them bound by arithmetic, not
   * by memory, and there 512-bit vectors were faster (1.5 against 1.7 ns per element, JDK 17).
   */
  public static int halfVectorBits() {
    return Math.min(Preferred.BITS, cap(Integer.MAX_VALUE));
  }

  private static int cap(int byDefault) {
    return Integer.highestOneBit(Math.max(Integer.getInteger(BITS_PROPERTY, byDefault), 64));
  }

  private static boolean decide() {
    String reason = reasonAgainst();
    if (reason == null) {
      LOG.log(Level.INFO, "Optikern: SIMD kernels enabled (" + vectorBits() + "-bit vectors; the CPU's are "
          + Preferred.BITS + ", see -D" + BITS_PROPERTY + ")");
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
    int bits = Preferred.BITS;
    if (bits < 128) {
      return "preferred vectors are " + bits + " bits; SIMD kernels need at least 128";
    }
    if (vectorBits() < 128) {
      return "-D" + BITS_PROPERTY + " is below 128";
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

  /**
   * The CPU's preferred vector size (0 without the module), looked up by reflection once, on first
   * use: every SIMD kernel class asks for it when it loads.
   */
  private static final class Preferred {
    static final int BITS = preferredVectorBits();
  }

  private static int preferredVectorBits() {
    try {
      Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
      Object preferred = shape.getMethod("preferredShape").invoke(null);
      return (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return 0;
    }
  }
}
