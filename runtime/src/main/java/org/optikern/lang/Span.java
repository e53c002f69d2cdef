package org.optikern.lang;

/** A half-open range {@code [start, end)} of character offsets in one formula or condition. */
public record Span(int start, int end) {
  public Span {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  public static Span cover(Span first, Span last) {
    return new Span(first.start, last.end);
  }

  /** The formula with a caret line under this span, for error messages. */
  public String underline(String source) {
    // one line, so that the caret stays under its column
    String oneLine = source.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    StringBuilder out = new StringBuilder("  ").append(oneLine).append("\n  ");
    out.append(" ".repeat(Math.min(start, source.length())));
    out.append("^".repeat(Math.max(1, end - start)));
    return out.toString();
  }
}
