#!/usr/bin/env python3
"""Golden cases for the built-in optimizers, worked out from the reference formulas.

Each optimizer is re-implemented here with numpy float32 arithmetic, independently of the Optikern
specs, from what Apache MXNet 1.9.1 computes (python/mxnet/optimizer/optimizer.py and
src/operator/optimizer_op-inl.h at tag 1.9.1), MXNet 2.0 for AdamW and AdaBelief
(python/mxnet/optimizer/adamW.py, adabelief.py, src/operator/contrib/adamw-inl.h,
adabelief-inl.h), lucidrains/lion-pytorch for Lion, PyTorch's torch/optim/radam.py for RAdam and
TensorFlow Addons' tensorflow_addons/optimizers/yogi.py for Yogi:

- the Python layer in double: per-index update count t (from begin_num_update), lr and wd,
  bias corrections and other Python-computed scalars;
- every scalar handed to a kernel or an NDArray op rounded once to float32 (Optikern passes the
  nearest float; MXNet's own string parser can be one ulp off for exponent-notation values, which
  these cases avoid);
- every kernel or NDArray operation in float32, in the source's order and grouping.

Every case runs in float32 at index 0 with 9 elements; every one runs again in float64 at index 2
with 150 elements, the Python layer and the kernels in double (see SIZE_64; the eight optimizers of
LIBM_IN_DOUBLE are compared within measured ulp bounds, the rest bit for bit); twelve optimizers
(Signum included) also run in float16 at index 1 with 150 elements, following Optikern's float16
semantics (see SIZE_16); RAdam, Yogi and LBSGD come last (see CASES_18). Nadam's, LARS's and LBSGD's
scalar states are written after every update. Each block
of cases draws from its own generator, so adding one leaves the earlier lines byte for byte as they
were.

Run from the repository root (needs numpy; not part of the build):
    python3 tools/golden/zoo_reference.py > optimizers/src/test/resources/golden/zoo-reference.jsonl
Arrays are written as bit patterns in hex: float32, float64 or float16 by the case's "dtype"
(float32 when absent).
"""
import decimal
import json
import math

import numpy as np

F = np.float32


HALF = False


def f(x):
    """A Python double handed to a float32 kernel parameter or NDArray scalar op."""
    return F(x)


def st(x):
    """A value the kernel stores into one of its arrays (a state or the weight), as later reads see it.

    float32 and float64: the value in F. float16 (HALF): Optikern computes in float and rounds each
    stored value once to half (round to nearest even, numpy's float32 -> float16 conversion); a later
    formula reads the stored half back, not the float it came from.
    """
    if HALF:
        return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)
    return x.astype(F)


def clip(x, bound):
    """mshadow_op::clip: x > b ? b : (x < -b ? -b : x), NaN passes."""
    b = f(bound)
    return np.where(x > b, b, np.where(x < -b, -b, x)).astype(F)


def powf(base, exponent):
    """C's powf on floats, as glibc computes it for these cases: the double power rounded to float.

    Not numpy's float32 power, whose SIMD loop is not correctly rounded (0.9f**4 comes out one ulp
    low, where glibc's powf and the correctly rounded value agree).
    """
    return F(float(base) ** float(exponent))


def sign(x):
    return np.where(x < 0, F(-1), np.where(x > 0, F(1), F(0))).astype(F)


class Base:
    """mxnet.optimizer.Optimizer's bookkeeping for one parameter index."""

    lr_default = 0.01

    def __init__(self, params, index=0):
        self.p = dict(params)
        self.index = index
        self.lr = self.p.get("learning_rate", self.lr_default)
        self.wd = self.p.get("wd", 0.0)
        self.rescale = self.p.get("rescale_grad", 1.0)
        self.clip_gradient = self.p.get("clip_gradient")  # None: off
        self.count = self.p.get("begin_num_update", 0)

    def hp(self, name, default):
        value = self.p.get(name, default)
        return float(value) if not isinstance(value, bool) else (1.0 if value else 0.0)

    def clipping(self):
        # MXNet's fused kernels clip when Python passed clip_gradient, i.e. when it is truthy (and >= 0)
        return bool(self.clip_gradient) and self.clip_gradient > 0

    def initial(self, name, w):
        return np.zeros_like(w)

    def step(self, w, g, s):
        self.count += 1
        return self.update(w, g, s, self.count, self.lr, self.wd)

    def scalar_states(self):
        """Optikern's scalar states (@State(scalar = true)) by name, after the last update: none by default."""
        return {}


class Sgd(Base):
    """multi_sgd_update / multi_sgd_mom_update (MultiSGDKernel)."""

    def states(self):
        return ["mom"] if self.hp("momentum", 0.0) != 0 else []

    def update(self, w, g, s, t, lr, wd):
        mu = f(self.hp("momentum", 0.0))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        mom = s["mom"] if "mom" in s else np.zeros_like(w)
        m_mu = mu if "mom" in s else F(0)
        if self.clipping():
            mom = (m_mu * mom - (lr * wd) * w) - lr * clip(rs * g, self.clip_gradient)
        else:
            mom = (m_mu * mom - (lr * wd) * w) - (lr * rs) * g
        if "mom" in s:
            mom = st(mom)  # multi_sgd_mom_update stores mom, then reads it back for the weight
            s["mom"] = mom
        return st(w + mom)


class Signum(Base):
    """signum_update (SignumKernel) / signsgd_update (SignSGDKernel); only float16 cases here.

    Signum's float32 and float64 cases are real MXNet outputs (generated-tests). signSGD with wd_lh
    applies wd + wd_lh as decoupled decay, Optikern's documented choice (MXNet's call fails there).
    """

    def states(self):
        return ["mom"] if self.hp("momentum", 0.9) != 0 else []

    def update(self, w, g, s, t, lr, wd):
        mu, wd_lh = f(self.hp("momentum", 0.9)), f(self.hp("wd_lh", 0.0))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        if "mom" not in s:  # signSGD: no rescaling, no clipping
            return st((F(1) - lr * (wd + wd_lh)) * w - lr * sign(g))
        if self.clipping():
            mom = (mu * s["mom"] - ((F(1) - mu) * wd) * w) - (F(1) - mu) * clip(rs * g, self.clip_gradient)
        else:
            mom = (mu * s["mom"] - ((F(1) - mu) * wd) * w) - ((F(1) - mu) * rs) * g
        s["mom"] = st(mom)
        return st((F(1) - lr * wd_lh) * w + lr * sign(s["mom"]))


class Nag(Base):
    """nag_mom_update (NAGMomKernel, out aliasing weight) or sgd_update (SGDKernel)."""

    def states(self):
        return ["mom"] if self.hp("momentum", 0.0) != 0 else []

    def update(self, w, g, s, t, lr, wd):
        mu = f(self.hp("momentum", 0.0))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        gg = clip(rs * g, self.clip_gradient) if self.clipping() else rs * g
        if "mom" not in s:
            if self.clipping():
                return st((F(1) - lr * wd) * w - lr * gg)
            return st((F(1) - lr * wd) * w - (lr * rs) * g)
        mom = st(mu * s["mom"])  # mom_data[i] *= momentum
        out = st((w - mom) + (mu + F(1)) * (mom - lr * (gg + wd * w)))
        s["mom"] = st(mom - lr * (gg + wd * out))  # reads the weight just written
        return out


