package org.optikern.tests;

import org.optikern.optimizers.SignumSpec;
import org.optikern.spec.VerifyKernels;
import org.optikern.tests.specs.MomentumSgdSpec;
import org.optikern.tests.specs.PrimitivesSpec;
import org.optikern.tests.specs.ProbeSpec;

/**
 * What a user writes to verify their own specs: the processor generates {@code SignumKernelProperties},
 * {@code MomentumSgdKernelProperties}, ... in this package, one jqwik property per kernel.
 */
@VerifyKernels({SignumSpec.class, MomentumSgdSpec.class, PrimitivesSpec.class, ProbeSpec.class})
class VerifiedSpecs {}
