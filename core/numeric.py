"""Numbers near a point: difference quotients, the best estimate of f'(a), one-sided
slopes, average rates. Values in, frozen records out.

The list of h is data; below about 1e-8 cancellation in f(a+h) − f(a) makes the error
grow again, and the table shows it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import MathError

EPS = 2.0**-52
QUOTIENT_STEPS = tuple(10.0**-k for k in range(1, 17))  # h = 1e-1 ... 1e-16
SECANT_STEPS = (2.0, 1.0, 0.5, 0.1, 0.01, 0.001)
RIDDERS_SHRINK = 1.4  # step ratio between rows of the extrapolation table
RIDDERS_ROWS = 12
RIDDERS_SAFE = 2.0  # stop when the error grows this much past the best seen
SETTLED = 1e-6  # a one-sided estimate less sure than this (relative) has no limit

Function = Callable[[float], float]


@dataclass(frozen=True, slots=True)
class RateRow:
    """(f(a+step) − f(a))/step beside f'(a): a row of the limit table (step = h) or of
    average against instantaneous rate (step = Δx)."""

    step: float
    rate: float | None  # None where f(a+step) does not exist
    gap: float | None  # rate − f'(a)


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    error: float  # an honest bound on |value − f'(a)|
    step: float = 0.0  # the smallest h behind the value (round-off grows like 1/h)


@dataclass(frozen=True, slots=True)
class Side:
    """A one-sided derivative: a finite slope, an infinite one (sign), or none at all
    (slope None and not infinite: the quotients oscillate without settling)."""

    slope: float | None
    infinite: int = 0  # +1 or −1 when the quotients grow without bound
    exists: bool = True  # False where f is not defined on that side


def safe(f: Function, x: float) -> float | None:
    try:
        value = f(x)
    except MathError:
        return None
    return value if math.isfinite(value) else None


def rate_table(
    f: Function, a: float, fa: float, slope: float | None, steps: tuple[float, ...]
) -> list[RateRow]:
    rows = []
    for step in steps:
        ahead = safe(f, a + step)
        rate = None if ahead is None else (ahead - fa) / step
        gap = None if rate is None or slope is None else rate - slope
        rows.append(RateRow(step, rate, gap))
    return rows


def average_rate(f: Function, a: float, b: float) -> float:
    """(f(b) − f(a))/(b − a): the secant's slope."""
    if a == b:
        raise MathError("the interval [a, b] is empty: --to must differ from --at")
    return (f(b) - f(a)) / (b - a)


def _ridders(quotient: Callable[[float], float], h0: float, one_sided: bool) -> Estimate | None:
    """Richardson extrapolation of quotients at shrinking h (Ridders' method).

    Central quotients have errors in h², h⁴, ...; one-sided ones in h, h², ... ."""
    ratio = RIDDERS_SHRINK if one_sided else RIDDERS_SHRINK**2
    h = h0
    try:
        previous = [quotient(h)]
    except (MathError, ZeroDivisionError, OverflowError):
        return None
    best, best_error, best_step = previous[0], math.inf, h
    for _ in range(1, RIDDERS_ROWS):
        h /= RIDDERS_SHRINK
        try:
            row = [quotient(h)]
        except (MathError, ZeroDivisionError, OverflowError):
            break
        factor = ratio
        for j in range(1, len(previous) + 1):
            row.append((row[j - 1] * factor - previous[j - 1]) / (factor - 1))
            factor *= ratio
            error = max(abs(row[j] - row[j - 1]), abs(row[j] - previous[j - 1]))
            if error <= best_error:
                best, best_error, best_step = row[j], error, h
        if abs(row[-1] - previous[-1]) >= RIDDERS_SAFE * best_error:
            break
        previous = row
    if not math.isfinite(best) or not math.isfinite(best_error):
        return None
    return Estimate(best, best_error, best_step)


def _starting_steps(a: float) -> list[float]:
    """Ridders restarts from smaller steps when its error estimate is poor, or when a
    step reaches outside the domain (sqrt(x) at 1e-6)."""
    scale = max(abs(a), 1.0)
    return [scale * 0.5 * 10.0**-k for k in range(0, 10)]


def best_estimate(f: Function, a: float) -> Estimate | None:
    """The most accurate f'(a) from values of f alone, with an honest error bar."""
    candidates = []
    for h0 in _starting_steps(a):

        def central(h: float) -> float:
            return (f(a + h) - f(a - h)) / (2 * h)

        found = _ridders(central, h0, one_sided=False)
        if found is not None:
            candidates.append(_honest(found, f, a))
    # Compare honest bars: a tiny step can agree with itself by luck (error 0) while
    # its round-off is large.
    return min(candidates, key=lambda c: c.error) if candidates else None


def one_sided_estimate(f: Function, a: float, side: int) -> Estimate | None:
    fa = f(a)
    candidates = []
    for h0 in _starting_steps(a):

        def quotient(h: float, h_sign: int = side) -> float:
            return (f(a + h_sign * h) - fa) / (h_sign * h)

        found = _ridders(quotient, h0, one_sided=True)
        if found is not None:
            candidates.append(_honest(found, f, a))
    return min(candidates, key=lambda c: c.error) if candidates else None


def _honest(estimate: Estimate, f: Function, a: float) -> Estimate:
    """Widen the extrapolation's own error estimate by the round-off it cannot see.

    Each f(a ± h) carries an error of about ε(|f(a)| + |a·f'(a)|) (the value and the
    rounding of its argument); divided by h and amplified by the extrapolation."""
    noise = EPS * (abs(safe(f, a) or 0.0) + abs(a * estimate.value))
    floor = 16 * noise / estimate.step + 16 * EPS * abs(estimate.value)
    return Estimate(estimate.value, max(4 * estimate.error, floor), estimate.step)


def side(f: Function, a: float, direction: int) -> Side:
    """The one-sided derivative on the right (+1) or left (−1) of a."""
    fa = f(a)
    probes = []
    for h in (1e-2, 1e-4, 1e-6, 1e-8):
        value = safe(f, a + direction * h)
        if value is None:
            return Side(None, exists=False)
        probes.append((value - fa) / (direction * h))
    # Quotients that grow ~tenfold or more per step do not settle: an infinite slope.
    growing = all(abs(b) > 5 * abs(a_) for a_, b in zip(probes, probes[1:], strict=False))
    if growing and all(math.copysign(1, q) == math.copysign(1, probes[-1]) for q in probes):
        return Side(None, infinite=int(math.copysign(1, probes[-1])))
    estimate = one_sided_estimate(f, a, direction)
    if estimate is None or estimate.error > SETTLED * max(1.0, abs(estimate.value)):
        return Side(None)  # the quotients do not settle: no one-sided limit (x·sin(1/x))
    return Side(estimate.value)
