package org.optikern.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for formulas and conditions. Binary operators group left to right
 * and {@code *}, {@code /} bind tighter than {@code +}, {@code -}, exactly as in C and Java:
 * {@code a - b - c} is {@code (a - b) - c}. Bit-exactness with MXNet depends on that grouping.
 *
 * <pre>
 * statement  := NAME '=' expr END
 * expr       := term (('+' | '-') term)*
 * term       := unary (('*' | '/') unary)*
 * unary      := '-' unary | primary
 * primary    := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
 * condition  := and ('||' and)*
 * and        := not ('&amp;&amp;' not)*
 * not        := '!' not | atom
 * atom       := expr COMPARISON expr | NAME | '(' condition ')'
 * </pre>
 */
public final class Parser {
  private final String source;
  private final List<Token> tokens;
  private int index;

  private Parser(String source) {
    this.source = source;
    this.tokens = Lexer.tokenize(source);
  }

  /** Parses {@code target = expression}. */
  public static Statement parseStatement(String source) {
    Parser parser = new Parser(source);
    Token target = parser.peek();
    if (target.kind() != TokenKind.IDENT) {
      throw parser.error("expected the name of the array to assign, found " + target.describe(), target);
    }
    parser.index++;
    Token assign = parser.peek();
    if (assign.kind() != TokenKind.ASSIGN) {
      throw parser.error("expected '=' after '" + target.text() + "', found " + assign.describe(), assign);
    }
    parser.index++;
    Expr value = parser.expression();
    parser.expectEnd();
    return new Statement(target.text(), target.span(), value, source);
  }

  public static Expr parseExpression(String source) {
    Parser parser = new Parser(source);
    Expr value = parser.expression();
    parser.expectEnd();
    return value;
  }

  public static Condition parseCondition(String source) {
    Parser parser = new Parser(source);
    Condition condition = parser.or();
    parser.expectEnd();
    return condition;
  }

