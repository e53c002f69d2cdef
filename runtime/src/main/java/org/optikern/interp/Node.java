package org.optikern.interp;

/** A formula compiled for the interpreter: names resolved to slots of a flat environment. */
interface Node {
  double eval(double[] env, Arithmetic arithmetic);
}
