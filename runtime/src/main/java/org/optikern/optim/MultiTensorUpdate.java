package org.optikern.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.optikern.kernel.UpdateKernel;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * {@link Optimizer#updateAll}: many parameters in one call. Three phases: every parameter is
 * checked (nothing is counted or written if one is wrong); the bookkeeping of all of them runs under
 * the optimizer's lock in the list's order, as one {@code update} per parameter would; then the
 * elementwise work is cut into one equal share per core (see {@code tasks}), and the shares run on
 * the common pool.
 * Multi-precision float16 parameters convert their gradient and write their weight back piece by
 * piece, which is elementwise and so gives the bits of the whole-tensor conversion.
 */
final class MultiTensorUpdate {
  private MultiTensorUpdate() {}

  /**
   * One parameter, checked: what its kernel runs on, the parameter's own weight and gradient or, for
   * a multi-precision update, the float32 master copy and a float32 gradient.
   */
  private record Checked(ParameterUpdate parameter, UpdateKernel kernel, Tensor weight, Tensor grad, Object[] states,
      OptimizerState state, boolean multiPrecision) {
    int size() {
      return parameter.weight().size();
    }
  }

  /** A range of one parameter's elements, with the scalars of its update. */
  private record Piece(Checked checked, double[] scalars, int from, int length) {
    void run() {
      if (checked.multiPrecision()) {
        // the float32 gradient of this range, then the kernel on the master copy, then the float16 weight
        checked.parameter().grad().castInto(checked.grad(), from, length);
        checked.kernel().update(checked.weight().data(), checked.grad().data(), checked.states(), from, length, scalars);
        checked.weight().castInto(checked.parameter().weight(), from, length);
      } else {
        checked.kernel().update(checked.weight().data(), checked.grad().data(), checked.states(), from, length, scalars);
      }
    }
  }

  static void run(Optimizer optimizer, List<ParameterUpdate> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    List<Checked> checked = check(optimizer, parameters);
    List<double[]> scalars = new ArrayList<>();
    int threshold;
    int parallelism;
    synchronized (optimizer.bookkeepingLock()) {
      for (Checked c : checked) {
        optimizer.requireCountable(c.parameter().index());
      }
      for (Checked c : checked) {
        scalars.add(optimizer.bookkeeping(c.parameter().index(), c.size(), Optimizer.columnsOf(c.weight()), c.state()));
      }
      threshold = optimizer.parallelThresholdUnlocked();
      parallelism = optimizer.parallelismUnlocked();
    }
    List<List<Piece>> tasks = tasks(checked, scalars, threshold, parallelism);
    if (tasks.size() == 1) {
      tasks.get(0).forEach(Piece::run);
    } else {
      tasks.parallelStream().forEach(task -> task.forEach(Piece::run));
    }
    for (int c = 0; c < checked.size(); c++) {
      optimizer.keepAssignedScalarStates(checked.get(c).state(), scalars.get(c));
    }
  }

  private static List<Checked> check(Optimizer optimizer, List<ParameterUpdate> parameters) {
    Set<Integer> indices = new TreeSet<>();
    Set<Object> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Checked> checked = new ArrayList<>();
    for (int p = 0; p < parameters.size(); p++) {
      ParameterUpdate parameter = Objects.requireNonNull(parameters.get(p), "parameter " + p);
      if (!indices.add(parameter.index())) {
        throw new IllegalArgumentException("index " + parameter.index() + " appears twice in one multi-tensor update");
      }
      if (!arrays.add(parameter.weight().data())) {
        throw new IllegalArgumentException("the weight of index " + parameter.index()
            + " is also another parameter's weight in this update");
      }
      checked.add(checkOne(optimizer, parameter));
    }
    return checked;
  }

  private static Checked checkOne(Optimizer optimizer, ParameterUpdate p) {
    OptimizerState state = p.state();
    Tensor master = optimizer.masterCopy(p.weight(), p.grad(), state, "index " + p.index() + ": ");
    if (master != null) {
      // the float32 gradient is filled piece by piece when the update runs
      Tensor grad32 = Tensor.zeros(DType.FLOAT32, master.shape());
      UpdateKernel kernel = optimizer.kernelFor(p.index(), master, grad32, state.inner());
      return new Checked(p, kernel, master, grad32, Optimizer.stateArrays(kernel, state), state, true);
    }
    UpdateKernel kernel = optimizer.kernelFor(p.index(), p.weight(), p.grad(), state);
    return new Checked(p, kernel, p.weight(), p.grad(), Optimizer.stateArrays(kernel, state), state, false);
  }

  /**
   * The work, cut into {@code parallelism} tasks of about equal size: the tensors are laid end to
   * end and the line is cut every {@code total / parallelism} elements (at multiples of 64 within a
   * tensor), so a task may hold the end of one tensor, some whole ones and the start of another. A
   * tensor whose update reduces is never cut. Below the threshold (or on one core) everything is one
   * task, in order.
   */
  private static List<List<Piece>> tasks(List<Checked> checked, List<double[]> scalars, int threshold,
      int parallelism) {
    long total = 0;
    for (Checked c : checked) {
      total += c.size();
    }
    List<List<Piece>> tasks = new ArrayList<>();
    if (total < threshold || parallelism < 2) {
      List<Piece> all = new ArrayList<>();
      for (int p = 0; p < checked.size(); p++) {
        all.add(new Piece(checked.get(p), scalars.get(p), 0, checked.get(p).size()));
      }
      tasks.add(all);
      return tasks;
    }
    long target = Math.max(ALIGNMENT, (total + parallelism - 1) / parallelism);
    List<Piece> current = new ArrayList<>();
    long room = target;
    for (int p = 0; p < checked.size(); p++) {
      Checked c = checked.get(p);
      int from = 0;
      while (from < c.size()) {
        int rest = c.size() - from;
        int length;
        if (rest <= room || c.kernel().inOneCall()) {
          length = rest;
        } else {
          // fill the task up to its share, at a multiple of 64 elements into the tensor
          length = (int) (room / ALIGNMENT * ALIGNMENT);
        }
        if (length > 0) {
          current.add(new Piece(c, scalars.get(p), from, length));
          from += length;
          room -= length;
        }
        if (room < ALIGNMENT && from < c.size() || room <= 0) {
          tasks.add(current);
          current = new ArrayList<>();
          room = target;
        }
      }
    }
    if (!current.isEmpty()) {
      tasks.add(current);
    }
    return tasks;
  }

  /** Pieces of one tensor start at multiples of this many elements, as parallel chunks do. */
  private static final int ALIGNMENT = 64;
}
