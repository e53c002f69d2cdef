package org.optikern.lang;

/**
 * A formula or condition that does not parse, or that names something unknown. The message
 * repeats the source text with a caret under the offending span, because javac can only point
 * at a whole annotation value, never inside a string.
 */
public final class SpecSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String problem;
  private final String source;
  private final Span span;

  public SpecSyntaxException(String problem, String source, Span span) {
    super(problem + " at column " + (span.start() + 1) + ":\n" + span.underline(source));
    this.problem = problem;
    this.source = source;
    this.span = span;
  }

  /** The problem without the position, e.g. {@code unknown name 'gard'}. */
  public String problem() {
    return problem;
  }

  public String source() {
    return source;
  }

  public Span span() {
    return span;
  }
}