class Adam(Base):
    """mxnet.optimizer.Adam + adam_update (AdamUpdateKernel)."""

    lr_default = 0.001

    def states(self):
        return ["mean", "variance"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = self.hp("beta1", 0.9), self.hp("beta2", 0.999), self.hp("epsilon", 1e-8)
        coef1 = 1. - b1 ** t
        coef2 = 1. - b2 ** t
        lr *= math.sqrt(coef2) / coef1
        b1, b2, eps, lr, wd, rs = f(b1), f(b2), f(eps), f(lr), f(wd), f(self.rescale)
        gr = g * rs + w * wd
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        s["mean"] = st(b1 * s["mean"] + (F(1) - b1) * gr)
        s["variance"] = st(b2 * s["variance"] + ((F(1) - b2) * gr) * gr)
        return st(w - (lr * s["mean"]) / (np.sqrt(s["variance"]) + eps))


class AdamW(Base):
    """MXNet 2.0 AdamW (correct_bias) + adamw_update with lr=1, eta=bias-corrected lr."""

    lr_default = 0.001

    def states(self):
        return ["mean", "variance"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = self.hp("beta1", 0.9), self.hp("beta2", 0.999), self.hp("epsilon", 1e-6)
        coef1 = 1. - b1 ** t
        coef2 = 1. - b2 ** t
        eta = f(lr * math.sqrt(coef2) / coef1)
        b1, b2, eps, wd, rs = f(b1), f(b2), f(eps), f(wd), f(self.rescale)
        gr = rs * g
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        s["mean"] = st(b1 * s["mean"] + (F(1) - b1) * gr)
        s["variance"] = st(b2 * s["variance"] + (F(1) - b2) * (gr * gr))
        return st(w - eta * ((F(1) * s["mean"]) / (np.sqrt(s["variance"]) + eps) + wd * w))


class Lion(Base):
    """lion-pytorch's update with this library's rescale/clip and float32 scalars."""

    lr_default = 1e-4

    def states(self):
        return ["m"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2 = f(self.hp("beta1", 0.9)), f(self.hp("beta2", 0.99))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        gr = rs * g
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        w = st(w * (F(1) - lr * wd))
        w = st(w - lr * sign(b1 * s["m"] + (F(1) - b1) * gr))
        s["m"] = st(b2 * s["m"] + (F(1) - b2) * gr)
        return w


class AdaBelief(Base):
    """MXNet 2.0 AdaBelief (correct_bias) + adabelief_update with lr=1, eta=bias-corrected lr."""

    lr_default = 0.001

    def states(self):
        return ["mean", "variance"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = self.hp("beta1", 0.9), self.hp("beta2", 0.999), self.hp("epsilon", 1e-6)
        eta = f(lr * math.sqrt(1. - b2 ** t) / (1. - b1 ** t))
        b1, b2, eps, wd, rs = f(b1), f(b2), f(eps), f(wd), f(self.rescale)
        gr = rs * g + wd * w
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        s["mean"] = st(b1 * s["mean"] + (F(1) - b1) * gr)
        dev = gr - s["mean"]
        s["variance"] = st((b2 * s["variance"] + (F(1) - b2) * (dev * dev)) + eps)
        return st(w - eta * ((F(1) * s["mean"]) / (np.sqrt(s["variance"]) + eps)))


class RmsProp(Base):
    """rmsprop_update (RMSPropUpdateKernel) / rmspropalex_update (RMSPropAlexUpdateKernel)."""

    lr_default = 0.001

    def states(self):
        return ["n", "g", "delta"] if self.hp("centered", 0) else ["n"]

    def update(self, w, g, s, t, lr, wd):
        g1, g2, eps = f(self.hp("gamma1", 0.9)), f(self.hp("gamma2", 0.9)), f(self.hp("epsilon", 1e-8))
        cw = self.hp("clip_weights", 0)
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        gr = rs * g + wd * w
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        if not self.hp("centered", 0):
            s["n"] = st((F(1) - g1) * (gr * gr) + g1 * s["n"])
            out = (w - lr * (gr / np.sqrt(s["n"] + eps))).astype(F)
        else:
            s["n"] = st(((F(1) - g1) * gr) * gr + g1 * s["n"])
            s["g"] = st((F(1) - g1) * gr + g1 * s["g"])
            s["delta"] = st(g2 * s["delta"] - (lr * gr) / np.sqrt((s["n"] - s["g"] * s["g"]) + eps))
            out = (w + s["delta"]).astype(F)
        return st(clip(out, cw) if cw > 0 else out)  # the weight is clipped, then stored


class AdaGrad(Base):
    """mxnet.optimizer.AdaGrad, dense path: NDArray operations."""

    def states(self):
        return ["history"]

    def update(self, w, g, s, t, lr, wd):
        eps = f(self.hp("eps", 1e-7))
        grad = (g * f(self.rescale)).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        s["history"] = (s["history"] + grad * grad).astype(F)
        div = (grad / np.sqrt(s["history"] + eps)).astype(F)
        return (w + (div + w * f(wd)) * f(-lr)).astype(F)


class AdaDelta(Base):
    """mxnet.optimizer.AdaDelta: NDArray operations, no learning rate."""

    def states(self):
        return ["acc_g", "acc_delta"]

    def update(self, w, g, s, t, lr, wd):
        rho, eps = self.hp("rho", 0.9), self.hp("epsilon", 1e-5)
        grad = (g * f(self.rescale)).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        s["acc_g"] = (s["acc_g"] * f(rho)).astype(F)
        s["acc_g"] = (s["acc_g"] + (f(1. - rho) * grad) * grad).astype(F)
        delta = (np.sqrt(s["acc_delta"] + f(eps)) / np.sqrt(s["acc_g"] + f(eps)) * grad).astype(F)
        s["acc_delta"] = (s["acc_delta"] * f(rho)).astype(F)
        s["acc_delta"] = (s["acc_delta"] + (f(1. - rho) * delta) * delta).astype(F)
        return (w - (delta + f(wd) * w)).astype(F)


class Adamax(Base):
    """mxnet.optimizer.Adamax: NDArray operations."""

    lr_default = 0.002

    def states(self):
        return ["m", "u"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2 = self.hp("beta1", 0.9), self.hp("beta2", 0.999)
        lr /= (1. - b1 ** t)
        grad = (g * f(self.rescale) + f(wd) * w).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        s["m"] = (s["m"] * f(b1)).astype(F)
        s["m"] = (s["m"] + f(1. - b1) * grad).astype(F)
        s["u"] = np.maximum((f(b2) * s["u"]).astype(F), np.abs(grad)).astype(F)
        return (w - (f(lr) * s["m"]) / s["u"]).astype(F)


class Ftrl(Base):
    """ftrl_update (FtrlUpdateKernel)."""

    lr_default = 0.1

    def states(self):
        return ["z", "n"]

    def update(self, w, g, s, t, lr, wd):
        l1, beta = f(self.hp("lamda1", 0.01)), f(self.hp("beta", 1))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        gr = g * rs
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        n = s["n"]
        s["z"] = st(s["z"] + (gr - ((np.sqrt(n + gr * gr) - np.sqrt(n)) * w) / lr))
        s["n"] = st(n + gr * gr)
        z = s["z"]
        return st(((sign(z) * l1 - z) / ((beta + np.sqrt(s["n"])) / lr + wd))
                  * np.where(np.abs(z) > l1, F(1), F(0)))


class Ftml(Base):
    """ftml_update (FTMLKernel): t and every parameter as float, beta^t by float powf."""

    def states(self):
        return ["d", "v", "z"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = f(self.hp("beta1", 0.6)), f(self.hp("beta2", 0.999)), f(self.hp("epsilon", 1e-8))
        lr, wd, rs, tf = f(lr), f(wd), f(self.rescale), F(t)
        gi = rs * g + wd * w
        if self.clipping():
            gi = clip(gi, self.clip_gradient)
        s["v"] = st(b2 * s["v"] + (F(1) - b2) * (gi * gi))
        d_t = ((F(1) - powf(b1, tf)) / lr * (np.sqrt(s["v"] / (F(1) - powf(b2, tf))) + eps)).astype(F)  # a local
        s["z"] = st((b1 * s["z"] + (F(1) - b1) * gi) - (d_t - b1 * s["d"]) * w)
        s["d"] = st(d_t)
        return st(-s["z"] / d_t)


class RAdam(Base):
    """torch.optim.RAdam's _single_tensor_radam (PyTorch's path on the CPU): the scalars in Python
    double, handed to each tensor operation as a float; every tensor operation rounded once (no FMA)."""

    lr_default = 0.001

    def states(self):
        return ["mean", "variance"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = self.hp("beta1", 0.9), self.hp("beta2", 0.999), self.hp("epsilon", 1e-8)
        rs = f(self.rescale)
        if self.hp("decoupled_weight_decay", 0):
            if wd != 0:
                w = st(w * f(1. - lr * wd))  # param.mul_(1 - lr*weight_decay)
            gr = rs * g
        else:
            gr = rs * g + f(wd) * w if wd != 0 else rs * g  # grad.add(param, alpha=weight_decay)
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        weight = f(1. - b1)  # exp_avg.lerp_(grad, 1 - beta1)
        if abs(weight) < 0.5:
            s["mean"] = st(s["mean"] + weight * (gr - s["mean"]))
        else:
            s["mean"] = st(gr - (gr - s["mean"]) * (F(1) - weight))
        s["variance"] = st(s["variance"] * f(b2))  # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        s["variance"] = st(s["variance"] + (f(1. - b2) * gr) * gr)
        bias_correction1 = 1. - b1 ** t
        bias_correction2 = 1. - b2 ** t
        m_hat = s["mean"] / f(bias_correction1)
        rho_inf = 2. / (1. - b2) - 1.
        rho_t = rho_inf - 2. * t * (b2 ** t) / bias_correction2
        if rho_t > 5.:
            rect = ((rho_t - 4.) * (rho_t - 2.) * rho_inf / ((rho_inf - 4.) * (rho_inf - 2.) * rho_t)) ** 0.5
            # (bias_correction2**0.5) / tensor is the tensor's reciprocal times the number
            adaptive_lr = (F(1) / (np.sqrt(s["variance"]) + f(eps))) * f(bias_correction2 ** 0.5)
            return st(w - ((m_hat * f(lr)) * adaptive_lr) * f(rect))
        return st(w - m_hat * f(lr))


class Yogi(Base):
    """tfa.optimizers.Yogi, _resource_apply_dense: every operation in the variable's dtype, beta^t by powf."""

    def states(self):
        return (["m"] if self.hp("beta1", 0.9) != 0 else []) + ["v"]

    def initial(self, name, w):
        # tf.constant_initializer(initial_accumulator_value): the value rounded to the dtype
        return np.full(w.shape, self.hp("initial_accumulator_value", 1e-6), dtype=F) if name == "v" \
            else np.zeros_like(w)

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = f(self.hp("beta1", 0.9)), f(self.hp("beta2", 0.999)), f(self.hp("epsilon", 1e-3))
        l1, l2 = f(self.hp("l1_regularization_strength", 0)), f(self.hp("l2_regularization_strength", 0))
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        gr = rs * g + wd * w
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        if "m" in s:
            s["m"] = st(s["m"] * b1 + gr * (F(1) - b1))
        grad2 = gr * gr
        s["v"] = st(s["v"] + ((F(1) - b2) * sign(grad2 - s["v"])) * grad2)
        lr_t = (lr * np.sqrt(F(1) - powf(b2, t))) / (F(1) - powf(b1, t))
        per_coord_lr = lr_t / (np.sqrt(s["v"]) + eps)
        new_var = w - per_coord_lr * (s["m"] if "m" in s else gr)
        if l1 > 0:  # _solve(1 + l2*rate, -new_var, l1*rate)
            a, b, c = F(1) + l2 * per_coord_lr, -new_var, l1 * per_coord_lr
            return st(np.where(np.abs(b) > c, F(1), F(0)) * ((c * sign(b) - b) / a))
        if l2 > 0:
            return st(new_var / (F(1) + l2 * per_coord_lr))
        return st(new_var)


class LbSgd(Base):
    """mxnet.optimizer.LBSGD: gradients summed per index (cumgrads), _get_lbmult / _get_lars, then
    sgd_mom_update (SGDMomKernel) or sgd_update (SGDKernel); sgd_update with lr = 0 in between.

    The 'lars' strategy (warmup_strategy 0) follows Optikern's documented arithmetic, not MXNet's bits:
    sums of squares in Optikern's reduction order (sum_of_squares) and the ratio in the kernel's
    arithmetic (F).
    """

    def __init__(self, params, index=0):
        super().__init__(params, index)
        self.num_cums = 0.  # no entry in cumgrads yet
        self.cum = 0

    def states(self):
        return (["mom"] if self.hp("momentum", 0.0) != 0 else []) + \
            (["cum_grad"] if self.hp("batch_scale", 1) != 1 else [])

    def scalar_states(self):
        return {"num_cums": self.num_cums}

    def lbmult(self, nup):
        """_get_lbmult, with warmup_strategy 1 'linear', 2 'power2', 0.5 'sqrt'."""
        nwup = self.hp("warmup_epochs", 5) * self.hp("updates_per_epoch", 32)
        strategy = self.hp("warmup_strategy", 1)
        maxmult = float(self.hp("batch_scale", 1))
        if nup >= nwup:
            return maxmult
        if nwup <= 1:
            return 1.0
        if strategy == 1:
            return 1.0 + (maxmult - 1) * nup / nwup
        if strategy == 2:
            return 1.0 + (maxmult - 1) * (nup * nup) / (nwup * nwup)
        return 1.0 + (maxmult - 1) * math.sqrt(float(nup) / nwup)

    def update(self, w, g, s, t, lr, wd):
        mu, scale = self.hp("momentum", 0.0), self.hp("batch_scale", 1)
        # _cumulate_gradient: the first gradient held as it is, later ones added (to 0 after a step)
        if self.num_cums > 0:
            cum = st(self.cum + g)
            self.num_cums += 1
        else:
            cum = g.copy()
            self.num_cums = self.hp("begin_epoch", 0) * self.hp("updates_per_epoch", 32) + 1
        if self.num_cums % scale != 0:
            self.cum = cum
            if "cum_grad" in s:
                s["cum_grad"] = cum
            return st((F(1) - F(0) * f(wd)) * w - (F(0) * F(1)) * g)  # sgd_update(lr=0), its defaults
        grad = st(cum / f(scale))
        self.cum = 0
        if "cum_grad" in s:
            s["cum_grad"] = np.zeros_like(w)
        wd32, rs = f(wd), f(self.rescale)
        if self.hp("warmup_strategy", 1) == 0:  # _get_lars, in the kernel's arithmetic
            w_sq, g_sq = sum_of_squares(w), sum_of_squares(grad)
            ratio = np.sqrt(F(w_sq / ((g_sq + wd32 * w_sq) + f(1e-18))))
            ratio = F(0.01) if F(0.01) > ratio else (F(100) if ratio > F(100) else ratio)
            lr_s = F(f(lr) * ratio)
        else:
            lr_s = f(lr * self.lbmult(self.num_cums))
        if "mom" in s:
            mu_k = f(mu if mu > 0 else 0.)  # passed to the kernel only when positive
            if self.clipping():
                mom = (mu_k * s["mom"] - (lr_s * wd32) * w) - lr_s * clip(rs * grad, self.clip_gradient)
            else:
                mom = (mu_k * s["mom"] - (lr_s * wd32) * w) - (lr_s * rs) * grad
            s["mom"] = st(mom)
            return st(w + s["mom"])
        if self.clipping():
            return st((F(1) - lr_s * wd32) * w - lr_s * clip(rs * grad, self.clip_gradient))
        return st((F(1) - lr_s * wd32) * w - (lr_s * rs) * grad)


class DcaSgd(Base):
    """mxnet.optimizer.DCASGD: NDArray operations; the previous weight starts as a copy."""

    def states(self):
        return (["mom"] if self.hp("momentum", 0.0) != 0 else []) + ["previous_weight"]

    def initial(self, name, w):
        return w.copy() if name == "previous_weight" else np.zeros_like(w)

    def update(self, w, g, s, t, lr, wd):
        lamda = f(self.hp("lamda", 0.04))
        grad = (g * f(self.rescale)).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        x = ((grad + w * f(wd)) + ((grad * lamda) * grad) * (w - s["previous_weight"])).astype(F)
        if "mom" in s:
            s["mom"] = (s["mom"] * f(self.hp("momentum", 0.0))).astype(F)
            s["mom"] = (s["mom"] + x * f(-lr)).astype(F)
            step = s["mom"]
        else:
            step = (x * f(-lr)).astype(F)
        s["previous_weight"] = w.copy()
        return (w + step).astype(F)


LANES = 16


def sum_of_squares(x):
    """Optikern's reduction order, re-implemented from its description (docs/spec-language.md).

    Element j joins partial sum j % 16, each a running sum of x*x in element order from 0, in the
    arithmetic's type; the 16 partials are then added in a fixed tree, p[k] + p[k + h] for h = 8,
    4, 2, 1. MXNet 1.9.1's multi_sum_sq on CPU keeps one running float sum per array instead
    (CalcSumSq in src/operator/contrib/multi_sum_sq.cc), and blocks of threads combined in a tree
    on GPU, so the last bits of a norm differ from either.
    """
    return lane_sum([F(v * v) for v in x])


class Lamb(Base):
    """mxnet.optimizer.LAMB through the Updater: _multi_lamb_update (MultiLAMB kernels), all float."""

    lr_default = 0.001

    def states(self):
        return ["mean", "variance", "direction"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = f(self.hp("beta1", 0.9)), f(self.hp("beta2", 0.999)), f(self.hp("epsilon", 1e-6))
        lower, upper = self.hp("lower_bound", 0), self.hp("upper_bound", 0)
        lr, wd, rs = f(lr), f(wd), f(self.rescale)
        sg = g * rs
        if self.clipping():
            sg = clip(sg, self.clip_gradient)
        s["mean"] = st(b1 * s["mean"] + (F(1) - b1) * sg)
        s["variance"] = st(b2 * s["variance"] + ((F(1) - b2) * sg) * sg)
        if self.hp("bias_correction", 1):
            mean_hat = (s["mean"] / (F(1) - powf(b1, F(t)))).astype(F)
            var_hat = (s["variance"] / (F(1) - powf(b2, F(t)))).astype(F)
            d = st(mean_hat / (np.sqrt(var_hat) + eps) + wd * w)
        else:
            d = st(s["mean"] / (np.sqrt(s["variance"]) + eps) + wd * w)
        s["direction"] = d  # the second phase reads the stored direction
        r1 = np.sqrt(sum_of_squares(w))
        r2 = np.sqrt(sum_of_squares(d))
        if lower > 0:  # passed only when truthy; the kernel applies bounds >= 0: std::max
            r1 = f(lower) if r1 < f(lower) else r1
        if upper > 0:
            r1 = f(upper) if f(upper) < r1 else r1
        ratio = F(1) if (r1 == 0 or r2 == 0) else F(r1 / r2)
        return st(w - F(lr * ratio) * d)


MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9e3779b97f4a7c15


def mix64(z):
    """SplitMix64's finalizer, as org.optikern.kernel.Noise.mix."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK64
    return z ^ (z >> 31)


def noise_key(seed, index, t):
    z = mix64(seed + GOLDEN_GAMMA)
    z = mix64(z ^ (((index + 1) * GOLDEN_GAMMA) & MASK64))
    z = mix64(z ^ (((t + 1) * GOLDEN_GAMMA) & MASK64))
    return z >> 11


MASK32 = (1 << 32) - 1


def philox4x32_10(counter, key):
    """Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011) as Random123's philox.h defines it: ten
    rounds of (c0, c1, c2, c3) -> (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1, lo(M0*c0)), the
    key bumped by the Weyl constants before every round but the first."""
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for rnd in range(10):
        if rnd > 0:
            k0, k1 = (k0 + 0x9E3779B9) & MASK32, (k1 + 0xBB67AE85) & MASK32
        a = 0xD2511F53 * c0
        b = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = (b >> 32) ^ c1 ^ k0, b & MASK32, (a >> 32) ^ c3 ^ k1, a & MASK32
    return c0, c1, c2, c3


# Random123's tests/kat_vectors, philox4x32 10: counter and key all zeros, all ones, digits of pi
for _ctr, _key, _expected in [
        ((0, 0, 0, 0), (0, 0), (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
        ((MASK32,) * 4, (MASK32,) * 2, (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
        ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
         (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1))]:
    assert philox4x32_10(_ctr, _key) == _expected, "Philox4x32-10 known answer"


def ziggurat_edges():
    """Marsaglia and Tsang's ziggurat of exp(-x^2/2), 256 layers of area V, from R and V as
    org.optikern.kernel.NormalZiggurat states them: x_0 = V/f(R), x_1 = R, x_(i+1) = sqrt(-2 ln(f(x_i) +
    V/x_i)), x_256 = 0, each worked out with 60 decimal digits and rounded once to a double."""
    r = decimal.Decimal("3.654152885361008771645429720399515762975")
    v = decimal.Decimal("0.004928673233974655347361775402336028069135")
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        edges = [v / (-r * r / 2).exp(), r]
        while len(edges) < 256:
            x = edges[-1]
            edges.append((-2 * ((-x * x / 2).exp() + v / x).ln()).sqrt())
        edges.append(decimal.Decimal(0))
    return [float(x) for x in edges]


ZIGGURAT_EDGES = ziggurat_edges()
ZIGGURAT_R = ZIGGURAT_EDGES[1]
# |h| below it is inside layer i's rectangle under the curve; the density at each edge
ZIGGURAT_INNER = [math.ceil(ZIGGURAT_EDGES[i + 1] / ZIGGURAT_EDGES[i] * 2.0 ** 24) for i in range(256)]
ZIGGURAT_HEIGHT = [math.exp(-0.5 * x * x) for x in ZIGGURAT_EDGES]


def unit53(high, low):
    """A uniform in (0, 1] from the top 53 of 64 bits of two words."""
    return (((high << 21) | (low >> 11)) + 1) * 2.0 ** -53


def normal(key, element):
    """Optikern's counter-based standard normal, re-implemented from its description: the word of element
    e is word e % 4 of Philox block (e/4 low, e/4 high, 0, 0) under key (low 32 bits, the rest); its low 8
    bits pick the ziggurat layer, the 24 above (signed) the position h = 2*s + 1; retries come from the
    element's own blocks (e low, e high, n, 1), n = 0, 1, ..."""
    k = (key & MASK32, key >> 32)
    word = philox4x32_10(((element >> 2) & MASK32, element >> 34, 0, 0), k)[element % 4]
    n = 0
    while True:
        layer = word & 0xFF
        h = 2 * ((word - (1 << 32) if word >> 31 else word) >> 8) + 1
        x = h * ZIGGURAT_EDGES[layer] * 2.0 ** -24
        if abs(h) < ZIGGURAT_INNER[layer]:
            return x
        if layer == 0:  # Marsaglia's tail beyond r, drawn until kept
            while True:
                a, b, c, d = philox4x32_10((element & MASK32, element >> 32, n, 1), k)
                n += 1
                t = -math.log(unit53(a, b)) / ZIGGURAT_R
                if -2 * math.log(unit53(c, d)) > t * t:
                    return math.copysign(ZIGGURAT_R + t, h)
        a, b, c, _ = philox4x32_10((element & MASK32, element >> 32, n, 1), k)
        n += 1
        low, high = ZIGGURAT_HEIGHT[layer], ZIGGURAT_HEIGHT[layer + 1]
        if low + unit53(a, b) * (high - low) < math.exp(-0.5 * x * x):
            return x
        word = c


class Sgld(Base):
    """mxnet.optimizer.SGLD's NDArray operations, with Optikern's noise for MXNet's generator."""

    def states(self):
        return []

    def update(self, w, g, s, t, lr, wd):
        grad = (g * f(self.rescale)).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        w = (w + (grad + f(wd) * w) * f(-lr / 2)).astype(F)
        key = noise_key(self.p.get("seed", 0), self.index, t)
        noise = np.array([normal(key, i) for i in range(len(w))]).astype(F)
        return (w + noise * f(math.sqrt(lr))).astype(F)


class Nadam(Base):
    """mxnet.optimizer.Nadam: the schedule in double, NDArray operations; m_schedule for this one parameter."""

    lr_default = 0.001

    def __init__(self, params, index=0):
        super().__init__(params, index)
        self.m_schedule = 1.

    def scalar_states(self):
        return {"m_schedule": self.m_schedule}

    def states(self):
        return ["m", "v"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps, sd = self.hp("beta1", 0.9), self.hp("beta2", 0.999), self.hp("epsilon", 1e-8), \
            self.hp("schedule_decay", 0.004)
        grad = (g * f(self.rescale) + f(wd) * w).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        momentum_t = b1 * (1. - 0.5 * (pow(0.96, t * sd)))
        momentum_t_1 = b1 * (1. - 0.5 * (pow(0.96, (t + 1) * sd)))
        self.m_schedule = self.m_schedule * momentum_t
        m_schedule_next = self.m_schedule * momentum_t_1
        s["m"] = (s["m"] * f(b1)).astype(F)
        s["m"] = (s["m"] + f(1. - b1) * grad).astype(F)
        s["v"] = (s["v"] * f(b2)).astype(F)
        s["v"] = (s["v"] + (f(1. - b2) * grad) * grad).astype(F)
        grad_prime = (grad / f(1. - self.m_schedule)).astype(F)
        m_t_prime = (s["m"] / f(1. - m_schedule_next)).astype(F)
        v_t_prime = (s["v"] / f(1. - pow(b2, t))).astype(F)
        m_t_bar = (f(1. - momentum_t) * grad_prime + f(momentum_t_1) * m_t_prime).astype(F)
        return (w - (f(lr) * m_t_bar) / (np.sqrt(v_t_prime) + f(eps))).astype(F)


class Lars(Base):
    """mxnet.optimizer.LARS, dense: multi_sum_sq, multi_lars, preloaded_multi_sgd(_mom)_update."""

    def __init__(self, params, index=0):
        super().__init__(params, index)
        self.name = self.p.get("param_idx2name", {}).get(str(index), str(index))
        self.last_lr = None
        if not self.name.endswith("_weight") and "param_idx2name" in self.p:
            self.wd = 0.0  # LARS's set_wd_mult: only _weight names keep weight decay

    def states(self):
        return ["mom"] if self.hp("momentum", 0.0) != 0 else []

    def scalar_states(self):
        return {"last_lr": self.last_lr}

    def update(self, w, g, s, t, lr, wd):
        mu, eta, eps = self.hp("momentum", 0.0), f(self.hp("eta", 0.001)), f(self.hp("eps", 0))
        # _get_lrs: the first call has last_lr = lr
        last_lr = lr if self.last_lr is None else self.last_lr
        self.last_lr = lr
        if self.hp("momentum_correction", 1) and last_lr != 0:
            mu = mu * (lr / last_lr)
        lr32, wd32, rs = f(lr), f(wd), f(self.rescale)
        if self.name.endswith(("gamma", "beta", "bias")):
            lr_l = lr32
        else:
            w_norm = np.sqrt(sum_of_squares(w))
            g_sq = sum_of_squares(g)
            valid = w_norm > 0 and g_sq > 0
            lr_l = F(((lr32 * eta) * w_norm) / (((np.sqrt(g_sq) * rs) + (wd32 * w_norm)) + eps)) if valid else lr32
        mom = s["mom"] if "mom" in s else np.zeros_like(w)
        m_mu = f(mu) if "mom" in s else F(0)
        if self.clipping():
            mom = ((m_mu * mom - (lr_l * wd32) * w) - lr_l * clip(rs * g, self.clip_gradient)).astype(F)
        else:
            mom = ((m_mu * mom - (lr_l * wd32) * w) - (lr_l * rs) * g).astype(F)
        if "mom" in s:
            mom = st(mom)
            s["mom"] = mom
        return st(w + mom)


class NovoGrad(Base):
    """NVIDIA's NvNovoGrad (DeepLearningExamples' Jasper, kept as timm.optim.nvnovograd) with MXNet's rescale
    and clip: the 0-dim tensors and the Python scalars cast to them are float arithmetic; the squared norm is
    summed in Optikern's reduction order (sum_of_squares), where torch.sum has its own."""

    lr_default = 0.001

    def __init__(self, params, index=0):
        super().__init__(params, index)
        self.v = 0.

    def scalar_states(self):
        return {"v": self.v}

    def states(self):
        return ["m"]

    def update(self, w, g, s, t, lr, wd):
        b1, b2, eps = self.hp("beta1", 0.95), self.hp("beta2", 0.98), self.hp("epsilon", 1e-8)
        gr = (g * f(self.rescale)).astype(F)
        if self.clipping():
            gr = clip(gr, self.clip_gradient)
        norm = sum_of_squares(gr)
        v = F(self.v)
        # exp_avg_sq starts as the first norm, then exp_avg_sq.mul_(beta2).add_(1 - beta2, norm)
        v = norm if v == 0 else F(F(v * f(b2)) + F(f(1. - b2) * norm))
        self.v = float(v)
        denom = F(F(np.sqrt(v)) + f(eps))
        step = (gr / denom).astype(F)
        step = (step + f(wd) * w).astype(F)
        if self.hp("grad_averaging", False):
            step = (step * f(1. - b1)).astype(F)
        s["m"] = st(s["m"] * f(b1) + step)
        return st(w - f(lr) * s["m"])


def row_sums(x):
    """Optikern's rowsum: each row of the 2-D view reduced as sum reduces a tensor (lane_sum: column c into
    partial c % 16, each in column order from 0, then the fixed tree), in the arithmetic."""
    return np.array([lane_sum(row) for row in x], dtype=F)


def column_sums(x):
    """Optikern's colsum: per column, a running sum over the rows in order from 0."""
    out = np.zeros(x.shape[1], dtype=F)
    for c in range(x.shape[1]):
        acc = F(0)
        for v in x[:, c]:
            acc = F(acc + v)
        out[c] = acc
    return out


def lane_sum(x):
    """Optikern's sum: element j into partial j % 16, each in order from 0, then p[k] + p[k + h] for h = 8, 4, 2, 1."""
    p = [F(0)] * LANES
    for j, v in enumerate(x):
        p[j % LANES] = F(p[j % LANES] + v)
    h = LANES // 2
    while h > 0:
        for k in range(h):
            p[k] = F(p[k] + p[k + h])
        h //= 2
    return p[0]


class Adafactor(Base):
    """fairseq's Adafactor, as kept in transformers.optimization.Adafactor (step() for one parameter, float32
    parameter and gradient: no upcast), with MXNet's rescale and clip. Factored when the weight has two or more
    dimensions; Optikern's 2-D view (rows: all dimensions but the last, flattened; columns: the last), which is
    the reference's for a matrix. Its means, mean of row statistics and norms are computed in Optikern's
    documented orders (rowsum, colsum, sum and sumsq), where torch has its own; everything else in the source's
    order: Python scalars in double, rounded once to float where a tensor op takes them."""

    lr_default = 0.001

    def __init__(self, params, index=0):
        super().__init__(params, index)
        self.shape = None

    def states(self):
        names = ["v_row", "v_col"] if self.factored() else ["v"]
        return names + (["m"] if self.hp("beta1", 0.0) != 0 else [])

    def factored(self):
        return len(self.shape) >= 2

    def initial(self, name, w):
        rows, cols = w.size // self.shape[-1], self.shape[-1]
        return {"v_row": np.zeros(rows, dtype=F), "v_col": np.zeros(cols, dtype=F)}.get(name, np.zeros_like(w))

    def update(self, w, g, s, t, lr, wd):
        eps1, eps2 = self.hp("epsilon1", 1e-30), self.hp("epsilon2", 1e-3)
        clip_threshold, decay_rate = self.hp("clip_threshold", 1.0), self.hp("decay_rate", -0.8)
        beta1 = self.hp("beta1", 0.0)
        # _get_lr: the relative step size, in Python
        if self.hp("relative_step", 1):
            min_step = 1e-6 * t if self.hp("warmup_init", 0) else 1e-2
            rel_step = min(min_step, 1.0 / math.sqrt(t))
        else:
            rel_step = lr
        grad = (g * f(self.rescale)).astype(F)
        if self.clipping():
            grad = clip(grad, self.clip_gradient)
        n = w.size
        rms_w = F(F(np.sqrt(sum_of_squares(w))) / f(math.sqrt(n)))  # state["RMS"] = _rms(p): norm / numel**0.5
        # lr = param_scale * rel_step_sz: a float32 tensor times a Python number, in float
        lr_t = F(F(max(f(eps2), rms_w)) * f(rel_step)) if self.hp("scale_parameter", 1) else f(rel_step)
        beta2t = 1.0 - math.pow(t, decay_rate)
        update = (grad * grad + f(eps1)).astype(F)
        if self.factored():
            cols = self.shape[-1]
            rows = n // cols
            u2 = update.reshape(rows, cols)
            s["v_row"] = st(s["v_row"] * f(beta2t) + (row_sums(u2) / f(cols)).astype(F) * f(1.0 - beta2t))
            s["v_col"] = st(s["v_col"] * f(beta2t) + (column_sums(u2) / f(rows)).astype(F) * f(1.0 - beta2t))
            row_mean = F(lane_sum(s["v_row"]) / f(rows))
            r_factor = (F(1) / np.sqrt((s["v_row"] / row_mean).astype(F))).astype(F)
            c_factor = (F(1) / np.sqrt(s["v_col"])).astype(F)
            u = ((r_factor[:, None] * c_factor[None, :]).astype(F) * grad.reshape(rows, cols)).astype(F).reshape(-1)
        else:
            s["v"] = st(s["v"] * f(beta2t) + update * f(1.0 - beta2t))
            u = ((F(1) / np.sqrt(s["v"])).astype(F) * grad).astype(F)
        rms_u = F(F(np.sqrt(sum_of_squares(u))) / f(math.sqrt(n)))
        u = (u / max(F(rms_u / f(clip_threshold)), F(1))).astype(F)
        u = (u * lr_t).astype(F)
        if beta1 != 0:
            s["m"] = st(s["m"] * f(beta1) + u * f(1.0 - beta1))
            u = s["m"]
        return st((w - w * F(f(wd) * lr_t)) - u)


OPTIMIZERS = {
    "sgd": Sgd, "nag": Nag, "adam": Adam, "adamw": AdamW, "lion": Lion, "adabelief": AdaBelief,
    "rmsprop": RmsProp, "adagrad": AdaGrad, "adadelta": AdaDelta, "adamax": Adamax, "ftrl": Ftrl,
    "ftml": Ftml, "dcasgd": DcaSgd, "lamb": Lamb, "sgld": Sgld, "nadam": Nadam,
    "lars": Lars, "signum": Signum, "novograd": NovoGrad,
    "radam": RAdam, "yogi": Yogi, "lbsgd": LbSgd, "adafactor": Adafactor,
}

# Three or more cases each: defaults; weight decay, rescaling and clipping; the other switches and a
# later begin_num_update (which moves t).
CASES = {
    "sgd": [{}, {"momentum": 0.9, "wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3},
            {"learning_rate": 0.05, "wd": 0.001, "clip_gradient": 0.8}, {"momentum": 0.5, "learning_rate": 0.2}],
    "nag": [{"momentum": 0.9}, {"momentum": 0.9, "wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3},
            {"wd": 0.001, "clip_gradient": 0.8}, {"learning_rate": 0.05}],
    "adam": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "beta1": 0.8},
             {"begin_num_update": 7, "learning_rate": 0.003, "epsilon": 1e-6}],
    "adamw": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3},
              {"begin_num_update": 4, "learning_rate": 0.002, "beta2": 0.99}],
    "lion": [{}, {"wd": 0.1, "rescale_grad": 0.5, "clip_gradient": 0.3, "learning_rate": 3e-4},
             {"beta1": 0.95, "beta2": 0.98, "learning_rate": 0.001}],
    "adabelief": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3},
                  {"begin_num_update": 3, "learning_rate": 0.002, "epsilon": 1e-8}],
    "rmsprop": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "gamma1": 0.95},
                {"centered": True, "learning_rate": 0.002}, {"centered": True, "clip_weights": 0.6, "wd": 0.001},
                {"clip_weights": 0.55}],
    "adagrad": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "eps": 1e-6},
                {"learning_rate": 0.1}],
    "adadelta": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}, {"rho": 0.95, "epsilon": 1e-6}],
    "adamax": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}, {"begin_num_update": 5, "beta1": 0.8}],
    "ftrl": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}, {"lamda1": 0.001, "beta": 0.5}],
    "ftml": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "beta1": 0.9},
             {"begin_num_update": 6, "learning_rate": 0.002, "beta2": 0.99}],
    "dcasgd": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "lamda": 0.1},
               {"momentum": 0.9, "learning_rate": 0.05}, {"momentum": 0.5, "wd": 0.001, "clip_gradient": 1.0}],
    "lamb": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "learning_rate": 0.01},
             {"bias_correction": False, "begin_num_update": 2}, {"lower_bound": 2.5, "upper_bound": 2.8, "wd": 0.001},
             {"upper_bound": 0.5}],
    "sgld": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "seed": 7},
             {"learning_rate": 1e-4, "begin_num_update": 3, "seed": 123456789}],
    "nadam": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "schedule_decay": 0.1},
              {"learning_rate": 0.002, "begin_num_update": 4, "beta2": 0.99}],
    "lars": [{"momentum": 0.9, "eta": 0.02}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "eta": 0.01},
             {"momentum": 0.9, "wd": 0.01, "param_idx2name": {"0": "fc_bias"}},
             {"momentum": 0.5, "wd": 0.01, "eps": 1e-3, "param_idx2name": {"0": "fc_weight"}, "eta": 0.05}],
    "novograd": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "learning_rate": 0.01},
                 {"grad_averaging": True, "beta2": 0.9, "begin_num_update": 3}],
}

