package org.optikern.processor;

import com.palantir.javapoet.JavaFile;
import java.util.Locale;

/**
 * A bound on the bytecode of each method of a generated class, read from its Java source: the JVM
 * takes at most {@value #MAX_CODE_BYTES} bytes of code per method (JVM spec 4.7.3), and javac
 * fails a larger one with "code too large".
 *
 * <p>The bound counts tokens: every identifier, keyword, literal, operator character and opening
 * bracket, from the method's modifiers to its closing brace, comments not counted; dots, commas,
 * semicolons and closing brackets are free. Each counted token compiles to at most
 * {@value #BYTES_PER_TOKEN} bytes in the code the writers produce: the most expensive steps are a
 * local of index 256 or more (4 bytes, {@code wide}), which comes with an operator, an opening
 * parenthesis or an {@code =} of its own, and a call on an interface (5 bytes), which comes with
 * its receiver and its parenthesis. So {@code a * b} with both locals wide is 9 bytes for 3 tokens,
 * {@code .add(b)} 7 bytes for 3. Measured on generated kernels of up to 30,000 bytes of code
 * (float16 SIMD kernels of 100 stored states, SIMD kernels of 1000 literals, scalar kernels of 1000
 * temporaries), the bytes per token were 1.0 to 1.8.
 */
final class CodeSize {
  /** The JVM's limit on the code of one method: {@code code_length} is below 65536 (JVM spec 4.7.3). */
  static final int MAX_CODE_BYTES = 65_535;
  static final int BYTES_PER_TOKEN = 3;

  private CodeSize() {}

  /** The method of a class with the most tokens, and their count. */
  record Largest(String method, int tokens) {
    int bytes() {
      return tokens * BYTES_PER_TOKEN;
    }

    boolean fits() {
      return bytes() <= MAX_CODE_BYTES;
    }

    /** "its lanes() could compile to 70,212 bytes of code (23,404 tokens ...)": why it does not fit. */
    String describe() {
      return method + "() could compile to up to " + String.format(Locale.ROOT, "%,d", bytes()) + " bytes of bytecode ("
          + String.format(Locale.ROOT, "%,d", tokens) + " tokens of Java, at most " + BYTES_PER_TOKEN + " bytes each), over the "
          + "JVM's limit of " + String.format(Locale.ROOT, "%,d", MAX_CODE_BYTES) + " bytes per method";
    }
  }

  /** The largest method of the file's top-level class (members of nested classes count to the member around them). */
  static Largest largestMethod(JavaFile file) {
    return largestMember(file.toString());
  }

  static Largest largestMember(String source) {
    int depth = 0;
    int tokens = 0;
    String name = null;
    String lastIdentifier = null;
    Largest largest = new Largest("", 0);
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '"' || c == '\'') {
        i = endOfQuoted(source, i, c);
        tokens++;
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(source.charAt(i))) {
          i++;
        }
        lastIdentifier = source.substring(start, i);
        tokens++;
      } else if (Character.isDigit(c)) {
        i = endOfNumber(source, i);
        tokens++;
      } else {
        i++;
        switch (c) {
          case '.', ',', ';', ')', ']' -> { }
          case '{' -> {
            depth++;
            tokens++;
          }
          case '}' -> depth--;
          case '(' -> {
            if (depth == 1 && name == null) {
              name = lastIdentifier;
            }
            tokens++;
          }
          default -> tokens++;
        }
      }
      // a member ends at a semicolon or a closing brace that returns to the class body
      if ((c == ';' || c == '}') && depth == 1) {
        if (name != null && tokens > largest.tokens()) {
          largest = new Largest(name, tokens);
        }
        tokens = 0;
        name = null;
      } else if (depth == 0) {
        tokens = 0; // the package, the imports and the class header
      }
    }
    return largest;
  }

  private static int endOfQuoted(String source, int start, char quote) {
    int i = start + 1;
    while (i < source.length() && source.charAt(i) != quote) {
      i += source.charAt(i) == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  /** A literal such as {@code 1.5e-8f} or {@code 0x1p112f}: a sign right after its exponent letter is its own. */
  private static int endOfNumber(String source, int start) {
    int i = start;
    while (i < source.length()) {
      char c = source.charAt(i);
      char previous = source.charAt(i - 1);
      boolean exponentSign = (c == '+' || c == '-') && "eEpP".indexOf(previous) >= 0;
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign) {
        i++;
      } else {
        break;
      }
    }
    return i;
  }
}
