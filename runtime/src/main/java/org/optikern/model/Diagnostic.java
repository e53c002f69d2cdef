package org.optikern.model;

/**
 * One problem found in a spec. {@code origin} is the origin of the raw part at fault;
 * {@code attribute} names the annotation attribute ({@code "formulas"}, {@code "when"},
 * {@code "name"}, ...) so that the processor can point javac at the value itself.
 */
public record Diagnostic(String message, Object origin, String attribute) {
  @Override
  public String toString() {
    return message;
  }
}
