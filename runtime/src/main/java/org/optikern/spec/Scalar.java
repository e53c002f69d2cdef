package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A per-update scalar: computed once per update call, before the elementwise phase, in double
 * arithmetic (as MXNet's Python layer computes the scalars it passes to a kernel), then passed to
 * the kernels like any other scalar. Adam's bias-corrected step size:
 *
 * <pre>
 * &#64;Scalar("coef1 = 1 - pow(beta1, t)")
 * &#64;Scalar("coef2 = 1 - pow(beta2, t)")
 * &#64;Scalar("lr_t = lr*(sqrt(coef2)/coef1)")
 * </pre>
 *
 * <p>A scalar formula may read {@code t} (the parameter's update count, this update included),
 * {@code lr}, {@code wd}, {@code rescale_grad}, {@code clip_gradient}, the hyperparameters and the
 * scalars declared before it; never an array. Update formulas may read every declared scalar.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Scalar.List.class)
public @interface Scalar {
  /** An assignment to the new scalar's name, e.g. {@code lr_t = lr*(sqrt(coef2)/coef1)}. */
  String value();

  /** One line for the generated code's javadoc. */
  String doc() default "";

  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    Scalar[] value();
  }
}
