package org.optikern.djl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;

/** Starts an engine for a test, or skips the test with the reason when this JVM cannot load it. */
final class TestEngines {
  private TestEngines() {}

  /**
   * The engine by DJL name. A JDK newer than 17 on which the engine cannot load its natives skips
   * with the cause printed; on JDK 17, the project's target, a failure to start fails the test.
   */
  static Engine require(String name) {
    try {
      return Engine.getEngine(name);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      if (Runtime.version().feature() == 17) {
        throw e;
      }
      String reason = "engine " + name + " cannot start on JDK " + Runtime.version() + ": " + rootCause(e);
      System.out.println("SKIPPED: " + reason);
      assumeTrue(false, reason);
      throw new AssertionError("unreachable");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.toString();
  }
}
