package org.optikern.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The element counts of real models' trainable tensors, in the order a framework lists them: what
 * the multi-tensor and DJL benchmarks update in one step.
 */
public final class ModelShapes {
  private ModelShapes() {}

  /** ResNet-50 v1 (161 tensors, 25,557,032 elements): conv weights, batch-norm gammas and betas, the classifier. */
  public static List<Integer> resnet50() {
    List<Integer> sizes = new ArrayList<>(List.of(7 * 7 * 3 * 64, 64, 64));
    int in = 64;
    int[] blocks = {3, 4, 6, 3};
    int[] widths = {64, 128, 256, 512};
    for (int layer = 0; layer < blocks.length; layer++) {
      int width = widths[layer];
      for (int block = 0; block < blocks[layer]; block++) {
        int[][] convs = {{in, width, 1}, {width, width, 3}, {width, 4 * width, 1}};
        for (int[] conv : convs) {
          sizes.addAll(List.of(conv[0] * conv[1] * conv[2] * conv[2], conv[1], conv[1]));
        }
        if (block == 0) { // the projection shortcut
          sizes.addAll(List.of(in * 4 * width, 4 * width, 4 * width));
        }
        in = 4 * width;
      }
    }
    sizes.addAll(List.of(2048 * 1000, 1000));
    return sizes;
  }

  /** BERT-base uncased (199 tensors, 109,482,240 elements): embeddings, 12 encoder layers, the pooler. */
  public static List<Integer> bertBase() {
    int hidden = 768;
    int intermediate = 3072;
    List<Integer> sizes = new ArrayList<>(List.of(30522 * hidden, 512 * hidden, 2 * hidden, hidden, hidden));
    for (int layer = 0; layer < 12; layer++) {
      for (int projection = 0; projection < 4; projection++) { // query, key, value, attention output
        sizes.add(hidden * hidden);
        sizes.add(hidden);
      }
      sizes.addAll(List.of(hidden, hidden)); // attention LayerNorm
      sizes.addAll(List.of(hidden * intermediate, intermediate, intermediate * hidden, hidden));
      sizes.addAll(List.of(hidden, hidden)); // output LayerNorm
    }
    sizes.addAll(List.of(hidden * hidden, hidden)); // pooler
    return sizes;
  }
}
