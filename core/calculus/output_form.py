"""The derivative in terms of the output y = f(x), where it is a small polynomial in y.

The lecture's sigmoid: y' = y(1 − y); also tanh' = 1 − y², (eˣ)' = y, tan' = 1 + y².
Found numerically (fit a + b·y + c·y² at three points, snap to small fractions) and
kept only if it then holds at every sample point.
"""

from __future__ import annotations

import math
from fractions import Fraction

from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.tree import (
    Add,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Pow,
    Sym,
    free_symbols,
    size,
)

SAMPLES = (0.31, 0.77, 1.13, -0.42, 1.71, -1.27, 2.3, 0.05, -0.83, 2.9)
MAX_DENOMINATOR = 12
# A polynomial in y is worth showing for a small derivative; evaluating a big one (a chain
# 300 deep: 45,000 nodes written out) at every sample cost about a second.
MAX_NODES = 2_000


def in_terms_of_output(expr: Expr, derivative: Expr, var: str, y: str = "y") -> Expr | None:
    if free_symbols(expr) - {var} or y in free_symbols(expr) or var not in free_symbols(expr):
        return None
    if size(derivative) > MAX_NODES:
        return None
    points = []
    for x in SAMPLES:
        try:
            points.append((evaluate(expr, {var: x}), evaluate(derivative, {var: x})))
        except MathError:
            continue
    if len(points) < 6:
        return None
    for degree in (2, 3):  # y(1 − y) for σ', y(1 − y)(1 − 2y) for σ''
        coefficients = _fit(points[: degree + 1])
        if coefficients is None or not any(coefficients[1:]):
            continue  # a constant slope says nothing about y
        if all(_holds(coefficients, value, slope) for value, slope in points):
            if degree == 2 or coefficients[3] == 0:
                a, b, c = coefficients[:3]
                return _polynomial(a, b, c, Sym(y))
            return _cubic(coefficients, Sym(y))
    return None


def _holds(coefficients: list[Fraction], value: float, slope: float) -> bool:
    try:
        predicted = sum(float(c) * value**i for i, c in enumerate(coefficients))
    except OverflowError:
        return False
    return math.isclose(predicted, slope, rel_tol=1e-9, abs_tol=1e-12)


def _cubic(coefficients: list[Fraction], y: Sym) -> Expr | None:
    """b·y + c·y² + d·y³ as b·y(1 − y/r)(1 − y/s) where its quadratic has rational roots
    (σ'' = y(1 − y)(1 − 2y)); None otherwise (no form worth showing)."""
    a, b, c, d = coefficients
    if a != 0 or b == 0:
        return None
    discriminant = c * c - 4 * b * d
    root = _rational_sqrt(discriminant)
    if root is None:
        return None
    factors: list[Expr] = [y]
    for r in ((-c + root) / (2 * d), (-c - root) / (2 * d)):
        slope = -1 / r  # 1 − y/r
        term: Expr = y if abs(slope) == 1 else Mul((Num(abs(slope)), y))
        factors.append(Add((Num(Fraction(1)), Neg(term) if slope < 0 else term)))
    if b != 1:
        factors.insert(0, Num(b))
    return Mul(tuple(factors))


def _rational_sqrt(value: Fraction) -> Fraction | None:
    if value < 0:
        return None
    top, bottom = math.isqrt(value.numerator), math.isqrt(value.denominator)
    if top * top != value.numerator or bottom * bottom != value.denominator:
        return None
    return Fraction(top, bottom)


def _fit(points: list[tuple[float, float]]) -> list[Fraction] | None:
    """Solve a + b·y + c·y² (+ d·y³) = slope through 3 (or 4) points, snapped to small
    fractions; None if they do not determine it."""
    n = len(points)
    try:
        rows = [[value**i for i in range(n)] + [slope] for value, slope in points]
    except OverflowError:
        return None  # y² past the float range (y ≈ 1e160 and up): no fit
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-9:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [v - factor * p for v, p in zip(rows[r], rows[col], strict=True)]
    solved = [rows[i][n] / rows[i][i] for i in range(n)]
    if not all(math.isfinite(v) for v in solved):
        return None  # y² past the float range (y ≈ 1e160 and up): no fit, not NaN
    snapped = [Fraction(v).limit_denominator(MAX_DENOMINATOR) for v in solved]
    if any(
        abs(float(s) - v) > 1e-7 * max(1.0, abs(v)) for s, v in zip(snapped, solved, strict=True)
    ):
        return None
    return snapped


def _polynomial(a: Fraction, b: Fraction, c: Fraction, y: Sym) -> Expr:
    """a + b·y + c·y², written b·y(1 + (c/b)·y) when a = 0 and c/b is whole (the
    lecture's y(1 − y), and 2y(1 − y)), else y(b + c·y)."""

    def term(coefficient: Fraction, body: Expr | None) -> Expr | None:
        if coefficient == 0:
            return None
        if body is None:
            return Num(coefficient)
        if coefficient in (1, -1):
            return body if coefficient == 1 else Neg(body)
        if coefficient.denominator != 1:  # y²/2 rather than (1/2)y²
            top = (
                body
                if abs(coefficient.numerator) == 1
                else Mul((Num(Fraction(abs(coefficient.numerator))), body))
            )
            shown = Div(top, Num(Fraction(coefficient.denominator)))
            return Neg(shown) if coefficient < 0 else shown
        return Mul((Num(coefficient), body))

    if a == 0 and b != 0 and c != 0:
        ratio = c / b
        if ratio.denominator == 1:  # 2y(1 − y) and −y(1 − y), as a key factors them
            inner = Add((Num(Fraction(1)), term(ratio, y) or y))
            if b.denominator == 1 and abs(b) != 1:
                return Mul((Num(b), y, inner))
            return term(b, Mul((y, inner))) or inner
        inner_terms = [t for t in (term(b, None), term(c, y)) if t is not None]
        return Mul((y, Add(tuple(inner_terms))))
    constant = term(a, None)
    parts = [t for t in (term(b, y), term(c, Pow(y, Num(Fraction(2))))) if t]
    if constant is not None:  # 1 + y², 1 − y², but y − 1 rather than −1 + y
        parts.insert(0 if a > 0 else len(parts), constant)
    return parts[0] if len(parts) == 1 else Add(tuple(parts))
