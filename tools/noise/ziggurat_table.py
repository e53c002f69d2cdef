#!/usr/bin/env python3
"""The layer edges of org.optikern.kernel.NormalZiggurat, printed as the Java array it holds.

The ziggurat of Marsaglia and Tsang ("The Ziggurat Method for Generating Random Variables", Journal
of Statistical Software 5(8), 2000) for f(x) = exp(-x^2/2) with N = 256 layers of equal area v:
the base layer is the rectangle [0, r] x [0, f(r)] with the tail beyond r, v = r f(r) + the integral
of f from r to infinity, and x_0 = v / f(r) its width as if it were a rectangle; x_1 = r, and
x_{i+1} = sqrt(-2 ln(f(x_i) + v / x_i)) makes layer i, [0, x_i] x [f(x_i), f(x_{i+1})], of area v;
r is the root that closes the top layer at x_256 = 0.

r and v are solved at 60 digits and given to 40 (R and V below, as the Java source quotes them);
every x_i is then computed from those two at 60 digits and rounded once to the nearest double, so
the table is a function of R and V alone. tools/golden/zoo_reference.py recomputes it on its own
from the same two numbers with Python's decimal module.

Run from the repository root (needs mpmath; not part of the build):
    python3 tools/noise/ziggurat_table.py
"""
import mpmath

LAYERS = 256
mpmath.mp.dps = 60


def f(x):
    return mpmath.exp(-x * x / 2)


def base_area(r):
    return r * f(r) + mpmath.sqrt(mpmath.pi / 2) * mpmath.erfc(r / mpmath.sqrt(2))


def closing_gap(r):
    """f(x_255) + v/x_255 - 1: zero when the top layer ends at x = 0; positive when r is too small."""
    v = base_area(r)
    x = r
    for _ in range(1, LAYERS - 1):
        a = f(x) + v / x
        if a >= 1:
            return a
        x = mpmath.sqrt(-2 * mpmath.log(a))
    return f(x) + v / x - 1


def edges(r, v):
    xs = [v / f(r), r]
    for _ in range(1, LAYERS - 1):
        xs.append(mpmath.sqrt(-2 * mpmath.log(f(xs[-1]) + v / xs[-1])))
    xs.append(mpmath.mpf(0))
    return xs


def main():
    r_exact = mpmath.findroot(closing_gap, (mpmath.mpf("3.6"), mpmath.mpf("3.7")), solver="anderson")
    r = mpmath.mpf(mpmath.nstr(r_exact, 40))
    v = mpmath.mpf(mpmath.nstr(base_area(r_exact), 40))
    print("// R = " + mpmath.nstr(r, 40) + ", V = " + mpmath.nstr(v, 40))
    xs = [float(x) for x in edges(r, v)]
    lines = []
    for at in range(0, len(xs), 4):
        lines.append("      " + ", ".join(x.hex().replace("0x0.0p+0", "0.0").replace("p+", "p") for x in xs[at:at + 4]) + ",")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