STEPS = 4
SIZE = 9
# float64 cases: the same parameters, longer tensors (long enough to be split into pieces at offsets
# 64 and 128 by a multi-tensor update on 3 cores), another parameter index (which keys SGLD's
# noise and LARS's name), every array in double and every scalar handed over in double (Optikern
# passes scalars to float64 kernels as given; MXNet rounds them to float first, a documented
# difference). float16: see SIZE_16.
SIZE_64 = 150
INDEX_64 = 2
# Optimizers whose double arithmetic calls pow, exp or log (bias corrections, FTML's and LAMB's
# beta^t, Nadam's schedule, the rare paths of SGLD's noise): Optikern uses Java's StrictMath (fdlibm),
# this script the C library's (glibc, through Python's ** and math), and the two differ in the last
# bit of some doubles, which float32 cases round away. Their float64 cases come last (their own
# generator) and ReferenceCasesTest compares them within a bound per array, |a - b| <=
# k*ulp(max(|a|, |b|)), with k the measured maximum: weights of adam 1, adamw 2, adabelief 2, adamax
# 12, ftml 3, lamb 1; ftml's d and z 4, lamb's direction 8; every other array (nadam's all,
# m_schedule included, and sgld's weight) bit for bit. Why not bit for bit: for the powers these cases
# take glibc gives the correctly rounded value and StrictMath.pow is one ulp off for 0.9**4, 0.8**8
# and 0.6**10, so correctly rounded scalars (fractions, decimal) would not match Java either. SGLD's
# noise calls exp only for the 28 of its 1800 draws here that test a ziggurat wedge and log only in
# the tail (none here): the decisions agree and its values match bit for bit. The larger figures come
# from cancellation (adamax: weight 2.3e-4 after a step of about its size).
LIBM_IN_DOUBLE = {"adam", "adamw", "adabelief", "adamax", "ftml", "lamb", "sgld", "nadam"}

