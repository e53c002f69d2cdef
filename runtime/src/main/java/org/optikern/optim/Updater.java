package org.optikern.optim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.optikern.tensor.Tensor;

/**
 * MXNet's {@code mxnet.optimizer.Updater}: owns the state of every parameter index, creates it on
 * the index's first update ({@code create_state_multi_precision}) and updates through
 * {@code update_multi_precision}. Its states and the optimizer's update counts can be saved to a
 * checkpoint and loaded back bit for bit (MXNet's {@code get_states}/{@code set_states}; the format
 * is Optikern's own, see {@link UpdaterCheckpoint}).
 *
 * <p>MXNet calls {@code updater(index, grad, weight)}; this method takes the weight first, as
 * {@link Optimizer#update} does.
 *
 * <p>Threads: updates of distinct indices may run concurrently, with the guarantees of
 * {@link Optimizer}. {@link #save} and {@link #load} wait for running updates and hold new ones
 * back, so a checkpoint never sees half an update. Concurrent updates of the same index are not
 * supported.
 */
public final class Updater {
  private final Optimizer optimizer;
  private final Map<Integer, OptimizerState> states = new ConcurrentHashMap<>();
  /** Updates share it; save and load take it alone. */
  private final ReadWriteLock checkpointLock = new ReentrantReadWriteLock();

  public Updater(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** Updates {@code weight} in place, creating the index's state on its first update. */
  public void update(int index, Tensor weight, Tensor grad) {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(grad, "grad");
    checkpointLock.readLock().lock();
    try {
      OptimizerState state = states.get(index);
      if (state == null) {
        // created, and kept, only once the update has been accepted: a rejected first update leaves nothing behind
        OptimizerState created = optimizer.createStateMultiPrecision(index, weight);
        optimizer.updateMultiPrecision(index, weight, grad, created);
        states.put(index, created);
      } else {
        // a state loaded from a checkpoint is on the heap; an off-heap weight gets its states moved next to it
        OptimizerState placed = state.inStorageOf(weight);
        optimizer.updateMultiPrecision(index, weight, grad, placed);
        states.replace(index, state, placed);
      }
    } finally {
      checkpointLock.readLock().unlock();
    }
  }

  /**
   * Updates several parameters in one call ({@link Optimizer#updateAll}): the same bits, states
   * and counts as {@link #update(int, Tensor, Tensor)} for each in order, the work spread over the
   * optimizer's cores. New indices get their state, kept only if the whole call is accepted.
   * MXNet's updater takes lists the same way.
   */
  public void update(List<Integer> indices, List<Tensor> weights, List<Tensor> grads) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(grads, "grads");
    if (indices.size() != weights.size() || indices.size() != grads.size()) {
      throw new IllegalArgumentException(indices.size() + " indices, " + weights.size() + " weights and " + grads.size()
          + " gradients: one of each per parameter");
    }
    checkpointLock.readLock().lock();
    try {
      Map<Integer, OptimizerState> created = new java.util.HashMap<>();
      List<ParameterUpdate> parameters = new java.util.ArrayList<>();
      for (int p = 0; p < indices.size(); p++) {
        int index = Objects.requireNonNull(indices.get(p), "index " + p);
        Tensor weight = Objects.requireNonNull(weights.get(p), "weight " + p);
        OptimizerState state = states.get(index);
        if (state == null) {
          state = created.computeIfAbsent(index, i -> optimizer.createStateMultiPrecision(i, weight));
        } else if (!created.containsKey(index)) {
          // moved next to an off-heap weight (or back): kept only if the whole call is accepted, like a new state
          OptimizerState placed = state.inStorageOf(weight);
          if (placed != state) {
            created.put(index, placed);
            state = placed;
          }
        } else {
          state = created.get(index);
        }
        parameters.add(new ParameterUpdate(index, weight, grads.get(p), state));
      }
      optimizer.updateAll(parameters);
      states.putAll(created);
    } finally {
      checkpointLock.readLock().unlock();
    }
  }

  /** The state of {@code index}, empty before its first update. */
  public Optional<OptimizerState> state(int index) {
    return Optional.ofNullable(states.get(index));
  }

  /** Every state by index, in index order (a snapshot of the map; the arrays are the live ones). */
  public Map<Integer, OptimizerState> states() {
    return Collections.unmodifiableMap(new TreeMap<>(states));
  }

  /** Writes every state and the optimizer's update counts to {@code out} (which stays open). */
  public void save(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    checkpointLock.writeLock().lock();
    try {
      UpdaterCheckpoint.write(out, optimizer.name(), optimizer.updateCounts(), states, optimizer.parameterGroups());
    } finally {
      checkpointLock.writeLock().unlock();
    }
  }

  /** Saves to {@code file} through a temporary file and a rename, so a crash never leaves half a checkpoint. */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        save(out);
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Replaces every state and the optimizer's update counts with a checkpoint's. The whole
   * checkpoint is read and checked first (checksum, optimizer name, each state against what this
   * optimizer creates for its dtype); if anything is wrong, {@link InvalidCheckpointException} is
   * thrown and nothing in memory has changed. Loaded states are new arrays: tensors obtained from
   * {@link #state} before are no longer used. The checkpoint's parameter groups replace the
   * optimizer's (one of version 2 or older has none, and leaves them as they are).
   */
  public void load(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    UpdaterCheckpoint checkpoint = UpdaterCheckpoint.read(in);
    List<ParameterGroup> groups = checkpoint.checkFits(optimizer);
    checkpointLock.writeLock().lock();
    try {
      if (groups != null) {
        optimizer.replaceParameterGroups(groups);
      }
      states.clear();
      states.putAll(checkpoint.states());
      optimizer.restoreUpdateCounts(checkpoint.counts());
    } finally {
      checkpointLock.writeLock().unlock();
    }
  }

  public void load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      load(in);
    }
  }
}
