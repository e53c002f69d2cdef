package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A scalar hyperparameter of the optimizer, named as in MXNet ({@code momentum}, {@code wd_lh}). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Hyperparameter.List.class)
public @interface Hyperparameter {
  String name();

  double defaultValue();

  /** One line for the generated accessor's javadoc. */
  String doc() default "";

  /**
   * The values the optimizer accepts, as a condition over hyperparameters, e.g.
   * {@code beta1 >= 0 && beta1 < 1}; empty means any finite value. Checked when an optimizer is
   * created (a value outside it is an error naming the condition); the default must satisfy it.
   */
  String valid() default "";

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    Hyperparameter[] value();
  }
}
