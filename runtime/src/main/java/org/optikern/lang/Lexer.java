package org.optikern.lang;

import java.util.ArrayList;
import java.util.List;

/** Splits a formula into tokens, each with its character span. */
final class Lexer {
  private final String source;
  private int pos;

  private Lexer(String source) {
    this.source = source;
  }

  static List<Token> tokenize(String source) {
    return new Lexer(source).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (pos >= source.length()) {
        tokens.add(new Token(TokenKind.END, "", new Span(pos, pos)));
        return tokens;
      }
      tokens.add(next());
    }
  }

  private void skipWhitespace() {
    while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
      pos++;
    }
  }

  private Token next() {
    int start = pos;
    char c = source.charAt(pos);
    if (isDigit(c) || (c == '.' && pos + 1 < source.length() && isDigit(source.charAt(pos + 1)))) {
      return number(start);
    }
    if (isLetter(c) || c == '_') {
      while (pos < source.length() && (isNameChar(source.charAt(pos)) || source.charAt(pos) == '_')) {
        pos++;
      }
      return token(TokenKind.IDENT, start);
    }
    pos++;
    char n = pos < source.length() ? source.charAt(pos) : '\0';
    switch (c) {
      case '+': return token(TokenKind.PLUS, start);
      case '-': return token(TokenKind.MINUS, start);
      case '*': return token(TokenKind.STAR, start);
      case '/': return token(TokenKind.SLASH, start);
      case '(': return token(TokenKind.LPAREN, start);
      case ')': return token(TokenKind.RPAREN, start);
      case ',': return token(TokenKind.COMMA, start);
      case '=': return n == '=' ? twoChar(TokenKind.EQ, start) : token(TokenKind.ASSIGN, start);
      case '!': return n == '=' ? twoChar(TokenKind.NE, start) : token(TokenKind.NOT, start);
      case '<': return n == '=' ? twoChar(TokenKind.LE, start) : token(TokenKind.LT, start);
      case '>': return n == '=' ? twoChar(TokenKind.GE, start) : token(TokenKind.GT, start);
      case '&':
        if (n == '&') {
          return twoChar(TokenKind.AND, start);
        }
        break;
      case '|':
        if (n == '|') {
          return twoChar(TokenKind.OR, start);
        }
        break;
      default:
        break;
    }
    throw new SpecSyntaxException("unexpected character " + describe(c), source, new Span(start, start + 1));
  }

  /**
   * A character as the message shows it: printable ASCII quoted; anything else by code point and name,
   * so that a no-break space or a Unicode minus that looks like the ordinary one is told apart.
   */
  static String describe(char c) {
    if (c > ' ' && c < 0x7f) {
      return "'" + c + "'";
    }
    String name = Character.getName(c);
    String shown = String.format("U+%04X%s", (int) c, name == null ? "" : " " + name);
    if (Character.isSpaceChar(c) || Character.isWhitespace(c)) {
      return shown + " (write an ordinary space)";
    }
    return Character.isISOControl(c) ? shown : "'" + c + "' (" + shown + ")";
  }

  private Token number(int start) {
    while (pos < source.length() && isDigit(source.charAt(pos))) {
      pos++;
    }
    if (pos < source.length() && source.charAt(pos) == '.') {
      pos++;
      while (pos < source.length() && isDigit(source.charAt(pos))) {
        pos++;
      }
    }
    if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
      int mark = pos;
      pos++;
      if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= source.length() || !isDigit(source.charAt(pos))) {
        throw new SpecSyntaxException("malformed exponent in number", source, new Span(start, Math.max(pos, mark + 1)));
      }
      while (pos < source.length() && isDigit(source.charAt(pos))) {
        pos++;
      }
    }
    if (pos < source.length() && (isLetter(source.charAt(pos)) || source.charAt(pos) == '_')) {
      int end = pos;
      while (end < source.length() && (isNameChar(source.charAt(end)) || source.charAt(end) == '_')) {
        end++;
      }
      throw new SpecSyntaxException("a number cannot run into a name", source, new Span(start, end));
    }
    return token(TokenKind.NUMBER, start);
  }

  // ASCII only: names must be Java identifiers and numbers Java literals
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNameChar(char c) {
    return isLetter(c) || isDigit(c) || c == '_';
  }

  private Token token(TokenKind kind, int start) {
    return new Token(kind, source.substring(start, pos), new Span(start, pos));
  }

  private Token twoChar(TokenKind kind, int start) {
    pos++;
    return token(kind, start);
  }
}