# float16 cases, bit for bit, for the optimizers whose MXNet kernel stores exactly where Optikern's
# spec does: each state and the weight written once per formula and read back from its array by the
# later formulas, every other value a local. There Optikern's documented float16 semantics (load half
# as float, compute in float, round each stored value to half, to nearest even, and read it back as
# stored; scalars rounded to float) is this script's float32 arithmetic with st() at those stores:
# sgd, nag, signum, adam, adamw, adabelief, lion, rmsprop (both kernels), ftrl, ftml (d_t a local),
# lamb (the stored direction feeds its norm) and lars. Not here: adagrad, adadelta, adamax, dcasgd,
# nadam and sgld, which MXNet computes with NDArray operations, each a rounded float16 array; their
# specs keep those intermediates as float locals, so the stores would have to be copied from the
# specs rather than from MXNet. (MXNet's own float16 kernels round after every operation, half_t;
# ConformanceWithMxnetTest bounds that difference for Signum.)
SIZE_16 = 150
INDEX_16 = 1
CASES_16 = dict({name: CASES[name] for name in
                 ["sgd", "nag", "adam", "adamw", "lion", "adabelief", "rmsprop", "ftrl", "ftml", "lamb", "lars"]},
                signum=[{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "wd_lh": 0.001},
                        {"momentum": 0, "wd": 0.01, "wd_lh": 0.01, "learning_rate": 0.05},
                        {"momentum": 0.5, "learning_rate": 0.001}])
