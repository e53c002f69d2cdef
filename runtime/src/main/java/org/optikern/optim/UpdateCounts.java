package org.optikern.optim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** An optimizer's update counts at one moment: {@code num_update} and the count of every index seen. */
record UpdateCounts(int numUpdate, Map<Integer, Integer> byIndex) {
  UpdateCounts {
    byIndex = Collections.unmodifiableMap(new TreeMap<>(byIndex));
  }
}
