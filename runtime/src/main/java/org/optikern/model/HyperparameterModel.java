package org.optikern.model;

/** A hyperparameter; {@code valid} is its validity condition's source, empty when any finite value goes. */
public record HyperparameterModel(String name, double defaultValue, String doc, String valid) {}
