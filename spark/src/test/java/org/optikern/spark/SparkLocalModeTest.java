package org.optikern.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Spark 3.5 starts in local mode on this JVM with the module's argLine, and runs a job on two cores. */
class SparkLocalModeTest {
  @Test
  void aJobRunsOnTwoLocalCores() {
    SparkRunsHere.assumeSparkStarts();
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("optikern-spark-smoke")
        .set("spark.ui.enabled", "false");
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      long sum = spark.parallelize(List.of(1, 2, 3, 4, 5, 6, 7), 2).map(x -> (long) x * x).reduce(Long::sum);
      assertEquals(140L, sum);
    }
  }
}
