"""Is a constant positive, negative or zero? The question behind every verdict at a point:
is cos(π/2) zero (a pole of tan), is 1/3 − 0.333 positive (inside sqrt's domain), are the
one-sided slopes −1 and 1 equal.

Decided by the engine's own exact arithmetic first (the normal form folds rationals,
radicals and the trigonometric values at multiples of π/12), then by digits: a value
computed at two precisions that agree to many places is not zero, and its sign is
theirs. Only a value that stays zero to every precision tried is handed to SymPy for a
proof, under a time limit; if none comes, the answer is None ("could not decide"), never
a guess. No step depends on how long anything took, except that last one, which can
only turn an answer into None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.errors import MathError
from core.evaluate import evaluate
from core.normal import Normalizer
from core.tree import Expr, Num, free_symbols, size, walk

# Floats decide when the value is far from zero compared with the numbers it is made of:
# double rounding errs by about 1e-16 of them per operation.
FLOAT_MARGIN = 1e-9
FLOAT_NODES = 200  # bigger trees go straight to digits (the scale walk is quadratic)
# Digits tried, in pairs: consecutive precisions that agree to AGREE_DIGITS decide.
PRECISIONS = (30, 60, 120, 240, 480, 960)
AGREE_DIGITS = 20


@dataclass(frozen=True, slots=True)
class Sign:
    value: int | None  # +1, -1, 0; None: could not decide
    how: str  # "exact", "floats", "digits", "SymPy", or why it is undecided


def sign_of(expr: Expr) -> Sign:
    """The sign of a constant expression (no free symbols)."""
    if free_symbols(expr):
        return Sign(None, f"it depends on {', '.join(sorted(free_symbols(expr)))}")
    normal = Normalizer(None).run(expr)
    if isinstance(normal, Num):
        return Sign((normal.value > 0) - (normal.value < 0), "exact")
    by_floats = _float_sign(normal)
    if by_floats is not None:
        return Sign(by_floats, "floats")
    by_digits = _digit_sign(normal)
    if by_digits is not None:
        return Sign(by_digits, "digits")
    from core.exact import sympy_is_zero

    proved = sympy_is_zero(normal)
    if proved is True:
        return Sign(0, "SymPy")
    return Sign(None, f"it is 0 to {PRECISIONS[-1]} digits, and no proof came in time")


def _float_sign(expr: Expr) -> int | None:
    if size(expr) > FLOAT_NODES:
        return None
    try:
        value = evaluate(expr, {})
        scale = max([1.0, abs(value)] + [abs(evaluate(n, {})) for n in walk(expr)])
    except (MathError, OverflowError, ValueError):
        return None
    if not math.isfinite(value) or abs(value) <= FLOAT_MARGIN * scale:
        return None
    return 1 if value > 0 else -1


def _digit_sign(expr: Expr) -> int | None:
    from core.precise import precise_value

    previous = None
    for digits in PRECISIONS:
        try:
            value = precise_value(expr, {}, digits)
        except MathError:
            return None
        if previous is not None and value != 0 and previous != 0:
            if abs(value - previous) <= abs(value) * 10.0**-AGREE_DIGITS:
                return 1 if value > 0 else -1
        previous = value
    return None
