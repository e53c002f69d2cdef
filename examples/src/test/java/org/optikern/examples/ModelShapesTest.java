package org.optikern.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The published parameter counts: ResNet-50 v1 25,557,032 (torchvision), BERT-base uncased 109,482,240. */
class ModelShapesTest {
  @Test
  void resNet50HasItsPublishedParameterCount() {
    List<Integer> sizes = ModelShapes.resnet50();
    assertEquals(161, sizes.size());
    assertEquals(25_557_032L, sizes.stream().mapToLong(Integer::longValue).sum());
    assertEquals(64, sizes.stream().mapToInt(Integer::intValue).min().orElseThrow());
  }

  @Test
  void bertBaseHasItsPublishedParameterCount() {
    List<Integer> sizes = ModelShapes.bertBase();
    assertEquals(199, sizes.size());
    assertEquals(109_482_240L, sizes.stream().mapToLong(Integer::longValue).sum());
  }
}
