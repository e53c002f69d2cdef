package org.optikern.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ParserTest {
  /** The tree as a fully parenthesized string: shows the grouping the parser chose. */
  static String show(Expr e) {
    return e.accept(new Expr.Visitor<String>() {
      @Override
      public String literal(Expr.Literal literal) {
        return literal.text();
      }

      @Override
      public String name(Expr.Name name) {
        return name.id();
      }

      @Override
      public String negate(Expr.Negate negate) {
        return "(-" + negate.operand().accept(this) + ")";
      }

      @Override
      public String binary(Expr.Binary binary) {
        return "(" + binary.left().accept(this) + " " + binary.op().symbol + " " + binary.right().accept(this) + ")";
      }

      @Override
      public String call(Expr.Call call) {
        StringBuilder out = new StringBuilder(call.function().spelling()).append("(");
        for (int i = 0; i < call.args().size(); i++) {
          out.append(i == 0 ? "" : ", ").append(call.args().get(i).accept(this));
        }
        return out.append(")").toString();
      }
    });
  }

  private static String parse(String formula) {
    return show(Parser.parseExpression(formula));
  }

  @Test
  void groupsLeftToRightAsCAndJava() {
    assertEquals("((a - b) - c)", parse("a - b - c"));
    assertEquals("((a * b) * c)", parse("a*b*c"));
    assertEquals("((a / b) / c)", parse("a / b / c"));
    assertEquals("(a + (b * c))", parse("a + b*c"));
    assertEquals("(((momentum * mom) - (((1 - momentum) * wd) * weight)) - ((1 - momentum) * clip((rescale_grad * grad), clip_gradient)))",
        parse("momentum*mom - (1-momentum)*wd*weight - (1-momentum)*clip(rescale_grad*grad, clip_gradient)"));
  }

  @Test
  void unaryMinusBindsTighterThanMultiplication() {
    assertEquals("((-a) * b)", parse("-a*b"));
    assertEquals("(a - (-b))", parse("a - -b"));
    assertEquals("(-(-a))", parse("--a"));
  }

  @Test
  void numbers() {
    Expr.Literal literal = assertInstanceOf(Expr.Literal.class, Parser.parseExpression("1e-8"));
    assertEquals(1e-8, literal.value());
    assertEquals(0.5, ((Expr.Literal) Parser.parseExpression(".5")).value());
    assertEquals(2.0, ((Expr.Literal) Parser.parseExpression("2.")).value());
    assertEquals(250.0, ((Expr.Literal) Parser.parseExpression("2.5E+2")).value());
  }

  @Test
  void statementsAndSpans() {
    Statement s = Parser.parseStatement("  mom = mom * 2");
    assertEquals("mom", s.target());
    assertEquals(new Span(2, 5), s.targetSpan());
    assertEquals(new Span(8, 15), s.value().span());
    assertFalse(s.temporary());
  }

  @Test
  void letDeclaresATemporary() {
    Statement let = Parser.parseStatement("let g = grad*2");
    assertTrue(let.temporary());
    assertEquals("g", let.target());
    assertEquals(new Span(4, 5), let.targetSpan());
    // 'let' alone is an ordinary name: a state called so is rejected by the resolver, not the parser
    Statement named = Parser.parseStatement("let = grad");
    assertFalse(named.temporary());
    assertEquals("let", named.target());
  }

  @Test
  void conditions() {
    assertInstanceOf(Condition.Compare.class, Parser.parseCondition("momentum != 0"));
    Condition c = Parser.parseCondition("a && !b || c");
    Condition.Or or = assertInstanceOf(Condition.Or.class, c);
    Condition.And and = assertInstanceOf(Condition.And.class, or.left());
    assertInstanceOf(Condition.Not.class, and.right());
    assertInstanceOf(Condition.And.class, Parser.parseCondition("(a || b) && c"));
    Condition.Compare compare = assertInstanceOf(Condition.Compare.class, Parser.parseCondition("(1 - m) * 2 > 0"));
    assertEquals("((1 - m) * 2)", show(compare.left()));
    assertTrue(Condition.Comparison.LE.test(1, 1));
  }

  private static SpecSyntaxException error(String formula) {
    return assertThrows(SpecSyntaxException.class, () -> Parser.parseStatement(formula));
  }

  @Test
  void errorsCarryTheirPosition() {
    SpecSyntaxException e = error("weight = weight - lr*(grad");
    assertEquals("expected ')' to close '(', found the end of the formula", e.problem());
    assertEquals(new Span(26, 26), e.span());

    e = error("weight = weight ^ 2");
    assertEquals("unexpected character '^'", e.problem());
    assertEquals(16, e.span().start());
    assertTrue(e.getMessage().endsWith("  weight = weight ^ 2\n                  ^"), e.getMessage());

    assertEquals("expected '=' after 'weight', found 'grad'", error("weight grad").problem());
    assertEquals("expected the name of the array to assign, found '1'", error("1 = weight").problem());
    assertEquals("unexpected ')' after a complete expression", error("weight = grad)").problem());
    assertEquals("expected a number, a name or '(', found '*'", error("weight = * grad").problem());
    assertEquals("a number cannot run into a name", error("weight = 2grad").problem());
    assertEquals("malformed exponent in number", error("weight = 1e+").problem());
    assertEquals("number '1e999' is too large for a double", error("weight = 1e999").problem());
    assertEquals("sqrt takes 1 argument, found 2", error("weight = sqrt(grad, 2)").problem());
    assertEquals(new Span(9, 22), error("weight = sqrt(grad, 2)").span());
    assertTrue(error("weight = sgn(grad)").problem().startsWith("unknown function 'sgn'"));
    assertEquals("expected a comparison (==, !=, <, <=, >, >=), found the end of the formula",
        assertThrows(SpecSyntaxException.class, () -> Parser.parseCondition("momentum + 1")).problem());
  }

  @Property(tries = 3000)
  void arbitraryTextParsesOrFailsWithAPositionedError(@ForAll("formulaLike") String text) {
    for (int entry = 0; entry < 3; entry++) {
      try {
        switch (entry) {
          case 0 -> Parser.parseStatement(text);
          case 1 -> Parser.parseExpression(text);
          default -> Parser.parseCondition(text);
        }
      } catch (SpecSyntaxException e) {
        assertTrue(e.span().start() <= text.length() && e.span().end() <= text.length(), e.getMessage());
      }
    }
  }

  @Provide
  Arbitrary<String> formulaLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("weightradlmo_12.e+-*/()=,!<>&| ").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(30));
  }
}
