package org.optikern.lang;

record Token(TokenKind kind, String text, Span span) {
  String describe() {
    return switch (kind) {
      case NUMBER, IDENT -> "'" + text + "'";
      default -> kind.describe();
    };
  }
}
