package com.example;

import org.optikern.spec.VerifyKernels;

@VerifyKernels(allInPackage = true)   // writes MomentumSgdKernelTests here: every kernel against the interpreter
class VerifiedSpecs {}
