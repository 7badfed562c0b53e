"""Values of a tree at an exact point to many digits (mpmath), for the decisions floats
cannot make: is cos(π/2 + 1e-300) negative, is 1/x + 1e-9 the same function as 1/x.

No domain checks beyond what mpmath itself refuses: callers ask core.numeric.local whether a
point is inside the domain (exactly) before they ask for digits. mpmath comes with SymPy
and is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.functions import FUNCTIONS
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    identity_memo,
)

# exp(u) of |u| past 2^40 has an exponent of more than 2^40 bits; sin(u) of |u| past 2^20000
# needs 20,000 more bits to reduce u. Past these, a value is "too large" (a MathError).
MAX_EXPONENT_BITS = 40
MAX_ARGUMENT_BITS = 20_000


def precise_value(expr: Expr, env: Mapping[str, Expr], digits: int = 40) -> Any:
    """expr at the exact values in env (trees without free symbols), as an mpmath number
    computed with `digits` significant digits (more inside). Raises DomainError where a
    value is not real (mpmath's own refusals) and MathError where a symbol has no value."""
    import mpmath

    with mpmath.workdps(digits + 10):
        point = {name: _Evaluator({}, mpmath).value(value) for name, value in env.items()}
        return _Evaluator(point, mpmath).value(expr)


class _Evaluator:
    def __init__(self, point: dict[str, Any], mp: Any) -> None:
        self.point = point
        self.mp = mp
        self.value: Callable[[Expr], Any] = identity_memo(self._value)

    def _value(self, expr: Expr) -> Any:
        mp = self.mp
        match expr:
            case Num(value):
                return mp.mpf(value.numerator) / value.denominator
            case Const(name):
                return +mp.e if name == "e" else +mp.pi
            case Sym(name):
                if name not in self.point:
                    raise MathError(f"'{name}' has no value")
                return self.point[name]
            case Add(terms):
                return mp.fsum(self.value(t) for t in terms)
            case Neg(arg):
                return -self.value(arg)
            case Mul(factors):
                return mp.fprod(self.value(f) for f in factors)
            case Div(num, den):
                denominator = self.value(den)
                if denominator == 0:
                    raise DomainError("division by zero")
                return self.value(num) / denominator
            case Pow(base, exp):
                return self._power(self.value(base), self.value(exp))
            case Call(name, args):
                return self._call(name, [self.value(a) for a in args])
            case Piecewise(cond, then, otherwise):
                left, right = self.value(cond.left), self.value(cond.right)
                holds = {"<": left < right, "<=": left <= right, ">": left > right,
                         ">=": left >= right}[cond.op]  # fmt: skip
                return self.value(then if holds else otherwise)
            case Undefined():
                raise DomainError("none of the pieces applies here: no value")

    def _power(self, base: Any, exp: Any) -> Any:
        mp = self.mp
        if base != 0 and mp.mag(exp) + mp.mag(mp.ln(abs(base))) > MAX_EXPONENT_BITS:
            raise MathError("the value is too large to compute to many digits")
        if base < 0:
            if exp != int(exp):
                raise DomainError("a negative base to a non-integer power")
            return mp.power(base, int(exp))
        if base == 0 and exp <= 0:
            raise DomainError("0 to a power that is not positive")
        return mp.power(base, exp)

    def _call(self, name: str, args: list[Any]) -> Any:
        mp = self.mp
        u = args[0]
        row = FUNCTIONS[name]
        limit = MAX_EXPONENT_BITS if row.growing else MAX_ARGUMENT_BITS
        if u != 0 and mp.mag(u) > limit:
            raise MathError(f"{name} of a number too large to compute to many digits")
        result = row.precise(mp, *args)
        if isinstance(result, mp.mpc):
            if result.imag != 0:
                raise DomainError(f"{name} has no real value here")
            result = result.real
        return result


# Digits tried in turn; the first two in a row that agree to AGREE_DIGITS give the value.
PRECISIONS = (30, 60, 120, 240, 480, 960, 1920)
AGREE_DIGITS = 20


def stable_value(expr: Expr) -> Any | None:
    """A constant to at least AGREE_DIGITS correct digits, or None where no two
    precisions agree (it is 0, or so close to a pole that 1920 digits cannot tell).
    Two precisions that agree this far are no coincidence: near a pole or a cancellation,
    the rounding at each precision throws the value somewhere else."""
    previous = None
    for digits in PRECISIONS:
        value = precise_value(expr, {}, digits)
        if previous is not None and value != 0 and previous != 0:
            if abs(value - previous) <= abs(value) * 10.0**-AGREE_DIGITS:
                return value
        previous = value
    return None


def decimal(expr: Expr) -> float | None:
    """A constant as the nearest float, from digits that two precisions agree on (the
    float of tan(π/2 + 1e-300) is about −1e300, not the +1.6e16 floats give); None where it
    has no real value or is past the float range."""
    import math

    from deriv_lecture.core.syntax.tree import Num, free_symbols

    if free_symbols(expr):
        return None
    if isinstance(expr, Num):
        value = float(expr.value) if abs(expr.value) < 2**1023 else math.inf
        if value == 0 and expr.value != 0:
            return None  # below the float range: not an exact 0
        return value if math.isfinite(value) else None
    try:
        found = stable_value(expr)
        if found is None and precise_value(expr, {}, 30) == 0:
            return 0.0
        value = float(found) if found is not None else math.nan
    except (MathError, OverflowError):
        return None
    if value == 0 and found is not None and found != 0:
        return None  # 1e-4000 is no 0
    return value if math.isfinite(value) else None
