package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a class in test sources: the processor writes, next to it, for each spec named, a jqwik
 * property class {@code <Optimizer>KernelTests} that checks every generated kernel of the spec (each scalar
 * kernel, and the SIMD kernels when they are enabled) against the spec's interpreter, bit for bit,
 * on random arrays full of special values, odd lengths and offsets, and random scalars. The test
 * classpath needs jqwik.
 *
 * <pre>
 * &#64;VerifyKernels({MomentumSgdSpec.class, SignumSpec.class})
 * class VerifiedSpecs {}
 *
 * &#64;VerifyKernels(allInPackage = true)     // every spec in this class's package
 * class VerifiedSpecs {}
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface VerifyKernels {
  /** The {@link OptimizerSpec} interfaces whose kernels to verify. */
  Class<?>[] value() default {};

  /**
   * Also every {@link OptimizerSpec} interface in the annotated class's package, whether compiled
   * now or found on the class path (a test class next to main-source specs): adding a spec to the
   * package then needs no edit here.
   */
  boolean allInPackage() default false;

  /** jqwik tries per kernel. */
  int tries() default 300;
}
