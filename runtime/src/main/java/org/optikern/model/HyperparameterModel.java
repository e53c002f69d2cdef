package org.optikern.model;

public record HyperparameterModel(String name, double defaultValue, String doc) {}
