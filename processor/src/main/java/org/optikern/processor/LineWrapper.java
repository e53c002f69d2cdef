package org.optikern.processor;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps generated source at a column, as a person would. JavaPoet breaks a line only where a writer
 * marked it ({@code $W}), and the writers compose long javadoc (variant names, SIMD notes, slot
 * lists) and long lane expressions. Here, after JavaPoet:
 * <ul>
 *   <li>javadoc prose breaks at spaces, each new line with the old line's {@code " * "} prefix;
 *       lines inside {@code <pre>} (the spec's formulas, laid out as written) stay whole;
 *   <li>code breaks after {@code ", "}, before a {@code .} that follows {@code )} (a call on a
 *       call's result) and before a binary operator set off by spaces, never inside a string or
 *       character literal or a trailing comment, each new line indented four more than the
 *       statement's first;
 *   <li>{@code //} comments (the formula above each statement) and lines with nowhere to break stay
 *       whole.
 * </ul>
 * Java ignores whitespace between tokens, so the wrapped source compiles to the same class.
 */
final class LineWrapper {
  /** The column generated source is wrapped at. */
  static final int WIDTH = 100;

  private LineWrapper() {}

  static String wrap(String source) {
    StringBuilder out = new StringBuilder(source.length() + source.length() / 20);
    boolean inPre = false;
    String[] lines = source.split("\n", -1);
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l];
      String trimmed = line.stripLeading();
      boolean comment = trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//");
      if (comment && trimmed.contains("<pre>")) {
        inPre = true;
      }
      if (line.length() <= WIDTH || inPre || trimmed.startsWith("//")) {
        out.append(line);
      } else if (comment) {
        wrapJavadoc(line, out);
      } else {
        wrapCode(line, out);
      }
      if (comment && trimmed.contains("</pre>")) {
        inPre = false;
      }
      if (l < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** One long javadoc line as several, each continued with the line's own {@code " * "} prefix. */
  private static void wrapJavadoc(String line, StringBuilder out) {
    int star = line.indexOf('*');
    String prefix = line.substring(0, star) + (line.startsWith("/**", star) ? " * " : "* ");
    String rest = line;
    int textStart = line.indexOf(' ', star) + 1;
    while (rest.length() > WIDTH) {
      int cut = javadocBreak(rest, textStart);
      if (cut < 0) {
        break;
      }
      out.append(rest, 0, cut).append('\n');
      rest = prefix + rest.substring(cut + 1);
      textStart = prefix.length();
    }
    out.append(rest);
  }

  /**
   * The space to break a javadoc line at: the last one within {@link #WIDTH}, else the first after,
   * preferring spaces outside inline tags ({@code {@code a b}} reads better whole); -1 if none.
   */
  private static int javadocBreak(String line, int from) {
    int lastFit = -1;
    int firstOver = -1;
    int lastFitInTag = -1;
    int firstOverInTag = -1;
    int depth = 0;
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '{' && i + 1 < line.length() && line.charAt(i + 1) == '@') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (c == ' ' && i > from) {
        if (i <= WIDTH) {
          if (depth == 0) {
            lastFit = i;
          } else {
            lastFitInTag = i;
          }
        } else if (depth == 0 && firstOver < 0) {
          firstOver = i;
        } else if (depth > 0 && firstOverInTag < 0) {
          firstOverInTag = i;
        }
      }
    }
    for (int cut : new int[] {lastFit, firstOver, lastFitInTag, firstOverInTag}) {
      if (cut >= 0) {
        return cut;
      }
    }
    return -1;
  }

  /** One long line of code as several, broken at the places {@link #breaks} finds. */
  private static void wrapCode(String line, StringBuilder out) {
    int indent = line.length() - line.stripLeading().length();
    String continuation = " ".repeat(indent + 4);
    String rest = line;
    int textStart = indent;
    while (rest.length() > WIDTH) {
      int[] chosen = null;
      for (int[] candidate : breaks(rest, textStart)) {
        if (candidate[1] <= continuation.length()) {
          continue; // a break this early would not shorten the line
        }
        if (candidate[0] <= WIDTH || chosen == null) {
          chosen = candidate;
        }
        if (candidate[0] > WIDTH) {
          break;
        }
      }
      if (chosen == null) {
        break;
      }
      out.append(rest, 0, chosen[0]).append('\n');
      rest = continuation + rest.substring(chosen[1]);
      textStart = continuation.length();
    }
    out.append(rest);
  }

  /**
   * Where a line of code may break, in order: pairs of (end of this line, start of the next) after
   * {@code ", "}, before {@code ")."}'s dot and before a binary operator set off by spaces, outside
   * literals and before any trailing comment.
   */
  private static List<int[]> breaks(String line, int from) {
    List<int[]> breaks = new ArrayList<>();
    char quote = 0;
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
        break;
      } else if (c == ',' && i + 1 < line.length() && line.charAt(i + 1) == ' ') {
        breaks.add(new int[] {i + 1, i + 2});
      } else if (c == '.' && i > from && line.charAt(i - 1) == ')') {
        breaks.add(new int[] {i, i});
      } else if (c == ' ' && i > from && binaryOperatorAt(line, i + 1)) {
        breaks.add(new int[] {i, i + 1});
      }
    }
    return breaks;
  }

  /**
   * {@code &&}, {@code ||}, {@code +}, {@code -} or {@code ?} with a space on either side; not
   * {@code *} or {@code /}: a line that starts with one reads as a comment.
   */
  private static boolean binaryOperatorAt(String line, int at) {
    for (String operator : BINARY_OPERATORS) {
      int end = at + operator.length();
      if (line.startsWith(operator, at) && end < line.length() && line.charAt(end) == ' ') {
        return true;
      }
    }
    return false;
  }

  private static final List<String> BINARY_OPERATORS = List.of("&&", "||", "+", "-", "?");
}
