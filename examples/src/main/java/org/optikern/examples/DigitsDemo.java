package org.optikern.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.optikern.optim.CosineScheduler;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.LrScheduler;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerDescriptor;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.Tensor;

/**
 * The main job: trains a classifier on 1797 real handwritten digits with the generated Signum,
 * found by name in the registry, and prints the loss going down. Then it trains again from the
 * same start with the interpreter of the same spec and checks that every weight is bit-identical.
 *
 * <pre>
 * options: --optimizer NAME (signum; any registered one: adam, lamb, lion, ...)  --epochs N (30)
 *          --hidden N (32; 0 = softmax regression)  --lr X (0.003 for signum, else the optimizer's default)
 *          --momentum X (0.9, for optimizers that have a momentum)  --wd X (0.0001)  --batch N (32)  --seed N (42)
 *          --no-schedule (constant lr instead of cosine decay)  --no-check (skip the interpreter run)
 * </pre>
 */
public final class DigitsDemo {
  private DigitsDemo() {}

  public static void main(String[] args) {
    Map<String, String> options = parse(args);
    int epochs = Integer.parseInt(options.getOrDefault("epochs", "30"));
    int hidden = Integer.parseInt(options.getOrDefault("hidden", "32"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "32"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    String name = options.getOrDefault("optimizer", "signum");
    OptimizerDescriptor descriptor = Optimizer.create(name).descriptor();
    double lr = options.containsKey("lr") ? Double.parseDouble(options.get("lr"))
        : name.equalsIgnoreCase("signum") ? 0.003 : descriptor.defaultLearningRate();
    Map<String, Object> params = new HashMap<>();
    params.put("learning_rate", lr);
    if (descriptor.hyperparameterNames().contains("momentum")) {
      params.put("momentum", Double.parseDouble(options.getOrDefault("momentum", "0.9")));
    } else if (options.containsKey("momentum")) {
      throw new IllegalArgumentException(name + " has no momentum; its hyperparameters: "
          + descriptor.hyperparameterNames());
    }
    params.put("wd", Double.parseDouble(options.getOrDefault("wd", "0.0001")));
    params.put("rescale_grad", 1.0 / batch);

    Digits digits = Digits.load(seed, 0.2);
    int updatesPerParameter = epochs * ((digits.trainY().length + batch - 1) / batch);
    if (!options.containsKey("no-schedule")) {
      // cosine decay to lr/100 over the whole run, as MXNet's CosineScheduler (not to 0: FTML and Ftrl divide by lr)
      params.put("lr_scheduler", new CosineScheduler(updatesPerParameter, lr, lr / 100, 0, 0,
          LrScheduler.WarmupMode.LINEAR));
      params.remove("learning_rate");
    }
    System.out.printf("Digits: %d training and %d held-out images of 8x8 pixels, 10 classes%n",
        digits.trainY().length, digits.testY().length);
    Mlp model = new Mlp(Digits.PIXELS, hidden, Digits.CLASSES, seed);
    params.put("param_idx2name", indexNames(model.names));
    Optimizer optimizer = Optimizer.create(name, params);
    System.out.printf("Model: %s; optimizer: %s (%s), generated kernels%n",
        hidden == 0 ? "softmax regression" : "MLP 64-" + hidden + "-10 with ReLU", optimizer.name(),
        optimizer.getClass().getName());

    long start = System.nanoTime();
    train(model, optimizer, digits, epochs, batch, seed, true);
    double generatedSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("Held-out accuracy %.1f%% after %d epochs, %.2f s%n", 100 * model.accuracy(digits.testX(),
        digits.testY()), epochs, generatedSeconds);

    if (!options.containsKey("no-check")) {
      Mlp twin = new Mlp(Digits.PIXELS, hidden, Digits.CLASSES, seed);
      if (params.get("lr_scheduler") instanceof CosineScheduler) {
        // schedulers are stateful: the twin run gets a fresh one
        params.put("lr_scheduler", new CosineScheduler(updatesPerParameter, lr, lr / 100, 0, 0,
            LrScheduler.WarmupMode.LINEAR));
      }
      Optimizer interpreted = InterpretedOptimizer.create(name, params);
      start = System.nanoTime();
      train(twin, interpreted, digits, epochs, batch, seed, false);
      double interpretedSeconds = (System.nanoTime() - start) / 1e9;
      int differing = 0;
      int total = 0;
      for (int p = 0; p < model.params.size(); p++) {
        float[] a = model.params.get(p).floatData();
        float[] b = twin.params.get(p).floatData();
        for (int i = 0; i < a.length; i++) {
          total++;
          if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
            differing++;
          }
        }
      }
      System.out.printf("Check: the same training with the spec's interpreter took %.2f s; "
          + "%d of %d weights differ from the generated kernels' (0 = bit-identical)%n", interpretedSeconds,
          differing, total);
      if (differing != 0) {
        throw new IllegalStateException("generated kernels and interpreter disagree on " + differing + " weights");
      }
    }
  }

  private static void train(Mlp model, Optimizer optimizer, Digits digits, int epochs, int batch, long seed,
      boolean report) {
    List<OptimizerState> states = new java.util.ArrayList<>();
    for (int p = 0; p < model.params.size(); p++) {
      states.add(optimizer.createState(p, model.params.get(p)));
    }
    int n = digits.trainY().length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    if (report) {
      System.out.printf("epoch %2d/%d  train loss %.4f  held-out accuracy %5.1f%%%n", 0, epochs,
          model.loss(digits.trainX(), digits.trainY()), 100 * model.accuracy(digits.testX(), digits.testY()));
    }
    for (int epoch = 1; epoch <= epochs; epoch++) {
      Digits.shuffle(order, random);
      for (int from = 0; from < n; from += batch) {
        int[] indices = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batch));
        model.backward(digits.trainX(), digits.trainY(), indices);
        for (int p = 0; p < model.params.size(); p++) {
          optimizer.update(p, model.params.get(p), model.grads.get(p), states.get(p));
        }
      }
      if (report) {
        System.out.printf("epoch %2d/%d  train loss %.4f  held-out accuracy %5.1f%%  %s%n", epoch, epochs,
            model.loss(digits.trainX(), digits.trainY()), 100 * model.accuracy(digits.testX(), digits.testY()),
            progressBar(epoch, epochs));
      }
    }
  }

  private static String progressBar(int done, int total) {
    int width = 20;
    int filled = (int) Math.round((double) width * done / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  private static Map<Integer, String> indexNames(List<String> names) {
    Map<Integer, String> result = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      result.put(i, names.get(i));
    }
    return result;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'; options start with --");
      }
      String key = arg.substring(2);
      if (key.equals("no-check") || key.equals("no-schedule")) {
        options.put(key, "true");
      } else if (i + 1 < args.length) {
        options.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + key + " needs a value");
      }
    }
    return options;
  }
}
