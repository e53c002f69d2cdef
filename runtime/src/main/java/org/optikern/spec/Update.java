package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The elementwise update for the variants selected by {@link #when()}: assignments to
 * {@code weight} and states, run in order for every element. A later formula reads the value an
 * earlier one stored (rounded to the storage type). Every variant must be covered by exactly one
 * update.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Update.List.class)
public @interface Update {
  /** A condition over switch names, e.g. {@code momentum && !clipped}; empty means always. */
  String when() default "";

  /** Assignments such as {@code weight = weight - lr*sign(grad)}. */
  String[] formulas();

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    Update[] value();
  }
}
