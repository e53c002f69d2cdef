package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A state array with the weight's shape and dtype, created as zeros, or as a copy of the weight
 * ({@code initial = "weight"}, DCASGD's previous weight).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(State.List.class)
public @interface State {
  String name();

  /** The switches under which the state exists, e.g. {@code momentum}; empty means always. */
  String when() default "";

  /** {@code "0"}: zeros; {@code "weight"}: a copy of the weight (the float32 master copy in multi-precision). */
  String initial() default "0";

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    State[] value();
  }
}
