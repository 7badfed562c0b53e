"""Numbers near a point: difference quotients, the best estimate of f'(a), average
rates. Values in, frozen records out.

The list of h is data; below about 1e-8 cancellation in f(a+h) − f(a) makes the error
grow again, and the table shows it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deriv_lecture.core.errors import MathError

if TYPE_CHECKING:
    from deriv_lecture.core.syntax.tree import Expr

EPS = 2.0**-52
QUOTIENT_STEPS = tuple(10.0**-k for k in range(1, 17))  # h = 1e-1 ... 1e-16
SECANT_STEPS = (2.0, 1.0, 0.5, 0.1, 0.01, 0.001)
RIDDERS_SHRINK = 1.4  # step ratio between rows of the extrapolation table
RIDDERS_ROWS = 12
RIDDERS_SAFE = 2.0  # stop when the error grows this much past the best seen

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
    scale: float = 0.0  # the largest quotient it was computed from


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
    scale = abs(previous[0])  # the largest quotient seen: round-off is relative to it
    for _ in range(1, RIDDERS_ROWS):
        h /= RIDDERS_SHRINK
        try:
            row = [quotient(h)]
        except (MathError, ZeroDivisionError, OverflowError):
            break
        scale = max(scale, abs(row[0]))
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
    if not all(math.isfinite(v) for v in (best, best_error, scale)):
        return None
    return Estimate(best, best_error, best_step, scale)


def _starting_steps(a: float, reach: float) -> list[float]:
    """Ridders restarts from smaller steps when its error estimate is poor. Every step
    stays inside `reach`, the distance to the nearest point where f or f' is undefined or
    not smooth: a central quotient across a pole (tan near π/2) is no estimate at all."""
    largest = min(max(abs(a), 1.0), reach) * 0.5
    smallest = 1e3 * EPS * abs(a)  # below it a ± h is a itself, or nearly
    return [h for h in (largest * 10.0**-k for k in range(0, 10)) if h > smallest]


def best_estimate(f: Function, a: float, reach: float = math.inf) -> Estimate | None:
    """The most accurate f'(a) from values of f alone, with an honest error bar."""
    candidates = []
    for h0 in _starting_steps(a, reach):

        def central(h: float) -> float:
            return (f(a + h) - f(a - h)) / (2 * h)

        found = _ridders(central, h0, one_sided=False)
        if found is not None:
            candidates.append(found)
    # No estimate is surer than ε times the size of f' just around a, seen at a step of
    # 1e-3 (x⁴eˣ at 0: about 1e-12 there, while an extrapolation gave 3e-45 ± 1e-45).
    nearby = min(1e-3 * max(abs(a), 1.0), reach / 2)
    try:
        scale = abs(f(a + nearby) - f(a - nearby)) / (2 * nearby)
    except (MathError, ZeroDivisionError, OverflowError):
        scale = max((c.scale for c in candidates), default=0.0)
    honest = [_honest(c, f, a, scale) for c in candidates]
    # Compare honest bars: a tiny step can agree with itself by luck (error 0) while
    # its round-off is large.
    return min(honest, key=lambda c: c.error) if honest else None


def _honest(estimate: Estimate, f: Function, a: float, scale: float) -> Estimate:
    """Widen the extrapolation's own error estimate by the round-off it cannot see.

    Each f(a ± h) carries an error of about ε(|f(a)| + |a·f'(a)|) (the value and the
    rounding of its argument); divided by h and amplified by the extrapolation. And no
    combination of quotients is surer than ε times the size of f' around a (`scale`)."""
    noise = EPS * (abs(safe(f, a) or 0.0) + abs(a * estimate.value))
    floor = 16 * noise / estimate.step + 16 * EPS * max(abs(estimate.value), scale)
    return Estimate(estimate.value, max(4 * estimate.error, floor), estimate.step, scale)


AITKEN_STEPS = 8


def slow_estimate(f: Function, a: float, reach: float = math.inf) -> Estimate | None:
    """f'(a) where f is differentiable but not smooth (x·|x|^½ at 0): central quotients
    there converge like hᵖ with an unknown p, which Ridders' h², h⁴ model gets wrong.
    Aitken's Δ² process estimates p from three quotients in a row; the bar is the spread
    of successive extrapolations plus round-off."""
    h0 = min(max(abs(a), 1.0), reach) * 0.1
    fa = safe(f, a) or 0.0
    quotients: list[float] = []
    for k in range(AITKEN_STEPS):
        h = h0 * 10.0**-k
        try:
            quotients.append((f(a + h) - f(a - h)) / (2 * h))
        except (MathError, ZeroDivisionError, OverflowError):
            break
    extrapolated: list[float] = []
    for q0, q1, q2 in zip(quotients, quotients[1:], quotients[2:], strict=False):
        d1, d2 = q1 - q0, q2 - q1
        extrapolated.append(q2 if d2 == d1 else q2 - d2 * d2 / (d2 - d1))
    scale = max((abs(q) for q in quotients), default=0.0)
    best: Estimate | None = None
    for k, (v0, v1) in enumerate(zip(extrapolated, extrapolated[1:], strict=False)):
        h = h0 * 10.0 ** -(k + 3)  # the smallest step behind v1
        roundoff = 16 * EPS * (abs(fa) + abs(a * v1)) / h + 16 * EPS * scale
        error = 4 * abs(v1 - v0) + roundoff
        if math.isfinite(error) and (best is None or error < best.error):
            best = Estimate(v1, error, h, scale)
    return best


def axis_estimate(expr: Expr, values: Mapping[str, float], var: str) -> Estimate | None:
    """∂expr/∂var at the point `values` from values of expr alone: the best estimate of
    the derivative of t ↦ expr with var = t and every other name fixed (None where expr
    has no value near the point)."""
    from deriv_lecture.core.numeric.evaluate import compiled

    function = compiled(expr)

    def along(t: float) -> float:
        return function({**values, var: t})

    try:
        return best_estimate(along, values[var])
    except (MathError, ZeroDivisionError, OverflowError, ValueError):
        return None
