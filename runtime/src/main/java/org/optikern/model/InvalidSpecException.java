package org.optikern.model;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at run time when a spec read by reflection does not validate. */
public final class InvalidSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  public InvalidSpecException(String specName, List<Diagnostic> diagnostics) {
    super("invalid optimizer spec " + specName + ":\n"
        + diagnostics.stream().map(Diagnostic::message).collect(Collectors.joining("\n")));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
