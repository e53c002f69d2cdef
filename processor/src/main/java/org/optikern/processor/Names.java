package org.optikern.processor;

import org.optikern.model.OptimizerModel;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.DType;

/** The names of generated classes, derived from the spec type's name. */
final class Names {
  static final String SPEC_SUFFIX = "Spec";

  private Names() {}

  /** {@code SignumSpec} names the optimizer {@code Signum}. */
  static String optimizerClass(OptimizerModel model) {
    String type = model.typeName();
    return type.substring(0, type.length() - SPEC_SUFFIX.length());
  }

  /** {@code SignumMomentumClippedF32Kernel}. */
  static String kernelClass(OptimizerModel model, SwitchSet switches, DType dtype) {
    return optimizerClass(model) + switches.label() + dtype.shortName() + "Kernel";
  }

  /** {@code SignumMomentumClippedF32VectorKernel}: the SIMD twin. */
  static String vectorKernelClass(OptimizerModel model, SwitchSet switches, DType dtype) {
    return optimizerClass(model) + switches.label() + dtype.shortName() + "VectorKernel";
  }

  static String kernelsClass(OptimizerModel model) {
    return optimizerClass(model) + "Kernels";
  }

  static String elementLocal(String array) {
    return array + "_i";
  }

  /** The partial results of reduction {@code target} in a pass: {@code KernelMath.LANES} of them. */
  static String lanesLocal(String target) {
    return target + "_lanes";
  }
}
