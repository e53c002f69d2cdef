package org.optikern.model;

/**
 * A scalar state: one double per parameter, created as {@code initial}, assigned by {@code @Scalar}s
 * and read by every formula after them, like a scalar.
 */
public record ScalarStateModel(String name, double initial) {}
