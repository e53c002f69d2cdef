package org.optikern.spark;

import org.optikern.spec.VerifyKernels;

/** The processor writes a kernel suite per spec of this package here: every kernel against the spec's interpreter. */
@VerifyKernels(allInPackage = true)
class VerifiedSparkSpecs {}
