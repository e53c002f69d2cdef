package org.optikern.tests;

import org.optikern.spec.VerifyKernels;
import org.optikern.tests.specs.ElementCountSpec;
import org.optikern.tests.specs.MomentumSgdSpec;
import org.optikern.tests.specs.PerElementScaleSpec;
import org.optikern.tests.specs.PrimitivesSpec;
import org.optikern.tests.specs.ProbeSpec;

/**
 * What a user writes to verify their own specs: the processor generates {@code MomentumSgdKernelTests},
 * {@code PrimitivesKernelTests}, {@code ProbeKernelTests}, {@code ElementCountKernelTests} and
 * {@code PerElementScaleKernelTests} in this package, one jqwik property per kernel. (The built-in
 * Signum is verified in its own module.)
 */
@VerifyKernels({MomentumSgdSpec.class, PrimitivesSpec.class, ProbeSpec.class, ElementCountSpec.class,
    PerElementScaleSpec.class})
class VerifiedSpecs {}
