"""The real zeros of a quantity that is a polynomial of degree 1 or 2 in one variable,
exactly (the boundaries of pieces, the points a cancelled factor leaves out)."""

from __future__ import annotations

import math
from fractions import Fraction

from deriv_lecture.core.calculus.rules import differentiate
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.syntax.tree import (
    ZERO,
    Add,
    Div,
    Expr,
    Neg,
    Num,
    Pow,
    free_symbols,
    substitute,
)


def real_roots(quantity: Expr, var: str) -> list[Expr]:
    """The real zeros of a quantity that is a polynomial of degree 1 or 2 in var, exactly."""
    if free_symbols(quantity) != {var}:
        return []
    coefficients = []
    current = quantity
    for k in range(4):
        at_zero = simplify(substitute(current, var, ZERO))
        if not isinstance(at_zero, Num):
            return []
        coefficients.append(at_zero.value / math.factorial(k))
        current = simplify(differentiate(current, var).result, var)
    c0, c1, c2, c3 = coefficients
    if c3 != 0 or current != ZERO:
        return []
    if c2 == 0:
        return [] if c1 == 0 else [Num(-c0 / c1)]
    disc = c1 * c1 - 4 * c2 * c0
    if disc < 0:
        return []
    root = simplify(Pow(Num(disc), Num(Fraction(1, 2))))
    shift = Div(Num(-c1), Num(2 * c2))
    half = Div(root, Num(2 * c2))
    found = [simplify(Add((shift, Neg(half)))), simplify(Add((shift, half)))]
    return found if disc else found[:1]
