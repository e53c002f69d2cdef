package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A per-parameter flag from the parameter's name: 1 when its name ({@code param_idx2name}, or the
 * index written as a number when it has none) ends in one of {@code suffixes}, else 0. Formulas read
 * it like a scalar: LARS leaves {@code gamma}, {@code beta} and {@code bias} parameters unscaled,
 * {@code where(lars_exempt, lr, ...)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(ParameterFlag.List.class)
public @interface ParameterFlag {
  String name();

  /** Name endings that set the flag, e.g. {@code {"gamma", "beta", "bias"}}. */
  String[] suffixes();

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    ParameterFlag[] value();
  }
}
