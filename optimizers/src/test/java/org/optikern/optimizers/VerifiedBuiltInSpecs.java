package org.optikern.optimizers;

import org.optikern.spec.VerifyKernels;

/**
 * Every built-in optimizer's kernels against its spec's interpreter: the processor writes
 * {@code SignumKernelProperties} here. Also the suite the mutation score of generated kernels is
 * measured with (README).
 */
@VerifyKernels(SignumSpec.class)
class VerifiedBuiltInSpecs {}
