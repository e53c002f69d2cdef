package org.optikern.optim;

import java.util.List;
import java.util.Map;

/**
 * Parameters updated with hyperparameters of their own ({@link Optimizer#addParameterGroup}):
 * their indices, the values the group sets, and the optimizer made with them, whose
 * hyperparameters, learning rate, weight decay and kernels the group's updates use.
 */
public record ParameterGroup(List<Integer> indices, Map<String, ?> hyperparameters, Optimizer optimizer) {}
