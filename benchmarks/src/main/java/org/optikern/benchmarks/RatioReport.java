package org.optikern.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.VectorSupport;
import org.optikern.tensor.Half;

/**
 * Runs the kernel and baseline benchmarks in one JMH run and prints ns per element and ratios
 * measured in that same run (the machines are shared and noisy: absolute numbers from different
 * runs do not compare). Any JMH option may be passed, e.g. {@code -wi 2 -i 3 -p size=4096}.
 */
public final class RatioReport {
  private RatioReport() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions commandLine = new CommandLineOptions(args);
    List<RunResult> results = new ArrayList<>();
    results.addAll(new Runner(new OptionsBuilder().parent(commandLine)
        .include(BaselineBenchmark.class.getSimpleName()).build()).run());
    results.addAll(new Runner(new OptionsBuilder().parent(commandLine)
        .include(SignumKernelBenchmark.class.getSimpleName()).param("backend", "scalar").build()).run());
    results.addAll(new Runner(new OptionsBuilder().parent(commandLine)
        .include(SignumKernelBenchmark.class.getSimpleName()).param("backend", "simd").build()).run());
    Collection<RunResult> parallel = new Runner(new OptionsBuilder().parent(commandLine)
        .include(ParallelBenchmark.class.getSimpleName()).build()).run();
    Collection<RunResult> paired = new Runner(new OptionsBuilder().parent(commandLine)
        .include(PairedBenchmark.class.getSimpleName()).build()).run();
    System.out.println();
    System.out.println(report(results));
    System.out.println(pairedReport(paired));
    System.out.println(parallelReport(parallel));
  }

  static String report(Collection<RunResult> results) {
    Map<Integer, Map<String, Double>> baselines = new TreeMap<>();
    Map<String, Double> kernels = new TreeMap<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      int size = Integer.parseInt(r.getParams().getParam("size"));
      double nsPerElement = r.getPrimaryResult().getScore() / size;
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      if (benchmark.contains(BaselineBenchmark.class.getSimpleName())) {
        baselines.computeIfAbsent(size, s -> new HashMap<>()).put(method, nsPerElement);
      } else {
        String variant = (Boolean.parseBoolean(r.getParams().getParam("momentum")) ? "momentum" : "no momentum")
            + (Boolean.parseBoolean(r.getParams().getParam("clipped")) ? ", clipped" : ", unclipped")
            + ("simd".equals(r.getParams().getParam("backend")) ? ", SIMD" : "");
        kernels.put(String.format("%010d %-7s %s", size, r.getParams().getParam("dtype"), variant), nsPerElement);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("Machine: %s, %d cores; JDK %s (%s); %s%n", cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        LocalDate.now()));
    out.append(String.format("Half conversions: %s; sign and clip: %s%n",
        Half.usesJdkConversions() ? "the JDK's (Float.float16ToFloat, floatToFloat16)" : "portable (table, integer rounding)",
        KernelMath.usesSignum() ? "(int) Math.signum(x), signum(x) * min(|x|, b)" : "int selections, min(max(x, -b), b)"));
    out.append("ns per element; ratios from the same run. bound = same-traffic float32 loop without sign.\n\n");
    out.append(String.format("%-9s %-8s %-32s %9s %9s %11s %13s%n", "size", "dtype", "variant", "ns/elem",
        "x bound", "vs obvious", "vs interpreter"));
    for (Map.Entry<String, Double> e : kernels.entrySet()) {
      String key = e.getKey();
      int size = Integer.parseInt(key.substring(0, 10));
      Map<String, Double> base = baselines.getOrDefault(size, Map.of());
      double ns = e.getValue();
      out.append(String.format("%-9d %-8s %-32s %9.3f %9s %11s %13s%n", size, key.substring(11, 18).trim(),
          key.substring(19), ns, ratio(ns, base.get("sameTrafficNoSign")), speedup(base.get("obviousScalarLoop"), ns),
          speedup(base.get("interpreter"), ns)));
    }
    out.append('\n').append(targets(kernels, baselines)).append('\n');
    for (Map.Entry<Integer, Map<String, Double>> e : baselines.entrySet()) {
      e.getValue().forEach((method, ns) -> out.append(String.format("baseline %-9d %-20s %9.3f ns/elem%n", e.getKey(),
          method, ns)));
    }
    return out.toString();
  }

  /** The targets of issue 4, from this run's numbers; "chosen" is the kernel {@code select} picks with the vector module. */
  static String targets(Map<String, Double> kernels, Map<Integer, Map<String, Double>> baselines) {
    int large = 16777216;
    int cached = 262144;
    StringBuilder out = new StringBuilder("Targets from the table above (momentum; clipped / unclipped), kernel and "
        + "reference measured minutes apart:\n");
    for (String backend : new String[] {"", ", SIMD"}) {
      String name = backend.isEmpty() ? "scalar" : "SIMD";
      Double bound = baselines.getOrDefault(large, Map.of()).get("sameTrafficNoSign");
      Double obvious = baselines.getOrDefault(cached, Map.of()).get("obviousScalarLoop");
      out.append(String.format("  float32 %-6s at 16M, x bound (<= 1.15x):           %s / %s%n", name,
          ratio(kernel(kernels, large, "FLOAT32", "momentum, clipped" + backend), bound),
          ratio(kernel(kernels, large, "FLOAT32", "momentum, unclipped" + backend), bound)));
      out.append(String.format("  float32 %-6s at 256K, faster than obvious (>= 4x): %s / %s%n", name,
          speedupOf(obvious, kernel(kernels, cached, "FLOAT32", "momentum, clipped" + backend)),
          speedupOf(obvious, kernel(kernels, cached, "FLOAT32", "momentum, unclipped" + backend))));
    }
    // what select() chooses with the vector module (VectorSupport.prefersVectors)
    String halfBackend = VectorSupport.scalarHalfLoopsVectorize() ? "" : ", SIMD";
    for (String clipping : new String[] {"clipped", "unclipped"}) {
      Double half = kernel(kernels, large, "FLOAT16", "momentum, " + clipping + halfBackend);
      Double single = kernel(kernels, large, "FLOAT32", "momentum, " + clipping + ", SIMD");
      Double halfScalar = kernel(kernels, large, "FLOAT16", "momentum, " + clipping);
      Double singleScalar = kernel(kernels, large, "FLOAT32", "momentum, " + clipping);
      out.append(String.format("  float16 / float32 at 16M, %-9s (<= 1x): chosen kernels %s, scalar kernels %s%n", clipping,
          ratio(half, single), ratio(halfScalar, singleScalar)));
    }
    return out.toString();
  }

  private static Double kernel(Map<String, Double> kernels, int size, String dtype, String variant) {
    return kernels.get(String.format("%010d %-7s %s", size, dtype, variant));
  }

  private static String ratio(Double ns, Double bound) {
    return ns == null ? "-" : ratio(ns.doubleValue(), bound);
  }

  private static String speedupOf(Double baseline, Double ns) {
    return ns == null ? "-" : speedup(baseline, ns.doubleValue());
  }

  /** Each pair's subject time over its reference time, both summed over the same alternating calls. */
  static String pairedReport(Collection<RunResult> results) {
    StringBuilder out = new StringBuilder("Targets, paired (subject and reference alternating in one fork):\n");
    for (RunResult r : results) {
      String[] pair = r.getParams().getParam("pair").split("\\|");
      double subject = r.getSecondaryResults().get("subjectNanos").getScore();
      double reference = r.getSecondaryResults().get("referenceNanos").getScore();
      String size = pair[2].equals("16777216") ? "16M" : pair[2].equals("262144") ? "256K" : pair[2];
      out.append(String.format("  %-34s / %-34s at %-4s %6.2fx%s%n", pair[0], pair[1], size, subject / reference,
          pair[1].equals("obvious") ? String.format(" (%.1fx faster)", reference / subject) : ""));
    }
    return out.toString();
  }

  /** One call versus chunks on all cores, per size and back end. */
  static String parallelReport(Collection<RunResult> results) {
    Map<String, Double> oneCall = new TreeMap<>();
    Map<String, Double> chunks = new TreeMap<>();
    for (RunResult r : results) {
      int size = Integer.parseInt(r.getParams().getParam("size"));
      String key = String.format("%010d %s", size, r.getParams().getParam("backend"));
      double ns = r.getPrimaryResult().getScore() / size;
      (r.getParams().getBenchmark().endsWith("oneCall") ? oneCall : chunks).put(key, ns);
    }
    StringBuilder out = new StringBuilder("float32 Signum (momentum, unclipped): one call vs chunks on all "
        + Runtime.getRuntime().availableProcessors() + " cores, ns/elem\n");
    oneCall.forEach((key, ns) -> {
      Double split = chunks.get(key);
      out.append(String.format("%-9d %-7s one call %7.3f   chunks %7s   speedup %s%n", Integer.parseInt(key.substring(0, 10)),
          key.substring(11), ns, split == null ? "-" : String.format("%.3f", split),
          split == null ? "-" : String.format("%.2fx", ns / split)));
    });
    return out.toString();
  }

  private static String ratio(double ns, Double bound) {
    return bound == null ? "-" : String.format("%.2fx", ns / bound);
  }

  private static String speedup(Double baseline, double ns) {
    return baseline == null ? "-" : String.format("%.1fx", baseline / ns);
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException unavailable) {
      // not Linux: the architecture will do
    }
    return System.getProperty("os.arch");
  }
}
