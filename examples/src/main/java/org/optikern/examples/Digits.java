package org.optikern.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The 1797 handwritten 8x8 digits, pixels scaled to [0, 1], split into training and held-out sets.
 * Public for the Spark module, which trains on the same data.
 */
public record Digits(float[][] trainX, int[] trainY, float[][] testX, int[] testY) {
  public static final int PIXELS = 64;
  public static final int CLASSES = 10;
  private static final String RESOURCE = "/digits/digits.csv.gz";

  /** Shuffles with {@code seed} and holds out {@code testFraction} of the images. */
  public static Digits load(long seed, double testFraction) {
    List<float[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(",");
        if (fields.length != PIXELS + 1) {
          throw new IllegalStateException("expected 65 fields, found " + fields.length + " in: " + line);
        }
        float[] image = new float[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
          image[p] = Float.parseFloat(fields[p]) / 16f;
        }
        images.add(image);
        labels.add((int) Float.parseFloat(fields[PIXELS]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = images.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, new Random(seed));
    int testCount = (int) Math.round(n * testFraction);
    int trainCount = n - testCount;
    float[][] trainX = new float[trainCount][];
    int[] trainY = new int[trainCount];
    float[][] testX = new float[testCount][];
    int[] testY = new int[testCount];
    for (int i = 0; i < n; i++) {
      if (i < trainCount) {
        trainX[i] = images.get(order[i]);
        trainY[i] = labels.get(order[i]);
      } else {
        testX[i - trainCount] = images.get(order[i]);
        testY[i - trainCount] = labels.get(order[i]);
      }
    }
    return new Digits(trainX, trainY, testX, testY);
  }

  static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }
}
