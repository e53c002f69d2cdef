package org.optikern.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The main job, shortened: the loss goes down and the interpreter check passes. */
class DigitsDemoTest {
  /** What the demo prints with these arguments. */
  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      DigitsDemo.main(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void trainingLowersTheLossAndMatchesTheInterpreter() {
    String output = run("--epochs", "5");
    Matcher losses = Pattern.compile("train loss (\\d+\\.\\d+)").matcher(output);
    double first = -1;
    double last = -1;
    while (losses.find()) {
      double loss = Double.parseDouble(losses.group(1));
      first = first < 0 ? loss : first;
      last = loss;
    }
    assertTrue(first > 1.5 && last < 0.5 * first, "loss from " + first + " to " + last + ":\n" + output);
    assertTrue(output.contains("0 of 2410 weights differ"), output);
    assertTrue(output.contains("[####################]"), "progress is shown:\n" + output);
  }

  /** Any registered optimizer trains the same net, generated and interpreted bit for bit: LAMB, with its reductions. */
  @Test
  void anotherOptimizerByName() {
    String output = run("--optimizer", "lamb", "--lr", "0.01", "--epochs", "3");
    assertTrue(output.contains("optimizer: lamb (org.optikern.optimizers.Lamb)"), output);
    assertTrue(output.contains("0 of 2410 weights differ"), output);
  }
}
