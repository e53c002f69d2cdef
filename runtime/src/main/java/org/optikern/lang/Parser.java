package org.optikern.lang;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for formulas and conditions. Binary operators group left to right
 * and {@code *}, {@code /} bind tighter than {@code +}, {@code -}, exactly as in C and Java:
 * {@code a - b - c} is {@code (a - b) - c}. Bit-exactness with MXNet depends on that grouping.
 *
 * <pre>
 * statement  := ['let'] NAME '=' expr END
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
  /**
   * How deep a formula may nest in parentheses, calls and minus signs, each a level of recursion in
   * this parser: far beyond any real update rule, and low enough that it cannot run out of stack.
   */
  public static final int MAX_DEPTH = 100;

  /**
   * How deep the tree of a formula may be: {@code a + b + c} is {@code (a + b) + c}, so a chain of n
   * operations is n deep although it nests nothing. Every back end walks the tree recursively, and javac
   * attributes the generated expression recursively too; a chain of 250 compiles with javac's default
   * stack, and is still far beyond any real update rule.
   */
  public static final int MAX_TREE_DEPTH = 250;

  private final String source;
  private final List<Token> tokens;
  private final Map<Object, Integer> depths = new IdentityHashMap<>();
  private int index;
  private int nesting;
  /** Parsing a statement's formula, where a comparison is a mistake, not a condition. */
  private boolean inFormula;

  private Parser(String source) {
    this.source = source;
    this.tokens = Lexer.tokenize(source);
  }

  /** Parses {@code target = expression}, or {@code let name = expression} for a temporary. */
  public static Statement parseStatement(String source) {
    Parser parser = new Parser(source);
    parser.inFormula = true;
    Token target = parser.peek();
    boolean temporary = target.kind() == TokenKind.IDENT && target.text().equals(Statement.LET)
        && parser.tokens.get(parser.index + 1).kind() == TokenKind.IDENT;
    if (temporary) {
      parser.index++;
      target = parser.peek();
    }
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
    parser.rejectComparison(value);
    parser.expectEnd();
    return new Statement(target.text(), target.span(), value, source, temporary);
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
      left = deep(new Condition.Or(left, right, Span.cover(left.span(), right.span())), left, right);
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (peek().kind() == TokenKind.AND) {
      index++;
      Condition right = not();
      left = deep(new Condition.And(left, right, Span.cover(left.span(), right.span())), left, right);
    }
    return left;
  }

  private Condition not() {
    Token bang = peek();
    if (bang.kind() == TokenKind.NOT) {
      index++;
      enter(bang);
      Condition operand = not();
      nesting--;
      return deep(new Condition.Not(operand, Span.cover(bang.span(), operand.span())), operand);
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
      int markNesting = nesting;
      try {
        return comparison();
      } catch (SpecSyntaxException notAComparison) {
        if (notAComparison.problem().startsWith(TOO_DEEP) || notAComparison.problem().startsWith(TOO_LONG)) {
          throw notAComparison;
        }
        index = mark + 1;
        nesting = markNesting;
        enter(first);
        Condition inner = or();
        Token close = expect(TokenKind.RPAREN, "to close '('");
        nesting--;
        Condition grouped = withSpan(inner, Span.cover(first.span(), close.span()));
        depths.put(grouped, depthOf(inner));
        return grouped;
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
    return deep(new Condition.Compare(comparison, left, right, Span.cover(left.span(), right.span())), left, right);
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
      left = deep(new Expr.Binary(op, left, right, Span.cover(left.span(), right.span())), left, right);
    }
    return left;
  }

  private Expr term() {
    Expr left = unary();
    while (peek().kind() == TokenKind.STAR || peek().kind() == TokenKind.SLASH) {
      Expr.Op op = next().kind() == TokenKind.STAR ? Expr.Op.MUL : Expr.Op.DIV;
      Expr right = unary();
      left = deep(new Expr.Binary(op, left, right, Span.cover(left.span(), right.span())), left, right);
    }
    return left;
  }

  private Expr unary() {
    Token minus = peek();
    if (minus.kind() == TokenKind.MINUS) {
      index++;
      enter(minus);
      Expr operand = unary();
      nesting--;
      return deep(new Expr.Negate(operand, Span.cover(minus.span(), operand.span())), operand);
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
        if (value == 0 && writesANonZeroDigit(token.text())) {
          throw error("number '" + token.text() + "' is too small for a double: it would become 0.0 (smallest double: "
              + Double.MIN_VALUE + ")", token);
        }
        return new Expr.Literal(value, token.text(), token.span());
      }
      case IDENT:
        if (peek().kind() == TokenKind.LPAREN) {
          return call(token);
        }
        return new Expr.Name(token.text(), token.span());
      case LPAREN: {
        enter(token);
        Expr inner = expression();
        rejectComparison(inner);
        expect(TokenKind.RPAREN, "to close '('");
        nesting--;
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
    enter(name);
    List<Expr> args = new ArrayList<>();
    if (peek().kind() != TokenKind.RPAREN) {
      args.add(expression());
      while (peek().kind() == TokenKind.COMMA) {
        index++;
        args.add(expression());
      }
    }
    Token close = expect(TokenKind.RPAREN, "to close the arguments of " + name.text() + "(");
    nesting--;
    Span span = Span.cover(name.span(), close.span());
    if (args.size() != function.arity) {
      throw new SpecSyntaxException(function.spelling() + " takes " + function.arity
          + (function.arity == 1 ? " argument" : " arguments") + ", found " + args.size(), source, span);
    }
    return deep(new Expr.Call(function, args, span), args.toArray());
  }

  /**
   * A comparison after a complete operand of a formula ({@code (grad > 0)}): formulas compute numbers, and
   * the functions gt and eq compare. Outside formulas (conditions) this is never reached with a comparison
   * next: a condition's comparison is parsed before it. Reports the function call to write instead.
   */
  private void rejectComparison(Expr left) {
    Token op = peek();
    if (!inFormula || !switch (op.kind()) {
      case EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    }) {
      return;
    }
    index++;
    Expr right = expression();
    String a = source.substring(left.span().start(), left.span().end());
    String b = source.substring(right.span().start(), right.span().end());
    String instead = switch (op.kind()) {
      case GT -> "gt(" + a + ", " + b + ")";
      case LT -> "gt(" + b + ", " + a + ")";
      case EQ -> "eq(" + a + ", " + b + ")";
      case GE -> "1 - gt(" + b + ", " + a + ")";
      case LE -> "1 - gt(" + a + ", " + b + ")";
      default -> "1 - eq(" + a + ", " + b + ")";
    };
    throw new SpecSyntaxException("a formula computes numbers, and '" + op.text() + "' compares: use " + instead
        + " (1 where it holds, else 0)", source, Span.cover(left.span(), right.span()));
  }

  private static final String TOO_DEEP = "the formula nests deeper than";
  private static final String TOO_LONG = "the formula chains more than";

  /** Counts one level of recursion in the parser itself (parentheses, unary operators, calls). */
  private void enter(Token at) {
    if (++nesting > MAX_DEPTH) {
      throw error(TOO_DEEP + " " + MAX_DEPTH + " levels", at);
    }
  }

  /** Records the depth of a new node, one more than its deepest child, and rejects trees too deep to walk safely. */
  private <T> T deep(T node, Object... children) {
    int depth = 0;
    for (Object child : children) {
      depth = Math.max(depth, depthOf(child));
    }
    depths.put(node, depth + 1);
    if (depth + 1 > MAX_TREE_DEPTH) {
      // at the operation that goes too far: its right operand, where the chain grows
      Span span = node instanceof Expr.Binary binary ? binary.right().span()
          : node instanceof Expr e ? e.span() : ((Condition) node).span();
      throw new SpecSyntaxException(TOO_LONG + " " + MAX_TREE_DEPTH + " operations (each one holds the ones before "
          + "it); split it with 'let' temporaries", source, span);
    }
    return node;
  }

  private int depthOf(Object node) {
    return depths.getOrDefault(node, 0);
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

  /** Whether a number's digits before its exponent are not all zeros: 1e-400 is, 0.0e5 is not. */
  private static boolean writesANonZeroDigit(String number) {
    for (char c : number.toCharArray()) {
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }
}
