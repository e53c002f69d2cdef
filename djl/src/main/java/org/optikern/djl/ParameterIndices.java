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
  /** A parameter's copy on one device; devices compare as DJL compares them (all CPUs are one). */
  private record DeviceCopy(String parameterId, Device device) {}

  private final Map<DeviceCopy, Integer> indices = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** The index of {@code parameterId} on {@code device}, assigned on first sight in arrival order. */
  int indexOf(String parameterId, Device device) {
    return indices.computeIfAbsent(new DeviceCopy(parameterId, device), key -> next.getAndIncrement());
  }

  /** How many (parameter, device) pairs have been seen. */
  int size() {
    return indices.size();
  }
}
