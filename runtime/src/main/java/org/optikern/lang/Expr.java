package org.optikern.lang;

import java.util.List;

/**
 * A typed formula tree. Every back end (the interpreter, the kernel writer, the validator)
 * implements {@link Visitor}, so adding a node forces every back end to handle it.
 */
public sealed interface Expr permits Expr.Literal, Expr.Name, Expr.Negate, Expr.Binary, Expr.Call {

  Span span();

  <R> R accept(Visitor<R> visitor);

  interface Visitor<R> {
    R literal(Literal literal);

    R name(Name name);

    R negate(Negate negate);

    R binary(Binary binary);

    R call(Call call);
  }

  /** A numeric literal as written; {@code value} is its nearest double. */
  record Literal(double value, String text, Span span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.literal(this);
    }
  }

  /** A reference to {@code weight}, {@code grad}, a state array or a scalar hyperparameter. */
  record Name(String id, Span span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.name(this);
    }
  }

  record Negate(Expr operand, Span span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.negate(this);
    }
  }

  enum Op {
    ADD("+"),
    SUB("-"),
    MUL("*"),
    DIV("/");

    public final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  record Binary(Op op, Expr left, Expr right, Span span) implements Expr {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.binary(this);
    }
  }

  record Call(Function function, List<Expr> args, Span span) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.call(this);
    }
  }
}
