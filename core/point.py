"""Everything about f at one point a: exact and decimal values, whether f'(a) exists
(one-sided slopes decide, never SymPy's sign(0) or Heaviside(0)), the limit table, the
best estimate, average versus instantaneous rate, the tangent and normal lines."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from core.errors import DomainError, MathError, UsageError
from core.evaluate import evaluate
from core.exact import exact_value, first_principles, modest
from core.numeric import (
    QUOTIENT_STEPS,
    SECANT_STEPS,
    Estimate,
    RateRow,
    Side,
    average_rate,
    best_estimate,
    rate_table,
    side,
)
from core.simplify import simplify
from core.tree import ONE, ZERO, Add, Div, Expr, Mul, Neg, Num, Sym, free_symbols

AGREE = 1e-6  # one-sided slopes closer than this (relative) are the same slope
KIND_NOTES = {
    "kink": "not differentiable: the one-sided slopes differ (a kink)",
    "cusp": "not differentiable: the slopes run off to opposite infinities (a cusp)",
    "vertical tangent": "not differentiable: a vertical tangent (the slope is infinite)",
    "discontinuous": "not differentiable: f jumps here (not continuous)",
    "endpoint": "only a one-sided derivative: this is an end of f's domain",
    "undefined": "f'(a) does not exist here (the derivative is undefined at this point)",
    "oscillating": "not differentiable: the difference quotients oscillate and never settle",
}


@dataclass(frozen=True, slots=True)
class Line:
    """y = slope·x + intercept, or the vertical line x = at (slope None)."""

    slope: Expr | None
    intercept: Expr | None
    slope_value: float | None
    intercept_value: float | None
    equation: Expr | None  # the right-hand side of y = ...; None for a vertical line
    vertical_at: Expr | None = None


@dataclass(frozen=True, slots=True)
class Average:
    start: Expr
    end: Expr
    rate: Expr | None
    rate_value: float | None


@dataclass(frozen=True, slots=True)
class PointAnalysis:
    var: str
    at: Expr
    at_value: float | None
    f_exact: Expr | None
    f_value: float | None
    slope_exact: Expr | None
    slope_value: float | None
    differentiable: bool
    kind: str  # "smooth" or one of KIND_NOTES
    left: Side | None
    right: Side | None
    estimate: Estimate | None
    table: tuple[RateRow, ...]  # the limit: h = 1e-1 ... 1e-16
    secants: tuple[RateRow, ...]  # average over [a, a+Δx]
    tangent: Line | None
    normal: Line | None
    average: Average | None
    first_principles: tuple[Expr, ...]
    general_first_principles: tuple[Expr, ...]
    notes: tuple[str, ...] = field(default=())


def constant_value(expr: Expr, what: str, lets: dict[str, Expr]) -> Expr:
    """A point or parameter value: an expression with no free symbols (after --let)."""
    for name, value in lets.items():
        from core.tree import substitute

        expr = substitute(expr, name, value)
    loose = free_symbols(expr)
    if not loose:
        try:
            evaluate(expr, {})
        except MathError as error:
            raise UsageError(f"{what} has no value: {error.message}") from None
    if loose:
        raise UsageError(
            f"{what} must be a number or a constant expression; it uses {', '.join(sorted(loose))}"
        )
    return expr


def analyze(
    expr: Expr,
    derivative: Expr,
    var: str,
    at: Expr,
    lets: dict[str, Expr],
    to: Expr | None = None,
    with_limits: bool = True,
    with_lines: bool = True,
    tidy_exact: bool = True,  # False: exact values as SymPy gives them (no simplify)
    exact: bool = True,  # False: decimals only, no SymPy at all (check-all's facts)
) -> PointAnalysis:
    at = constant_value(at, "--at", lets)
    exact_env = {**lets, var: at}
    numeric = not (free_symbols(expr) - {var} - set(lets))
    notes: list[str] = []
    if not numeric:
        unknown = ", ".join(sorted(free_symbols(expr) - {var} - set(lets)))
        notes.append(f"{unknown} has no value: results are exact expressions and decimals are null")
    values = {name: evaluate(value, {}) for name, value in lets.items()} if numeric else {}
    a = evaluate(at, {})

    def f(t: float) -> float:
        return evaluate(expr, {**values, var: t})

    try:
        # Floats name the reason (ln of a negative, 0^0, ...); exact values catch poles.
        f_value = f(a) if numeric else None
        f_exact = exact_value(expr, exact_env, tidy=tidy_exact) if exact else None
    except DomainError as error:
        raise DomainError(f"f is not defined at {var} = {_plain(at)}: {error.message}") from None
    try:
        slope_exact = exact_value(derivative, exact_env, tidy=tidy_exact) if exact else None
    except DomainError:
        slope_exact = None
    left = right = None
    kind, differentiable, slope_value = "smooth", slope_exact is not None or not exact, None
    if numeric and f_value is not None:
        left, right = side(f, a, -1), side(f, a, +1)
        kind = _classify(f, a, f_value, left, right)
        differentiable = kind == "smooth"
        if differentiable:
            slope_value = _slope(slope_exact, derivative, values, var, a, left, right)
    elif slope_exact is not None and not free_symbols(slope_exact):
        slope_value = evaluate(slope_exact, {})
    if not differentiable:
        slope_exact = None
        kind = "undefined" if kind == "smooth" else kind
    estimate = best_estimate(f, a) if numeric and differentiable else None
    table: tuple[RateRow, ...] = ()
    secants: tuple[RateRow, ...] = ()
    if f_value is not None:
        table = tuple(rate_table(f, a, f_value, slope_value, QUOTIENT_STEPS))
        secants = tuple(rate_table(f, a, f_value, slope_value, SECANT_STEPS))
    tangent, normal = (
        _lines(kind, at, f_exact, f_value, slope_exact, slope_value, var)
        if with_lines
        else (None, None)
    )
    average = _average(expr, var, at, to, lets, f, a, f_exact) if to is not None else None
    limits = first_principles(expr, var, at, lets) if with_limits and differentiable else []
    general = first_principles(expr, var, None, lets) if with_limits else []
    return PointAnalysis(
        var, at, a, f_exact, f_value, slope_exact, slope_value, differentiable, kind,
        left, right, estimate, table, secants, tangent, normal, average,
        tuple(limits), tuple(general), tuple(notes),
    )  # fmt: skip


def _float(f: object, a: float) -> float | None:
    try:
        return f(a)  # type: ignore[operator]
    except MathError:
        return None


def _classify(f: object, a: float, fa: float, left: Side, right: Side) -> str:
    """What one-sided quotients say about f'(a)."""
    if _jumps(f, a, fa):
        return "discontinuous"
    sides = [s for s in (left, right) if s.exists]
    if len(sides) == 1:  # an end of the domain: sqrt(x) at 0 rises vertically
        return "vertical tangent" if sides[0].infinite else "endpoint"
    if any(s.infinite for s in sides):
        if all(s.infinite for s in sides):
            return "vertical tangent" if left.infinite == right.infinite else "cusp"
        return "cusp"
    lower, upper = left.slope, right.slope
    if lower is None or upper is None:
        return "oscillating"
    close = abs(lower - upper) <= AGREE * max(1.0, abs(lower), abs(upper))
    return "smooth" if close else "kink"


