package org.optikern.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The DJL demo trains: a few epochs of Signum on PyTorch reach a held-out accuracy a broken update could not. */
class DjlDigitsDemoTest {

  @Test
  void signumOnPyTorchLearnsTheDigits() throws Exception {
    TestEngines.require("PyTorch");
    String output = run("--epochs", "4");
    Matcher accuracy = Pattern.compile("Held-out accuracy after 4 epochs: ([0-9.]+)%").matcher(output);
    assertTrue(accuracy.find(), output);
    assertTrue(Double.parseDouble(accuracy.group(1)) > 90, output);
    assertTrue(output.contains("epoch  4/4  train loss"), output);
  }

  @Test
  void unknownOptionsAndEnginesAreNamed() {
    IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
        () -> DemoOptions.parse(new String[] {"--epoch", "3"}));
    assertTrue(option.getMessage().contains("--epoch"), option.getMessage());
    IllegalArgumentException engine = assertThrows(IllegalArgumentException.class,
        () -> DemoOptions.parse(new String[] {"--engine", "TensorFlow"}));
    assertTrue(engine.getMessage().contains("TensorFlow"), engine.getMessage());
  }

  private static String run(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      DjlDigitsDemo.main(args);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.println(output.replace('\r', '\n'));
    return output;
  }
}
