package org.optikern.spark;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether Spark 3.5 can start on this JVM. From JDK 24 it cannot: its Hadoop client (3.3) asks
 * {@code Subject.getSubject}, which throws there since the Security Manager was removed (JEP 486),
 * and Spark 3.5 supports Java 8, 11 and 17. Tests that start Spark are then skipped with this
 * reason, not passed; the packing and voting tests, which need no Spark, still run.
 */
final class SparkRunsHere {
  private SparkRunsHere() {}

  static void assumeSparkStarts() {
    Assumptions.assumeTrue(Runtime.version().feature() < 24, "Spark 3.5 cannot start on JDK "
        + Runtime.version().feature() + ": its Hadoop client calls Subject.getSubject, which throws from JDK 24 "
        + "(JEP 486); Spark 3.5 supports Java 8, 11 and 17");
  }
}
