package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A named condition on hyperparameters, fixed when the optimizer is created, that selects an
 * update and a set of states. Each switch doubles the number of generated kernels; the kernels
 * of one branch contain no code of the other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Switch.List.class)
public @interface Switch {
  /** The name used in {@link Update#when()} and {@link State#when()}, and in kernel class names. */
  String name();

  /** A condition over hyperparameters, e.g. {@code momentum != 0}. */
  String when();

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    Switch[] value();
  }
}
