package org.optikern.model;

import org.optikern.lang.Statement;

/** A per-update scalar: {@code name = formula}, computed once per update in double arithmetic. */
public record ScalarModel(String name, Statement statement, String doc) {}
