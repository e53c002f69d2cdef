package org.optikern.optimizers;

import org.optikern.spec.VerifyKernels;

/**
 * Every built-in optimizer's kernels against its spec's interpreter: the processor writes
 * {@code SignumKernelProperties}, {@code AdamKernelProperties}, ... here. Also the suite the
 * mutation score of generated kernels is measured with (README).
 */
@VerifyKernels({SignumSpec.class, SgdSpec.class, NagSpec.class, AdamSpec.class, AdamWSpec.class, LionSpec.class,
    AdaBeliefSpec.class, RmsPropSpec.class, AdaGradSpec.class, AdaDeltaSpec.class, AdamaxSpec.class, FtrlSpec.class})
class VerifiedBuiltInSpecs {}
