package org.optikern.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link OptimizerBoundBenchmark} for every listed optimizer registered in this build (the
 * others are named and skipped) and prints its paired ratios as markdown tables for BENCHMARKS.md:
 * per optimizer its variant, its passes with the arrays each reads and writes, ns per element of
 * the update and of its same-traffic loops, their ratio, the target and whether it is met;
 * then the same on every core. Any JMH option may be passed ({@code -p optimizer=adam,lamb
 * -p cores=1 -wi 2 -i 3}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.optikern.benchmarks.OptimizerBoundReport
 * </pre>
 */
public final class OptimizerBoundReport {
  /** Issue 18: an elementwise update within 1.2x of its same-traffic loop. */
  static final double ELEMENTWISE_TARGET = 1.2;
  /** Issue 18: an update with reductions (LAMB, LARS) within 1.3x of the traffic of its passes. */
  static final double REDUCING_TARGET = 1.3;
  /** Issue 18: SGLD's step within 2x of Adam's. */
  static final double SGLD_TARGET = 2.0;

  private OptimizerBoundReport() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    CommandLineOptions commandLine = new CommandLineOptions(args);
    Set<String> unlisted = OptimizerBoundBenchmark.unlistedOptimizers();
    if (!unlisted.isEmpty()) {
      System.err.println("Registered optimizers missing from OptimizerBoundBenchmark's list: " + unlisted
          + "; add them to OwnBound's @Param");
      System.exit(1);
    }
    Set<String> registered = OptimizerTraffic.registeredOptimizers();
    org.openjdk.jmh.util.Optional<Collection<String>> asked = commandLine.getParameter("optimizer");
    List<String> wanted = asked.hasValue() ? List.copyOf(asked.get()) : OptimizerBoundBenchmark.listedOptimizers();
    List<String> run = new ArrayList<>();
    for (String name : wanted) {
      if (registered.contains(name)) {
        run.add(name);
      } else {
        System.out.println("Skipping " + name + ": not registered in this build");
      }
    }
    String benchmark = OptimizerBoundBenchmark.class.getName();
    List<RunResult> results = new ArrayList<>(new Runner(new OptionsBuilder().parent(commandLine)
        .include(benchmark + ".ownBound").param("optimizer", run.toArray(String[]::new)).build()).run());
    if (run.contains("sgld") && run.contains("adam")) {
      results.addAll(new Runner(new OptionsBuilder().parent(commandLine)
          .include(benchmark + ".sgldAgainstAdam").build()).run());
    }
    System.out.println();
    System.out.println(report(results, wanted, registered));
  }

  /** The measured pairs of one run, by benchmark method, {@code cores} and optimizer. */
  record Pairs(Map<String, Measured> own, Map<String, Measured> sgldAgainstAdam) {
    static Pairs of(Collection<RunResult> results) {
      Map<String, Measured> own = new LinkedHashMap<>();
      Map<String, Measured> sgld = new LinkedHashMap<>();
      for (RunResult r : results) {
        Measured m = Measured.of(r);
        String cores = r.getParams().getParam("cores");
        if (r.getParams().getBenchmark().endsWith("sgldAgainstAdam")) {
          sgld.put(cores, m);
        } else {
          own.put(r.getParams().getParam("optimizer") + "|" + cores, m);
        }
      }
      return new Pairs(own, sgld);
    }

    Optional<Measured> own(String optimizer, String cores) {
      return Optional.ofNullable(own.get(optimizer + "|" + cores));
    }
  }

  /** One pair's sums: ns per element of each side, per call. */
  record Measured(double subjectNanosPerElement, double referenceNanosPerElement) {
    static Measured of(RunResult r) {
      double pairs = r.getSecondaryResults().get("pairs").getScore();
      double perElement = pairs * OptimizerBoundBenchmark.SIZE;
      return new Measured(r.getSecondaryResults().get("subjectNanos").getScore() / perElement,
          r.getSecondaryResults().get("referenceNanos").getScore() / perElement);
    }

    double ratio() {
      return subjectNanosPerElement / referenceNanosPerElement;
    }
  }

  static String report(Collection<RunResult> results, List<String> listed, Set<String> registered) {
    Pairs pairs = Pairs.of(results);
    StringBuilder out = new StringBuilder();
    out.append(String.format("Machine: %s, %d cores; JDK %s (%s, %s); %s%n%n", RatioReport.cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.vendor"), LocalDate.now()));
    out.append("One core (`setParallelism(1)`), float32, 16,777,216 elements, paired:\n\n");
    out.append("| optimizer | variant | passes: arrays read/written | update, ns/elem | same traffic, ns/elem "
        + "| ratio | target | met? |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    List<String> notRegistered = new ArrayList<>();
    for (String name : listed) {
      if (!registered.contains(name)) {
        notRegistered.add(name);
        continue;
      }
      OptimizerTraffic traffic = OptimizerTraffic.of(name).orElseThrow();
      Optional<Measured> one = pairs.own(name, "1");
      if (one.isEmpty()) {
        continue;
      }
      Measured m = one.get();
      String target;
      String met;
      if (name.equals("sgld")) {
        Optional<Measured> againstAdam = Optional.ofNullable(pairs.sgldAgainstAdam().get("1"));
        target = String.format("<= %.1fx Adam's step: %s", SGLD_TARGET,
            againstAdam.map(a -> String.format("%.2fx", a.ratio())).orElse("not measured"));
        met = againstAdam.map(a -> a.ratio() <= SGLD_TARGET ? "yes" : "no").orElse("-");
      } else {
        double limit = traffic.reduces() ? REDUCING_TARGET : ELEMENTWISE_TARGET;
        target = String.format("<= %.1fx", limit);
        met = m.ratio() <= limit ? "yes" : "no";
      }
      out.append(String.format("| %s | %s | %s | %.3f | %.3f | %.2fx | %s | %s |%n", name,
          traffic.variant() + (traffic.note().isEmpty() ? "" : " (" + traffic.note() + ")"), traffic.passText(),
          m.subjectNanosPerElement(), m.referenceNanosPerElement(), m.ratio(), target, met));
    }
    if (!notRegistered.isEmpty()) {
      out.append("\nListed but not registered in this build (skipped): ").append(String.join(", ", notRegistered))
          .append('\n');
    }
    out.append("\nEvery core (the default parallelism; updates with a reduction run in one call), the same-traffic "
        + "loops in one share per core, paired:\n\n");
    out.append("| optimizer | update, ns/elem | same traffic, ns/elem | ratio | update's speedup over one core |\n");
    out.append("|---|---|---|---|---|\n");
    for (String name : listed) {
      Optional<Measured> all = pairs.own(name, "all");
      if (all.isEmpty()) {
        continue;
      }
      Measured m = all.get();
      String speedup = pairs.own(name, "1").map(one -> String.format("%.2fx",
          one.subjectNanosPerElement() / m.subjectNanosPerElement())).orElse("-");
      out.append(String.format("| %s | %.3f | %.3f | %.2fx | %s |%n", name, m.subjectNanosPerElement(),
          m.referenceNanosPerElement(), m.ratio(), speedup));
    }
    pairs.sgldAgainstAdam().forEach((cores, m) -> out.append(String.format(
        "%nSGLD against Adam, paired, cores %s: %.3f against %.3f ns/elem, %.2fx", cores,
        m.subjectNanosPerElement(), m.referenceNanosPerElement(), m.ratio())));
    return out.append('\n').toString();
  }
}
