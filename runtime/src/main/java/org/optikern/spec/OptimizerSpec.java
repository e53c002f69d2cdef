package org.optikern.spec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an optimizer. Put it on an interface named {@code XxxSpec} together with its
 * {@link Hyperparameter}s, {@link Switch}es, {@link State}s and {@link Update}s. The Optikern
 * processor then generates, next to the spec, the optimizer class {@code Xxx}, one kernel class
 * per variant and a registry entry; the interpreter runs the same annotations at run time.
 *
 * <p>Every formula may use {@code weight}, {@code grad}, the declared states and hyperparameters,
 * and the scalars every optimizer has: {@code lr} (after scheduler and lr_mult), {@code wd}
 * (after wd_mult), {@code rescale_grad} and {@code clip_gradient}. The switch {@code clipped} is
 * built in: it is on when {@code clip_gradient} is set and positive.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OptimizerSpec {
  /** The registry key, looked up case-insensitively by {@code Optimizer.create}. */
  String name();

  /** Further registry keys for the same optimizer. */
  String[] aliases() default {};

  /** The learning rate when neither {@code learning_rate} nor a scheduler is given. */
  double learningRate() default 0.01;

  /**
   * With {@code param_idx2name}, a parameter whose name ends in none of these gets wd_mult 0
   * (MXNet's rule; its LARS keeps weight decay for {@code _weight} names only).
   */
  String[] decayedNameSuffixes() default {"_weight", "_gamma"};

  /**
   * Takes this spec's name and aliases from any other optimizer found on the class path under
   * them (a built-in one, say), on purpose. Without it, two optimizers found under one name make
   * that name an error when it is used, naming both: which one won would otherwise depend on the
   * order of the class path.
   */
  boolean replaces() default false;
}
