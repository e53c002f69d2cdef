package org.optikern.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.optikern.optim.Optimizer;

class NameRulesTest {
  /**
   * A hyperparameter accessor must never override or hide an Optimizer method (an instance method
   * with a static one's signature does not compile either): the reserved list must be complete.
   */
  @Test
  void reservedAccessorsAreExactlyOptimizersZeroArgumentMethods() {
    Set<String> actual = new TreeSet<>();
    for (Method m : Optimizer.class.getMethods()) {
      if (m.getParameterCount() == 0) {
        actual.add(m.getName());
      }
    }
    // protected methods of Optimizer and every superclass, Object's clone() and finalize() included
    for (Class<?> c = Optimizer.class; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getParameterCount() == 0 && Modifier.isProtected(m.getModifiers())) {
          actual.add(m.getName());
        }
      }
    }
    assertTrue(actual.containsAll(Set.of("clone", "finalize")), "Object's protected methods: " + actual);
    assertTrue(NameRules.OPTIMIZER_ACCESSORS.containsAll(actual), "missing: " + difference(actual));
  }

  private static Set<String> difference(Set<String> actual) {
    Set<String> missing = new TreeSet<>(actual);
    missing.removeAll(NameRules.OPTIMIZER_ACCESSORS);
    return missing;
  }

  @Test
  void ordinaryNamesAreFine() {
    for (String name : new String[] {"momentum", "wd_lh", "beta1", "epsilon", "lamda", "m"}) {
      assertNull(NameRules.problemWith(name), name);
    }
    assertEquals("is a Java keyword", NameRules.problemWith("double"));
  }
}
