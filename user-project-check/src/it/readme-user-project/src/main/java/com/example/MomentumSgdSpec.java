package com.example;

import org.optikern.spec.*;

/** SGD with momentum, as MXNet's sgd_mom_update computes it. */
@OptimizerSpec(name = "momentum_sgd", aliases = "msgd", learningRate = 0.01)
@Hyperparameter(name = "momentum", defaultValue = 0.9, doc = "decay of the velocity")
@Switch(name = "momentum", when = "momentum != 0")
@State(name = "mom", when = "momentum")
@Update(when = "momentum", formulas = {
    "mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad, clip_gradient)",
    "weight = weight + mom"})
@Update(when = "!momentum",
    formulas = "weight = (1 - lr*wd)*weight - lr*clip(rescale_grad*grad, clip_gradient)")
public interface MomentumSgdSpec {}
