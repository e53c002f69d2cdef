package org.optikern.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.optikern.examples.Digits;

/**
 * The Spark job: trains the demo's digit classifier data-parallel on N workers and prints, per
 * epoch, the loss, the held-out accuracy and what each worker sent per step. The same code runs
 * in local mode (the README's command) and under {@code spark-submit} on a cluster, where the
 * master comes from spark-submit.
 *
 * <pre>
 * options: --algorithm majority-vote|ef-signsgd|all-reduce (majority-vote)  --workers N (4)
 *          --adversaries K (0)  --epochs N (20)  --hidden N (32)  --batch N (32, per worker and step)
 *          --lr X (0.01; 0.5 for ef-signsgd)  --momentum X (0.9; ef-signsgd has none)  --wd X (0)
 *          --wd-lh X (0)  --clip X (0 = off)  --seed N (42)
 *          --fail-once-at-step S (-1: worker 0's task throws once at step S, and Spark retries it)
 * </pre>
 */
public final class SparkDigitsJob {
  private static final Set<String> OPTIONS = Set.of("algorithm", "workers", "adversaries", "epochs", "hidden", "batch",
      "lr", "momentum", "wd", "wd-lh", "clip", "seed", "fail-once-at-step");

  private SparkDigitsJob() {}

  public static void main(String[] args) {
    Map<String, String> options = parse(args);
    String algorithm = options.getOrDefault("algorithm", "majority-vote");
    if (!Set.of("majority-vote", "ef-signsgd", "all-reduce").contains(algorithm)) {
      throw new IllegalArgumentException("--algorithm must be majority-vote, ef-signsgd or all-reduce, found '"
          + algorithm + "'");
    }
    boolean errorFeedback = algorithm.equals("ef-signsgd");
    int workers = Integer.parseInt(options.getOrDefault("workers", "4"));
    TrainingSettings settings = new TrainingSettings(workers,
        Integer.parseInt(options.getOrDefault("adversaries", "0")),
        Integer.parseInt(options.getOrDefault("hidden", "32")),
        Integer.parseInt(options.getOrDefault("batch", "32")),
        Integer.parseInt(options.getOrDefault("epochs", "20")),
        Double.parseDouble(options.getOrDefault("lr", errorFeedback ? "0.5" : "0.01")),
        Double.parseDouble(options.getOrDefault("momentum", errorFeedback ? "0" : "0.9")),
        Double.parseDouble(options.getOrDefault("wd", "0")),
        Double.parseDouble(options.getOrDefault("wd-lh", "0")),
        Double.parseDouble(options.getOrDefault("clip", "0")),
        Long.parseLong(options.getOrDefault("seed", "42")),
        Integer.parseInt(options.getOrDefault("fail-once-at-step", "-1")),
        errorFeedback);
    if (algorithm.equals("all-reduce") && settings.adversaries() > 0) {
      throw new IllegalArgumentException("--adversaries is for majority-vote: a float all-reduce has no vote to invert");
    }

    SparkConf conf = new SparkConf().setAppName("optikern-" + algorithm + "-digits");
    if (!conf.contains("spark.master")) {
      // local mode, one core per worker, and 4 attempts per task as a cluster would allow
      conf.setMaster("local[" + workers + ",4]");
    }
    Digits digits = Digits.load(settings.seed(), 0.2);
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      spark.setLogLevel("WARN");
      System.out.printf("Digits: %d training and %d held-out images; %s on %d workers (%d adversarial), master %s%n",
          digits.trainY().length, digits.testY().length, algorithm, workers, settings.adversaries(), spark.master());
      TrainingResult result = !algorithm.equals("all-reduce")
          ? MajorityVoteTraining.train(spark, digits, settings, line -> System.out.println(line.line(settings.epochs())))
          : AllReduceTraining.train(spark, digits, settings, line -> System.out.println(line.line(settings.epochs())));
      long identical = result.replicasIdenticalToDriver();
      System.out.printf("Replicas: %d of %d bit-identical to the driver's weights%n", identical, workers);
      if (identical != workers) {
        throw new IllegalStateException((workers - identical) + " replicas drifted from the driver's weights");
      }
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || !OPTIONS.contains(arg.substring(2))) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; options: --" + String.join(", --",
            OPTIONS.stream().sorted().toList()));
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
      options.put(arg.substring(2), args[++i]);
    }
    return options;
  }
}
