package org.optikern.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The shape of a state array, from the weight's: the same, or one value per row or per column of
 * the weight's 2-D view. The view of a weight of shape {@code [d0, ..., dk]} (k >= 1) has
 * {@code d0*...*d(k-1)} rows of {@code dk} columns, element {@code i} at row {@code i / dk} and
 * column {@code i % dk}; a row state has shape {@code [d0, ..., d(k-1)]}, a column state {@code [dk]}.
 */
public enum StateShape {
  /** The weight's shape. */
  FULL(""),
  /** One value per row: the weight's shape without its last dimension. */
  ROWS("rows"),
  /** One value per column: the weight's last dimension. */
  COLUMNS("columns");

  /** How {@code @State(shape = ...)} spells it. */
  public final String spelling;

  StateShape(String spelling) {
    this.spelling = spelling;
  }

  public static Optional<StateShape> spelled(String text) {
    return Arrays.stream(values()).filter(s -> s.spelling.equals(text.strip().toLowerCase(Locale.ROOT))
        && s.spelling.equals(text.strip())).findFirst();
  }

  /** The shape of such a state for a weight of shape {@code weight} (of two or more dimensions unless FULL). */
  public int[] of(int[] weight) {
    return switch (this) {
      case FULL -> weight.clone();
      case ROWS -> Arrays.copyOf(weight, weight.length - 1);
      case COLUMNS -> new int[] {weight[weight.length - 1]};
    };
  }
}