def _jumps(f: object, a: float, fa: float) -> bool:
    """f(a ± h) − f(a) that does not shrink with h: a jump, not a slope."""
    for direction in (1, -1):
        near = _float(f, a + direction * 1e-7)
        nearer = _float(f, a + direction * 1e-11)
        if near is None or nearer is None:
            continue
        d1, d2 = abs(near - fa), abs(nearer - fa)
        if d1 > 1e-9 * max(1.0, abs(fa)) and d2 > 0.5 * d1:
            return True
    return False


def _slope(
    slope_exact: Expr | None, derivative: Expr, values: dict[str, float], var: str, a: float,
    left: Side, right: Side,
) -> float:  # fmt: skip
    if slope_exact is not None:
        return evaluate(slope_exact, {})
    try:
        return evaluate(derivative, {**values, var: a})
    except MathError:
        assert left.slope is not None and right.slope is not None
        return (left.slope + right.slope) / 2


def _lines(
    kind: str, at: Expr, f_exact: Expr | None, f_value: float | None,
    slope: Expr | None, slope_value: float | None, var: str,
) -> tuple[Line | None, Line | None]:  # fmt: skip
    """Tangent y = m(x − a) + f(a) as y = mx + b, and the normal through the same point."""
    fa = (
        f_exact
        if f_exact is not None
        else (Num(Fraction(f_value)) if f_value is not None else None)
    )
    if fa is None:
        return None, None
    x = Sym(var)
    if kind == "vertical tangent":
        horizontal = Line(Num(Fraction(0)), fa, 0.0, f_value, fa)
        return Line(None, None, None, None, None, vertical_at=at), horizontal
    if slope is None and slope_value is None:
        return None, None
    m = slope if slope is not None else Num(Fraction(slope_value))  # type: ignore[arg-type]
    b = _exact(Add((fa, Neg(Mul((m, at))))))
    tangent = Line(m, b, _value(m), _value(b), _equation(m, x, b, var))
    if isinstance(m, Num) and m.value == 0:
        return tangent, Line(None, None, None, None, None, vertical_at=at)
    n = _exact(Neg(Div(ONE, m)))
    c = _exact(Add((fa, Div(at, m))))
    normal = Line(n, c, _value(n), _value(c), _equation(n, x, c, var))
    return tangent, normal


