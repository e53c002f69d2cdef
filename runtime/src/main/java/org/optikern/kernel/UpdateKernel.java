package org.optikern.kernel;

import java.util.List;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/**
 * One generated kernel: the update of one variant (storage type and switch values), as a tight
 * loop over {@code [offset, offset + length)}. The typed static {@code update} method of each
 * generated class is the fast entry; this interface is the uniform one that optimizers and the
 * property suites use. Scalars are laid out as the model's {@code scalarNames()}: {@code lr},
 * {@code wd}, {@code rescale_grad}, {@code clip_gradient}, {@code t}, the spec's hyperparameters,
 * then its per-update scalars ({@code @Scalar}); build a vector by {@code scalarIndex(name)}.
 */
public interface UpdateKernel {
  DType dtype();

  SwitchSet switches();

  /** The state arrays this kernel reads and writes, in the order {@link #update} takes them. */
  List<String> stateNames();

  void update(Object weight, Object grad, Object[] states, int offset, int length, double[] scalars);

  /**
   * Whether the update must run over the whole tensor in one call, never in chunks: it reduces over
   * the range ({@code let s = sumsq(weight)}), which is then the tensor, or assigns a scalar state,
   * which it writes back into {@code scalars} (where chunks would read each other's value).
   */
  default boolean inOneCall() {
    return false;
  }
}
