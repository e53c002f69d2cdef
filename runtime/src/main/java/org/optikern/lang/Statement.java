package org.optikern.lang;

/** One line of an update: {@code target = value}, with the source it was parsed from. */
public record Statement(String target, Span targetSpan, Expr value, String source) {}