def _equation(slope: Expr, x: Expr, intercept: Expr, var: str) -> Expr:
    """m·x + b in that order, as lines are written (y = −x/4 + 9/2, not 9/2 − x/4), each
    part tidied unless its numbers are too big to tidy readably."""
    if not (modest(slope) and modest(intercept)):
        return Add((Mul((slope, x)), intercept))
    mx, b = simplify(Mul((slope, x)), var), simplify(intercept, var)
    if b == ZERO or mx == ZERO:
        return mx if b == ZERO else b
    return Add((mx, *(b.terms if isinstance(b, Add) else (b,))))


def _average(
    expr: Expr,
    var: str,
    at: Expr,
    to: Expr,
    lets: dict[str, Expr],
    f: object,
    a: float,
    fa: Expr | None,  # f(a) exactly, already known (None: decimals only)
) -> Average:
    end = constant_value(to, "--to", lets)
    b = evaluate(end, {})
    if b == a:
        raise UsageError("--to must differ from --at: an interval needs two ends")
    try:
        fb = exact_value(expr, {**lets, var: end}) if fa is not None else None
    except DomainError as error:
        raise DomainError(f"f is not defined at {var} = {_plain(end)}: {error.message}") from None
    rate = None
    if fa is not None and fb is not None:
        rate = _exact(Div(Add((fb, Neg(fa))), Add((end, Neg(at)))))
    try:
        rate_value = average_rate(f, a, b)  # type: ignore[arg-type]
    except MathError:
        rate_value = None
    return Average(at, end, rate, rate_value)


def _exact(expr: Expr) -> Expr:
    """Exactly if SymPy can say it readably; else the decimal value as a number."""
    found = exact_value(expr, {})
    if found is not None:
        return found
    tidy = simplify(expr)
    if modest(tidy):
        return tidy
    return Num(Fraction(evaluate(expr, {})))


def _value(expr: Expr) -> float | None:
    if free_symbols(expr):
        return None
    try:
        value = evaluate(expr, {})
    except MathError:
        return None
    return value if math.isfinite(value) else None


def _plain(expr: Expr) -> str:
    from core.printer import to_input

    return to_input(expr)
