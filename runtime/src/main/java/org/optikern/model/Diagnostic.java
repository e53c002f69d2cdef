package org.optikern.model;

/**
 * One problem found in a spec. {@code origin} is the origin of the raw part at fault;
 * {@code attribute} names the annotation attribute ({@code "formulas"}, {@code "when"},
 * {@code "name"}, ...) so that the processor can point javac at the value itself. A warning is a
 * legal spec that is probably not what its author meant: it does not stop the model.
 */
public record Diagnostic(String message, Object origin, String attribute, Severity severity) {
  public enum Severity { ERROR, WARNING }

  public Diagnostic(String message, Object origin, String attribute) {
    this(message, origin, attribute, Severity.ERROR);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return message;
  }
}
