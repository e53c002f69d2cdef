package org.optikern.optim;

import java.io.IOException;

/** A checkpoint that cannot be loaded: not Optikern's, truncated, corrupted, or from another optimizer. */
public final class InvalidCheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidCheckpointException(String message) {
    super(message);
  }
}
