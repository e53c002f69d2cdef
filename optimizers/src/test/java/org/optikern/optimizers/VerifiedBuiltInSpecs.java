package org.optikern.optimizers;

import org.optikern.spec.VerifyKernels;

/**
 * Every built-in optimizer's kernels against its spec's interpreter: the processor writes
 * {@code SignumKernelTests}, {@code AdamKernelTests}, ... here, one per spec in this
 * package, so a new spec is verified without an edit here. Also the suite the mutation score of
 * generated kernels is measured with (README).
 */
@VerifyKernels(allInPackage = true)
class VerifiedBuiltInSpecs {}
