package org.optikern.djl;

import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stable int index for each (DJL parameter id, device): Optikern keys states and update counts by
 * int, DJL by string. One index per device because DJL's {@code LocalParameterServer} calls the
 * optimizer once per device copy of a parameter, and each copy needs states of its own (as DJL's own
 * optimizers keep them per device).
 */
final class ParameterIndices {
  private final Map<String, Integer> indices = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** The index of {@code parameterId} on {@code device}, assigned on first sight in arrival order. */
  int indexOf(String parameterId, Device device) {
    return indices.computeIfAbsent(parameterId + '@' + device, key -> next.getAndIncrement());
  }

  /** How many (parameter, device) pairs have been seen. */
  int size() {
    return indices.size();
  }
}
