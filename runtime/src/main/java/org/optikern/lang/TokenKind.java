package org.optikern.lang;

enum TokenKind {
  NUMBER,
  IDENT,
  PLUS("+"),
  MINUS("-"),
  STAR("*"),
  SLASH("/"),
  LPAREN("("),
  RPAREN(")"),
  COMMA(","),
  ASSIGN("="),
  EQ("=="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  AND("&&"),
  OR("||"),
  NOT("!"),
  END;

  final String text;

  TokenKind() {
    this.text = null;
  }

  TokenKind(String text) {
    this.text = text;
  }

  String describe() {
    return switch (this) {
      case NUMBER -> "a number";
      case IDENT -> "a name";
      case END -> "the end of the formula";
      default -> "'" + text + "'";
    };
  }
}
