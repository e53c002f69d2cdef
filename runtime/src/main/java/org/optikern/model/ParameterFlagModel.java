package org.optikern.model;

import java.util.List;

/** A per-parameter flag: 1 when the parameter's name ends in one of {@code suffixes}. */
public record ParameterFlagModel(String name, List<String> suffixes) {
  public ParameterFlagModel {
    suffixes = List.copyOf(suffixes);
  }
}
