"""SymPy's work on implicit curves, in the worker under a time limit: its own dy/dx
(`idiff` on F = LHS − RHS, which takes an expression, not an equation) for the verdict,
and an expression made smaller using the curve's equation."""

from __future__ import annotations

import functools
from typing import Any

from deriv_lecture.core.referee.crosscheck import sympy_refusal, to_sympy
from deriv_lecture.core.referee.exact import NotRepresentable, from_sympy
from deriv_lecture.core.referee.sympy_worker import remote
from deriv_lecture.core.referee.timebox import within
from deriv_lecture.core.syntax.tree import Expr

IDIFF_SECONDS = 1.0
REDUCE_SECONDS = 0.6


def _back(value: Any) -> Expr | None:
    try:
        return from_sympy(value)
    except NotRepresentable:
        return None


@remote(undecided=lambda *_: None)
def sympy_idiff(function: Expr, dep: str, indep: str, order: int) -> Expr | None:
    """SymPy's dⁿy/dxⁿ on F = 0 (`sympy.idiff(F, y, x, n)`), or None in no time."""
    import sympy

    if sympy_refusal(function) is not None:
        return None
    symbols: dict[str, Any] = {}

    def compute() -> Any:
        f = to_sympy(function, symbols)
        y = symbols.setdefault(dep, sympy.Symbol(dep, real=True))
        x = symbols.setdefault(indep, sympy.Symbol(indep, real=True))
        return sympy.idiff(f, y, x, order)

    found = within(IDIFF_SECONDS, compute)
    return None if found is None else _back(found)


@remote(undecided=lambda *_: None)
def sympy_reduce_on_curve(expr: Expr, curve: Expr, x: str, y: str) -> Expr | None:
    """expr with its numerator reduced modulo the polynomial F (Gröbner division), so that
    −(x² + y²)/y³ on x² + y² − 25 = 0 becomes −25/y³; None where F is not a polynomial
    or nothing came in time."""
    import sympy

    if sympy_refusal(expr) is not None or sympy_refusal(curve) is not None:
        return None
    symbols: dict[str, Any] = {}

    def compute() -> Any:
        value, f = to_sympy(expr, symbols), to_sympy(curve, symbols)
        gens = [symbols.setdefault(x, sympy.Symbol(x, real=True)),
                symbols.setdefault(y, sympy.Symbol(y, real=True))]  # fmt: skip
        if not f.is_polynomial(*gens):
            return None
        numerator, denominator = sympy.fraction(sympy.together(value))
        if not numerator.is_polynomial(*gens):
            return None
        _, remainder = sympy.reduced(sympy.expand(numerator), [sympy.expand(f)], *gens)
        return sympy.factor(remainder) / denominator

    found = within(REDUCE_SECONDS, compute)
    return None if found is None else _back(found)


@remote(undecided=lambda *_: None)
def sympy_tidier(expr: Expr) -> Expr | None:
    """expr in its lightest form among SymPy's cancel and factor (the folium's y′ is
    −(3x² − 6y)/(3y² − 6x) by the rules: (2y − x²)/(y² − 2x) once the 3 cancels), or None."""
    import sympy

    from deriv_lecture.core.calculus.forms import weight

    if sympy_refusal(expr) is not None:
        return None
    value = within(REDUCE_SECONDS, lambda: to_sympy(expr))
    if value is None:
        return None
    best: Expr | None = None
    for rewrite in (sympy.cancel, sympy.factor):
        found = within(REDUCE_SECONDS / 2, functools.partial(rewrite, value))
        tree = None if found is None else _back(found)
        if tree is not None and (best is None or weight(tree) < weight(best)):
            best = tree
    return best
