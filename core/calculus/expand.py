"""Other forms to try: sums multiplied out, in whole or inside products, and the factors
below a fraction line joined into the sum there. The caller normalizes each and keeps the
smallest. Every expansion is bounded (MAX_EXPANDED_TERMS terms, powers up to
MAX_EXPANDED_POWER) and returns None when it would be too big; the rewrites inside a tree
also return None when they change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from deriv_lecture.core.syntax.tree import (
    MINUS_ONE,
    Add,
    Expr,
    Mul,
    Num,
    Pow,
    children,
    identity_memo,
    rebuild,
)

MAX_EXPANDED_TERMS = 200
MAX_EXPANDED_POWER = 8


def expand(expr: Expr) -> Expr | None:
    """Products of sums multiplied out, or None when that would be too big."""
    terms = _expanded_terms(expr)
    return None if terms is None else (terms[0] if len(terms) == 1 else Add(tuple(terms)))


def expand_sums(expr: Expr) -> Expr | None:
    """Each sum multiplied out where that stays small, the products and quotients around
    it kept: the quotient rule's (2x(x − 1) − (x² + 1))/(x − 1)² becomes
    (x² − 2x − 1)/(x − 1)². None when no sum changes."""

    def multiply_out(node: Expr) -> Expr | None:
        if not isinstance(node, Add):
            return None
        terms = _expanded_terms(node)
        return Add(tuple(terms)) if terms is not None and terms != list(node.terms) else None

    return _rewrite(expr, multiply_out)


def join_denominators(expr: Expr) -> Expr | None:
    """The factors below the line multiplied into the sum there: x⁻²·(1 + x⁻²)⁻¹ becomes
    (x² + 1)⁻¹, so atan(1/x)' reads −1/(x² + 1). None when nothing joins."""

    def join(node: Expr) -> Expr | None:
        if not isinstance(node, Mul):
            return None
        above: list[Expr] = []
        below: list[tuple[Expr, Fraction]] = []  # (base, its whole power below the line)
        for factor in node.factors:
            match factor:
                case Pow(base, Num(value)) if value.denominator == 1 and value < 0:
                    below.append((base, -value))
                case _:
                    above.append(factor)
        if len(below) < 2 or not any(isinstance(base, Add) for base, _ in below):
            return None
        denominator = Mul(tuple(_power_of(base, power) for base, power in below))
        terms = _expanded_terms(denominator)
        if terms is None or len(terms) < 2:
            return None
        return Mul((*above, Pow(Add(tuple(terms)), MINUS_ONE)))

    return _rewrite(expr, join)


def _power_of(base: Expr, exponent: Fraction) -> Expr:
    return base if exponent == 1 else Pow(base, Num(exponent))


def _rewrite(expr: Expr, change: Callable[[Expr], Expr | None]) -> Expr | None:
    """expr with change applied to the top-most nodes it changes (walked once per shared
    node); None when it changes none."""

    def visit(node: Expr) -> Expr:
        changed = change(node)
        if changed is not None:
            return changed
        parts = children(node)
        if all(remembered(part) is part for part in parts):
            return node  # nothing below changed: no new node
        return rebuild(node, remembered)

    remembered = identity_memo(visit)
    result = remembered(expr)
    return None if result is expr else result


def _expanded_terms(expr: Expr) -> list[Expr] | None:
    match expr:
        case Add(terms):
            out: list[Expr] = []
            for term in terms:
                part = _expanded_terms(term)
                if part is None:
                    return None
                out.extend(part)
            return out if len(out) <= MAX_EXPANDED_TERMS else None
        case Mul(factors):
            products: list[list[Expr]] = [[]]
            for factor in factors:
                options = _expanded_terms(factor)
                if options is None:
                    return None
                products = [p + [o] for p in products for o in options]
                if len(products) > MAX_EXPANDED_TERMS:
                    return None
            return [Mul(tuple(p)) for p in products]
        case Pow(Add() as base, Num(value)) if (
            value.denominator == 1 and 1 < value <= MAX_EXPANDED_POWER
        ):
            return _expanded_terms(Mul((base,) * value.numerator))
    return [expr]
