package org.optikern.model;

import java.util.List;
import org.optikern.lang.Condition;
import org.optikern.lang.Statement;

/** A validated update; {@code when} is null for "always". */
public record UpdateModel(Condition when, String whenSource, List<Statement> statements) {
  public UpdateModel {
    statements = List.copyOf(statements);
  }
}
