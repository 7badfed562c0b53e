"""Is a constant positive, negative or zero? The question behind every verdict at a point:
is cos(π/2) zero (a pole of tan), is 1/3 − 0.333 positive (inside sqrt's domain), are the
one-sided slopes −1 and 1 equal.

Decided by the engine's own exact arithmetic first (the normal form folds rationals,
radicals and the trigonometric values at multiples of π/12), then by digits: a value
computed at two precisions that agree to many places is not zero, and its sign is
theirs. (Floats alone cannot be trusted even far from zero: tan(π/2 + 1e-300) is about
−1e300, while in floats the point rounds to just below π/2 and tan gives +1.6e16.)
Only a value that stays zero to every precision tried is handed to SymPy for a
proof, under a time limit; if none comes, the answer is None ("could not decide"), never
a guess. No step depends on how long anything took, except that last one, which can
only turn an answer into None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from deriv_lecture.core.calculus.normal import Normalizer
from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.tree import Add, Expr, Num, free_symbols, size, walk

# Trees bigger than this are decided in floats when they are far from zero compared with
# the numbers they are made of (digits would take seconds on them); smaller ones never.
DIGIT_NODES = 2_000
FLOAT_MARGIN = 1e-9
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
    if size(normal) > DIGIT_NODES:
        by_floats = _float_sign(normal)
        if by_floats is not None:
            return Sign(by_floats, "floats")
    by_digits = _digit_sign(normal)
    if by_digits is not None:
        return Sign(by_digits, "digits")
    from deriv_lecture.core.referee.exact import sympy_is_zero

    proved = sympy_is_zero(normal)
    if proved is True:
        return Sign(0, "SymPy")
    return Sign(None, "it is 0 to 1920 digits, and no proof came in time")


def _float_sign(expr: Expr) -> int | None:
    try:
        value = evaluate(expr, {})
        scale = max([1.0, abs(value)] + [abs(evaluate(t, {})) for n in walk(expr)
                                          if isinstance(n, Add) for t in n.terms])  # fmt: skip
    except (MathError, OverflowError, ValueError):
        return None
    if not math.isfinite(value) or abs(value) <= FLOAT_MARGIN * scale:
        return None
    return 1 if value > 0 else -1


def _digit_sign(expr: Expr) -> int | None:
    from deriv_lecture.core.numeric.precise import stable_value

    try:
        value = stable_value(expr)
    except MathError:
        return None
    return None if value is None else (1 if value > 0 else -1)