# later additions go last, so that the cases before them stay as they were
CASES_16["novograd"] = CASES["novograd"]

# Issue 18's optimizers, in blocks of their own after all of the above (their own generators), so that
# every earlier line stays as it was: float32 at index 0 and float64 at INDEX_64 for all three (RAdam's
# and Yogi's double arithmetic calls pow: LIBM_IN_DOUBLE_18, whose weights ReferenceCasesTest bounds by
# the measured 1 and 1023 ulps, the latter where Yogi's L1 proximal step cancels), float16 at INDEX_16
# for LBSGD but its 'lars' strategy (MXNet's sgd_mom_update / sgd_update store where the spec does,
# and its gradient sums are float16 NDArrays, stored in cum_grad). Not float16: RAdam and Yogi, whose
# PyTorch and TensorFlow tensor operations each round to half, nor LBSGD's 'lars' strategy, whose
# ratio follows Optikern's arithmetic rather than MXNet's. RAdam's rho_t exceeds 5 from t = 6 (beta2
# 0.999 or 0.99), hence the later begin_num_update; LBSGD's warmup_strategy: 1 'linear', 2 'power2',
# 0.5 'sqrt', 0 'lars'.
CASES_18 = {
    "radam": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "begin_num_update": 3},
              {"begin_num_update": 10, "learning_rate": 0.003, "beta1": 0.4},
              {"decoupled_weight_decay": True, "wd": 0.05, "begin_num_update": 6, "beta2": 0.99, "epsilon": 1e-6}],
    "yogi": [{}, {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "l2_regularization_strength": 0.1},
             {"l1_regularization_strength": 1.0, "l2_regularization_strength": 0.01, "begin_num_update": 3,
              "initial_accumulator_value": 0.01, "learning_rate": 0.05},
             {"beta1": 0, "beta2": 0.99, "epsilon": 1e-4}],
    "lbsgd": [{"momentum": 0.9},
              {"momentum": 0.9, "batch_scale": 2, "warmup_epochs": 1, "updates_per_epoch": 4, "wd": 0.01,
               "rescale_grad": 0.5, "clip_gradient": 0.3},
              {"batch_scale": 3, "warmup_strategy": 2, "warmup_epochs": 3, "updates_per_epoch": 3, "begin_epoch": 1,
               "learning_rate": 0.05},
              {"batch_scale": 4, "warmup_strategy": 0.5, "warmup_epochs": 4, "updates_per_epoch": 2, "begin_epoch": 1,
               "momentum": 0.5, "wd": 0.001},
              {"warmup_strategy": 0, "momentum": 0.9, "wd": 0.001},
              {"warmup_strategy": 0, "batch_scale": 2, "clip_gradient": 0.5}],
}
LIBM_IN_DOUBLE_18 = {"radam", "yogi"}
CASES_18_16 = {"lbsgd": [p for p in CASES_18["lbsgd"] if p.get("warmup_strategy") != 0]}

