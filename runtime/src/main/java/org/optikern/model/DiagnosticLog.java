package org.optikern.model;

import java.util.ArrayList;
import java.util.List;
import org.optikern.lang.Span;
import org.optikern.lang.SpecSyntaxException;

/**
 * The diagnostics of one resolution, in the order they were found. Every check of a spec writes
 * into the same log, so the order the author sees is the order the checks run in.
 */
final class DiagnosticLog {
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  void error(String message, Object origin, String attribute) {
    diagnostics.add(new Diagnostic(message, origin, attribute));
  }

  void warning(String message, Object origin, String attribute) {
    diagnostics.add(new Diagnostic(message, origin, attribute, Diagnostic.Severity.WARNING));
  }

  boolean isEmpty() {
    return diagnostics.isEmpty();
  }

  boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  List<Diagnostic> all() {
    return diagnostics;
  }

  /**
   * A problem inside a formula, pointed at: the same layout as a syntax error, so that every
   * message about formula text reads alike.
   */
  static String positioned(String problem, String source, Span span) {
    return new SpecSyntaxException(problem, source, span).getMessage();
  }
}
