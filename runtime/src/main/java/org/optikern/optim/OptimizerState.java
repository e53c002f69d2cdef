package org.optikern.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.optikern.tensor.Tensor;

/**
 * The state arrays of one parameter, named as in the spec ({@code mom}), plus, for
 * multi-precision float16 training, the float32 master copy of the weight. A variant without
 * states (Signum with momentum 0) has an empty state: MXNet returns None there.
 */
public final class OptimizerState {
  private final String optimizer;
  private final List<String> names;
  private final List<Tensor> arrays;
  private final Tensor master;
  private final List<String> scalarNames;
  /** The scalar states' values, shared with {@link #inner()}: the optimizer writes them after every update. */
  private final double[] scalarValues;

  OptimizerState(String optimizer, List<String> names, List<Tensor> arrays, Tensor master) {
    this(optimizer, names, arrays, master, List.of(), new double[0]);
  }

  OptimizerState(String optimizer, List<String> names, List<Tensor> arrays, Tensor master, List<String> scalarNames,
      double[] scalarValues) {
    if (scalarNames.size() != scalarValues.length) {
      throw new IllegalArgumentException(scalarNames.size() + " scalar states but " + scalarValues.length + " values");
    }
    this.optimizer = optimizer;
    this.names = List.copyOf(names);
    this.arrays = List.copyOf(arrays);
    this.master = master;
    this.scalarNames = List.copyOf(scalarNames);
    this.scalarValues = scalarValues;
  }

  /** The registry name of the optimizer that created this state. */
  public String optimizer() {
    return optimizer;
  }

  public List<String> names() {
    return names;
  }

  public List<Tensor> arrays() {
    return arrays;
  }

  public boolean isEmpty() {
    return arrays.isEmpty() && scalarNames.isEmpty();
  }

  /** The scalar states (one number per parameter, such as Nadam's {@code m_schedule}), in spec order. */
  public List<String> scalarNames() {
    return scalarNames;
  }

  /** A scalar state's current value. */
  public double scalar(String name) {
    int i = scalarNames.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no scalar state '" + name + "' here; scalar states: " + scalarNames);
    }
    return scalarValues[i];
  }

  /** The live values, in the order of {@link #scalarNames()}: read before and written after each update. */
  double[] scalarValues() {
    return scalarValues;
  }

  public Tensor get(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no state '" + name + "' here; states: " + names);
    }
    return arrays.get(i);
  }

  /** The float32 master copy of a float16 weight, when created by {@code createStateMultiPrecision}. */
  public Optional<Tensor> master() {
    return Optional.ofNullable(master);
  }

  /** The same arrays without the master copy: what the float32 update of the master runs with. */
  OptimizerState inner() {
    return new OptimizerState(optimizer, names, arrays, null, scalarNames, scalarValues);
  }

  /**
   * This state with its arrays in the storage of {@code weight} (heap or off-heap), copied bit for
   * bit where they are elsewhere; this state itself when they are there already, or when it holds a
   * master copy (whose float32 update always runs on the heap). The scalar states are shared.
   */
  OptimizerState inStorageOf(Tensor weight) {
    if (master != null || arrays.stream().allMatch(a -> a.isOffHeap() == weight.isOffHeap())) {
      return this;
    }
    List<Tensor> moved = new ArrayList<>();
    for (Tensor array : arrays) {
      moved.add(array.isOffHeap() == weight.isOffHeap() ? array : weight.isOffHeap() ? array.offHeap() : array.onHeap());
    }
    return new OptimizerState(optimizer, names, moved, null, scalarNames, scalarValues);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + "=" + arrays.get(i));
    }
    if (master != null) {
      parts.add("master=" + master);
    }
    for (int i = 0; i < scalarNames.size(); i++) {
      parts.add(scalarNames.get(i) + "=" + scalarValues[i]);
    }
    return "OptimizerState" + parts;
  }
}
