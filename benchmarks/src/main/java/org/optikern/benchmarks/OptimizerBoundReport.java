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
 * Runs {@link OptimizerBoundBenchmark} for every optimizer registered in this build (found as the
 * registry finds them: {@link OptimizerBoundBenchmark#optimizers()}; {@code -p optimizer=...} picks
 * some, and names it does not have are named and skipped) and prints its paired ratios as markdown
 * tables for BENCHMARKS.md: per optimizer its variant, its passes with the arrays each reads and
 * writes, ns per element of the update and of its same-traffic loops, their ratio, the issue's
 * target and whether it is met; then the same on every core. Every registered optimizer asked for
 * has a row: one whose plan cannot be mapped to same-traffic loops shows its update's time and why
 * there is no ratio, one whose benchmark failed says so. Any JMH option may be passed
 * ({@code -p optimizer=adam,lamb -p cores=1 -p shape=16777216 -wi 2 -i 3}).
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
    Set<String> registered = OptimizerTraffic.registeredOptimizers();
    org.openjdk.jmh.util.Optional<Collection<String>> asked = commandLine.getParameter("optimizer");
    List<String> wanted = asked.hasValue() && !asked.get().contains(OptimizerBoundBenchmark.EVERY)
        ? List.copyOf(asked.get()) : OptimizerBoundBenchmark.optimizers();
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
    org.openjdk.jmh.util.Optional<Collection<String>> shapes = commandLine.getParameter("shape");
    System.out.println();
    System.out.println(report(results, wanted, registered,
        shapes.hasValue() ? List.copyOf(shapes.get()) : List.of(OptimizerBoundBenchmark.SHAPE)));
  }

  /** The measured pairs of one run, by benchmark method, {@code cores}, {@code shape} and optimizer. */
  record Pairs(Map<String, Measured> own, Map<String, Measured> sgldAgainstAdam) {
    static Pairs of(Collection<RunResult> results) {
      Map<String, Measured> own = new LinkedHashMap<>();
      Map<String, Measured> sgld = new LinkedHashMap<>();
      for (RunResult r : results) {
        Measured m = Measured.of(r);
        String cores = r.getParams().getParam("cores");
        String shape = r.getParams().getParam("shape");
        if (r.getParams().getBenchmark().endsWith("sgldAgainstAdam")) {
          sgld.put(cores + "|" + shape, m);
        } else {
          own.put(r.getParams().getParam("optimizer") + "|" + cores + "|" + shape, m);
        }
      }
      return new Pairs(own, sgld);
    }

    Optional<Measured> own(String optimizer, String cores, String shape) {
      return Optional.ofNullable(own.get(optimizer + "|" + cores + "|" + shape));
    }
  }

  /** One pair's sums: ns per element of each side, per call. */
  record Measured(double subjectNanosPerElement, double referenceNanosPerElement) {
    static Measured of(RunResult r) {
      double pairs = r.getSecondaryResults().get("pairs").getScore();
      double perElement = pairs * OptimizerBoundBenchmark.size(r.getParams().getParam("shape"));
      return new Measured(r.getSecondaryResults().get("subjectNanos").getScore() / perElement,
          r.getSecondaryResults().get("referenceNanos").getScore() / perElement);
    }

    double ratio() {
      return subjectNanosPerElement / referenceNanosPerElement;
    }
  }

  static String report(Collection<RunResult> results, List<String> listed, Set<String> registered,
      List<String> shapes) {
    Pairs pairs = Pairs.of(results);
    StringBuilder out = new StringBuilder();
    out.append(String.format("Machine: %s, %d cores; JDK %s (%s, %s); %s%n", RatioReport.cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.vendor"), LocalDate.now()));
    List<String> notRegistered = listed.stream().filter(n -> !registered.contains(n)).toList();
    List<String> names = listed.stream().filter(registered::contains).toList();
    for (String shape : shapes) {
      Map<String, String> problems = new LinkedHashMap<>();
      for (String name : names) {
        problems.put(name, OptimizerBoundBenchmark.sameTrafficProblem(name, shape));
      }
      out.append(String.format("%nOne core (`setParallelism(1)`), float32, shape %s (%,d elements), paired:%n%n",
          shape, OptimizerBoundBenchmark.size(shape)));
      out.append("| optimizer | variant | passes: arrays read/written | update, ns/elem | same traffic, ns/elem "
          + "| ratio | target | met? |\n");
      out.append("|---|---|---|---|---|---|---|---|\n");
      for (String name : names) {
        out.append(row(name, pairs.own(name, "1", shape), problems.get(name),
            name.equals("sgld") ? Optional.of(Optional.ofNullable(pairs.sgldAgainstAdam().get("1|" + shape)))
                : Optional.empty()));
      }
      if (!notRegistered.isEmpty()) {
        out.append("\nAsked for but not registered in this build (skipped): ").append(String.join(", ", notRegistered))
            .append('\n');
      }
      boolean anyAll = names.stream().anyMatch(name -> pairs.own(name, "all", shape).isPresent());
      if (anyAll) {
        out.append("\nEvery core (the default parallelism; updates with a reduction run in one call), the "
            + "same-traffic loops in one share per core, paired:\n\n");
        out.append("| optimizer | update, ns/elem | same traffic, ns/elem | ratio | update's speedup over one core |\n");
        out.append("|---|---|---|---|---|\n");
      }
      for (String name : names) {
        Optional<Measured> all = pairs.own(name, "all", shape);
        if (all.isEmpty()) {
          if (anyAll) {
            out.append(String.format("| %s | - | - | - | not measured: no result, its benchmark failed |%n", name));
          }
          continue;
        }
        Measured m = all.get();
        String speedup = pairs.own(name, "1", shape).map(one -> String.format("%.2fx",
            one.subjectNanosPerElement() / m.subjectNanosPerElement())).orElse("-");
        boolean noLoop = !problems.get(name).isEmpty();
        out.append(String.format("| %s | %.3f | %s | %s | %s |%n", name, m.subjectNanosPerElement(),
            noLoop ? "- (no same-traffic loop)" : String.format("%.3f", m.referenceNanosPerElement()),
            noLoop ? "-" : String.format("%.2fx", m.ratio()), speedup));
      }
      for (String cores : List.of("1", "all")) {
        Measured m = pairs.sgldAgainstAdam().get(cores + "|" + shape);
        if (m != null) {
          out.append(String.format("%nSGLD against Adam, paired, cores %s: %.3f against %.3f ns/elem, %.2fx", cores,
              m.subjectNanosPerElement(), m.referenceNanosPerElement(), m.ratio()));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * One optimizer's row of the one-core table. Every registered optimizer has one: without a
   * measurement it says the benchmark failed; without a same-traffic loop ({@code problem} not
   * empty) it gives the update's time and why there is no ratio.
   *
   * @param sgldAgainstAdam for SGLD, its pair against Adam (empty inside when not measured)
   */
  static String row(String name, Optional<Measured> measured, String problem,
      Optional<Optional<Measured>> sgldAgainstAdam) {
    Optional<OptimizerTraffic> traffic = OptimizerTraffic.lookup(name).flatMap(OptimizerTraffic.Lookup::traffic);
    String variant = traffic.map(t -> t.variant() + (t.note().isEmpty() ? "" : " (" + t.note() + ")")).orElse("-");
    String passes = traffic.map(OptimizerTraffic::passText).orElse("-");
    String update = measured.map(m -> String.format("%.3f", m.subjectNanosPerElement())).orElse("-");
    if (measured.isEmpty()) {
      return String.format("| %s | %s | %s | - | - | - | - | not measured: no result, its benchmark failed (see the "
          + "run's output)%s |%n", name, variant, passes, problem.isEmpty() ? "" : "; " + problem);
    }
    if (!problem.isEmpty()) {
      return String.format("| %s | %s | %s | %s | - | - | - | no same-traffic loop, the update alone measured: %s |%n",
          name, variant, passes, update, problem.replace("|", "\\|"));
    }
    Measured m = measured.get();
    String target;
    String met;
    if (sgldAgainstAdam.isPresent()) {
      Optional<Measured> againstAdam = sgldAgainstAdam.get();
      target = String.format("<= %.1fx Adam's step: %s", SGLD_TARGET,
          againstAdam.map(a -> String.format("%.2fx", a.ratio())).orElse("not measured"));
      met = againstAdam.map(a -> a.ratio() <= SGLD_TARGET ? "yes" : "no").orElse("-");
    } else {
      double limit = traffic.get().reduces() ? REDUCING_TARGET : ELEMENTWISE_TARGET;
      target = String.format("<= %.1fx", limit);
      met = m.ratio() <= limit ? "yes" : "no";
    }
    return String.format("| %s | %s | %s | %s | %.3f | %.2fx | %s | %s |%n", name, variant, passes, update,
        m.referenceNanosPerElement(), m.ratio(), target, met);
  }
}