# Adafactor, after all of the above (generators of its own): weights of a given shape, factored from two
# dimensions on (a matrix; three dimensions, whose 2-D view has 6 rows of 4 columns); a vector keeps the full
# second moment. float32, then float64 (its beta2t = 1 - t^decay_rate calls pow: see LIBM_IN_DOUBLE). Not
# float16: the reference upcasts a half parameter to float32 and back, which Optikern does with
# multi_precision.
CASES_ADAFACTOR = [
    ({}, (3, 5)),
    ({"beta1": 0.9, "wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}, (4, 7)),
    ({"relative_step": 0, "learning_rate": 0.01, "scale_parameter": 0, "begin_num_update": 3}, (2, 3, 4)),
    ({"warmup_init": 1, "clip_threshold": 0.5, "decay_rate": -0.5}, (6, 2)),
    ({}, (9,)),
    ({"beta1": 0.5, "wd": 0.001}, (11,)),
]
# float64: the same parameters at INDEX_64, with SIZE_64 elements: 10 rows of 15, and so on
SHAPES_ADAFACTOR_64 = [(10, 15), (15, 10), (5, 3, 10), (75, 2), (150,), (150,)]

# LARS's two variants the cases above leave out (momentum with clipping, no momentum without), after
# everything else (generators of their own): float32, float64 and float16, as LARS's other cases.
CASES_LARS_VARIANTS = [
    {"momentum": 0.9, "wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3, "eta": 0.02},
    {"wd": 0.001, "eta": 0.01, "learning_rate": 0.05},
]


def hexes(a):
    if HALF:
        return ["%04x" % v for v in np.asarray(a, dtype=np.float16).view(np.uint16)]
    if F is np.float64:
        return ["%016x" % v for v in np.asarray(a, dtype=F).view(np.uint64)]
    return ["%08x" % v for v in np.asarray(a, dtype=F).view(np.uint32)]


def double_hex(x):
    return "%016x" % np.array([x], dtype=np.float64).view(np.uint64)[0]


def as_stored(x):
    """Random doubles as an array of the case's dtype (float16 cases: half values, held in float)."""
    if HALF:
        return x.astype(np.float16).astype(np.float32)
    return x.astype(F)


def run_case(rng, name, params, size, index, shape=None):
    opt = OPTIMIZERS[name](params, index)
    if shape is not None:
        opt.shape = shape
        size = int(np.prod(shape))
    w = as_stored(rng.normal(0, 1, size))
    states = {s: opt.initial(s, w) for s in opt.states()}
    case = {"optimizer": name, "params": params, "weight": hexes(w), "steps": []}
    if F is np.float64 or HALF:
        case = {"optimizer": name, "dtype": "float16" if HALF else "float64", "index": index, "params": params,
                "weight": hexes(w), "steps": []}
    if shape is not None:
        case["shape"] = list(shape)
    for _ in range(STEPS):
        g = as_stored(rng.normal(0, 1, size) * rng.choice([0.1, 1, 3], size))
        g[rng.integers(size)] = F(0)  # an exact zero gradient in every step
        w = opt.step(w, g, states)
        step = {"grad": hexes(g), "weight": hexes(w), "states": {k: hexes(v) for k, v in states.items()}}
        if opt.scalar_states():
            step["scalars"] = {k: double_hex(v) for k, v in opt.scalar_states().items()}
        case["steps"].append(step)
    return case


def at_index(params, index):
    """The case's parameters for another index: param_idx2name follows it."""
    moved = dict(params)
    if "param_idx2name" in moved:
        moved["param_idx2name"] = {str(index): n for n in moved["param_idx2name"].values()}
    return moved


def main():
    global F, HALF
    rng = np.random.default_rng(20261125)
    for name, cases in CASES.items():
        for params in cases:
            print(json.dumps(run_case(rng, name, params, SIZE, 0), separators=(",", ":")))
    # a second generator, so that adding these left every float32 case as it was
    rng64 = np.random.default_rng(20261204)
    F = np.float64
    for name, cases in CASES.items():
        if name in LIBM_IN_DOUBLE:
            continue
        for params in cases:
            print(json.dumps(run_case(rng64, name, at_index(params, INDEX_64), SIZE_64, INDEX_64),
                             separators=(",", ":")))
    # a third, so that adding these left every case above as it was: float64 through the C library's
    # pow, exp and log, checked within ULPS_LIBM_64 (see LIBM_IN_DOUBLE)
    rng64_libm = np.random.default_rng(20261205)
    for name, cases in CASES.items():
        if name not in LIBM_IN_DOUBLE:
            continue
        for params in cases:
            print(json.dumps(run_case(rng64_libm, name, at_index(params, INDEX_64), SIZE_64, INDEX_64),
                             separators=(",", ":")))
    F = np.float32
    # a fourth: float16 (see HALF_OPTIMIZERS)
    rng16 = np.random.default_rng(20261206)
    HALF = True
    for name, cases in CASES_16.items():
        for params in cases:
            print(json.dumps(run_case(rng16, name, at_index(params, INDEX_16), SIZE_16, INDEX_16),
                             separators=(",", ":")))
    HALF = False
    # issue 18's optimizers (see CASES_18): float32, float64 (bit for bit, then through the C library),
    # float16, each block with a generator of its own
    rng18 = np.random.default_rng(20261207)
    for name, cases in CASES_18.items():
        for params in cases:
            print(json.dumps(run_case(rng18, name, params, SIZE, 0), separators=(",", ":")))
    F = np.float64
    rng18_64 = np.random.default_rng(20261208)
    for libm in (False, True):
        for name, cases in CASES_18.items():
            if (name in LIBM_IN_DOUBLE_18) != libm:
                continue
            for params in cases:
                print(json.dumps(run_case(rng18_64, name, at_index(params, INDEX_64), SIZE_64, INDEX_64),
                                 separators=(",", ":")))
    F = np.float32
    rng18_16 = np.random.default_rng(20261209)
    HALF = True
    for name, cases in CASES_18_16.items():
        for params in cases:
            print(json.dumps(run_case(rng18_16, name, at_index(params, INDEX_16), SIZE_16, INDEX_16),
                             separators=(",", ":")))
    HALF = False
    rng_af = np.random.default_rng(20261210)
    for params, shape in CASES_ADAFACTOR:
        print(json.dumps(run_case(rng_af, "adafactor", params, None, 0, shape), separators=(",", ":")))
    F = np.float64
    rng_af_64 = np.random.default_rng(20261211)
    for (params, _), shape in zip(CASES_ADAFACTOR, SHAPES_ADAFACTOR_64):
        print(json.dumps(run_case(rng_af_64, "adafactor", params, None, INDEX_64, shape), separators=(",", ":")))
    F = np.float32
    rng_lars = np.random.default_rng(20261212)
    for params in CASES_LARS_VARIANTS:
        print(json.dumps(run_case(rng_lars, "lars", params, SIZE, 0), separators=(",", ":")))
    F = np.float64
    rng_lars_64 = np.random.default_rng(20261213)
    for params in CASES_LARS_VARIANTS:
        print(json.dumps(run_case(rng_lars_64, "lars", params, SIZE_64, INDEX_64), separators=(",", ":")))
    F = np.float32
    rng_lars_16 = np.random.default_rng(20261214)
    HALF = True
    for params in CASES_LARS_VARIANTS:
        print(json.dumps(run_case(rng_lars_16, "lars", params, SIZE_16, INDEX_16), separators=(",", ":")))
    HALF = False


if __name__ == "__main__":
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        main()
