package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A state array with the weight's shape and dtype, created as zeros, as a copy of the weight
 * ({@code initial = "weight"}, DCASGD's previous weight), or with every element the value of a
 * hyperparameter ({@code initial = "initial_accumulator_value"}, Yogi's second moment), rounded to
 * the dtype. With {@code scalar = true}, one number
 * per parameter instead (Nadam's momentum schedule): created as {@code initial} (a number),
 * assigned by {@code @Scalar}s in double, read by update formulas like any scalar. With
 * {@code shape = "rows"} or {@code "columns"}, one value per row or column of the weight's 2-D view.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(State.List.class)
public @interface State {
  String name();

  /** The switches under which the state exists, e.g. {@code momentum}; empty means always. */
  String when() default "";

  /**
   * {@code "0"}: zeros; {@code "weight"}: a copy of the weight (the float32 master copy in
   * multi-precision); the name of a {@code @Hyperparameter}: every element its value (the parameter
   * group's, for an index in a group), rounded to the state's dtype. A scalar state: its first
   * value, a number such as {@code "1"}.
   */
  String initial() default "0";

  /** One double per parameter, carried from update to update, rather than an array. */
  boolean scalar() default false;

  /**
   * Empty: the weight's shape. {@code "rows"}: one value per row of the weight's 2-D view, the
   * weight's shape without its last dimension; {@code "columns"}: one value per column, the last
   * dimension (Adafactor's factored second moment). Such a state exists only in the built-in
   * {@code factored} variant, which updates weights of two or more dimensions: declare it
   * {@code when = "factored"}.
   */
  String shape() default "";

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    State[] value();
  }
}