  private Condition or() {
    Condition left = and();
    while (peek().kind() == TokenKind.OR) {
      index++;
      Condition right = and();
      left = new Condition.Or(left, right, Span.cover(left.span(), right.span()));
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (peek().kind() == TokenKind.AND) {
      index++;
      Condition right = not();
      left = new Condition.And(left, right, Span.cover(left.span(), right.span()));
    }
    return left;
  }

  private Condition not() {
    Token bang = peek();
    if (bang.kind() == TokenKind.NOT) {
      index++;
      Condition operand = not();
      return new Condition.Not(operand, Span.cover(bang.span(), operand.span()));
    }
    return atom();
  }

  private Condition atom() {
    Token first = peek();
    if (first.kind() == TokenKind.IDENT && !isComparisonOrArithmetic(tokens.get(index + 1).kind())
        && tokens.get(index + 1).kind() != TokenKind.LPAREN) {
      index++;
      return new Condition.Flag(first.text(), first.span());
    }
    if (first.kind() == TokenKind.LPAREN) {
      // '(' starts either a grouped condition or a parenthesized arithmetic operand.
      int mark = index;
      try {
        return comparison();
      } catch (SpecSyntaxException notAComparison) {
        index = mark + 1;
        Condition inner = or();
        Token close = expect(TokenKind.RPAREN, "to close '('");
        return withSpan(inner, Span.cover(first.span(), close.span()));
      }
    }
    return comparison();
  }

  private Condition comparison() {
    Expr left = expression();
    Token op = peek();
    Condition.Comparison comparison = switch (op.kind()) {
      case EQ -> Condition.Comparison.EQ;
      case NE -> Condition.Comparison.NE;
      case LT -> Condition.Comparison.LT;
      case LE -> Condition.Comparison.LE;
      case GT -> Condition.Comparison.GT;
      case GE -> Condition.Comparison.GE;
      default -> throw error("expected a comparison (==, !=, <, <=, >, >=), found " + op.describe(), op);
    };
    index++;
    Expr right = expression();
    return new Condition.Compare(comparison, left, right, Span.cover(left.span(), right.span()));
  }

  private static Condition withSpan(Condition c, Span span) {
    if (c instanceof Condition.Compare x) {
      return new Condition.Compare(x.comparison(), x.left(), x.right(), span);
    } else if (c instanceof Condition.And x) {
      return new Condition.And(x.left(), x.right(), span);
    } else if (c instanceof Condition.Or x) {
      return new Condition.Or(x.left(), x.right(), span);
    } else if (c instanceof Condition.Not x) {
      return new Condition.Not(x.operand(), span);
    }
    Condition.Flag flag = (Condition.Flag) c;
    return new Condition.Flag(flag.name(), span);
  }

  private static boolean isComparisonOrArithmetic(TokenKind kind) {
    return switch (kind) {
      case EQ, NE, LT, LE, GT, GE, PLUS, MINUS, STAR, SLASH -> true;
      default -> false;
    };
  }

  private Expr expression() {
    Expr left = term();
    while (peek().kind() == TokenKind.PLUS || peek().kind() == TokenKind.MINUS) {
      Expr.Op op = next().kind() == TokenKind.PLUS ? Expr.Op.ADD : Expr.Op.SUB;
      Expr right = term();
      left = new Expr.Binary(op, left, right, Span.cover(left.span(), right.span()));
    }
    return left;
  }

  private Expr term() {
    Expr left = unary();
    while (peek().kind() == TokenKind.STAR || peek().kind() == TokenKind.SLASH) {
      Expr.Op op = next().kind() == TokenKind.STAR ? Expr.Op.MUL : Expr.Op.DIV;
      Expr right = unary();
      left = new Expr.Binary(op, left, right, Span.cover(left.span(), right.span()));
    }
    return left;
  }

  private Expr unary() {
    Token minus = peek();
    if (minus.kind() == TokenKind.MINUS) {
      index++;
      Expr operand = unary();
      return new Expr.Negate(operand, Span.cover(minus.span(), operand.span()));
    }
    return primary();
  }

  private Expr primary() {
    Token token = next();
    switch (token.kind()) {
      case NUMBER: {
        double value = Double.parseDouble(token.text());
        if (Double.isInfinite(value)) {
          throw error("number '" + token.text() + "' is too large for a double", token);
        }
        return new Expr.Literal(value, token.text(), token.span());
      }
      case IDENT:
        if (peek().kind() == TokenKind.LPAREN) {
          return call(token);
        }
        return new Expr.Name(token.text(), token.span());
      case LPAREN: {
        Expr inner = expression();
        expect(TokenKind.RPAREN, "to close '('");
        return inner;
      }
      default:
        throw error("expected a number, a name or '(', found " + token.describe(), token);
    }
  }

  private Expr call(Token name) {
    Function function = Function.named(name.text()).orElseThrow(() -> error(
        "unknown function '" + name.text() + "' (known: " + knownFunctions() + ")", name));
    index++; // '('
    List<Expr> args = new ArrayList<>();
    if (peek().kind() != TokenKind.RPAREN) {
      args.add(expression());
      while (peek().kind() == TokenKind.COMMA) {
        index++;
        args.add(expression());
      }
    }
    Token close = expect(TokenKind.RPAREN, "to close the arguments of " + name.text() + "(");
    Span span = Span.cover(name.span(), close.span());
    if (args.size() != function.arity) {
      throw new SpecSyntaxException(function.spelling() + " takes " + function.arity
          + (function.arity == 1 ? " argument" : " arguments") + ", found " + args.size(), source, span);
    }
    return new Expr.Call(function, args, span);
  }

  private static String knownFunctions() {
    StringBuilder out = new StringBuilder();
    for (Function f : Function.values()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(f.spelling());
    }
    return out.toString();
  }

  private Token expect(TokenKind kind, String why) {
    Token token = next();
    if (token.kind() != kind) {
      throw error("expected " + kind.describe() + " " + why + ", found " + token.describe(), token);
    }
    return token;
  }

  private void expectEnd() {
    Token token = peek();
    if (token.kind() != TokenKind.END) {
      throw error("unexpected " + token.describe() + " after a complete expression", token);
    }
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token next() {
    Token token = tokens.get(index);
    if (token.kind() != TokenKind.END) {
      index++;
    }
    return token;
  }

  private SpecSyntaxException error(String problem, Token at) {
    Span span = at.kind() == TokenKind.END ? new Span(source.length(), source.length()) : at.span();
    return new SpecSyntaxException(problem, source, span);
  }
}
