"""From the normal form back to what people write: x⁻² becomes 1/x², x^(1/2) becomes √x,
a negative coefficient becomes a minus sign, (2x − x²)e⁻ˣ becomes (2x − x²)/eˣ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from deriv_lecture.core.calculus.normal import HALF, Normalizer, exponent_sign, split_coefficient
from deriv_lecture.core.functions import FUNCTIONS, ROWS
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Compare,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    free_symbols,
    identity_memo,
    walk,
)


def present(expr: Expr) -> Expr:
    """Normal form -> readable tree: fractions, roots and minus signs where people put them.
    A whole answer that is a sum keeps the normal form's order, highest power first
    (−x⁴ + x³); a sum inside it opens with a positive term, as the lecture's (2x − x²)/eˣ."""
    presenter = _Presenter()
    if isinstance(expr, Add):
        return Add(tuple(presenter.show(t) for t in expr.terms))
    return presenter.show(expr)


class _Presenter:
    def __init__(self) -> None:
        self.show: Callable[[Expr], Expr] = identity_memo(self._show)

    def _show(self, expr: Expr) -> Expr:
        match expr:
            case Add(terms):
                shown = [self.show(t) for t in terms]
                first_positive = next((i for i, t in enumerate(shown) if not _reads_negative(t)), 0)
                shown.insert(0, shown.pop(first_positive))
                return Add(tuple(shown))
            case Mul():
                coefficient, rest = split_coefficient(expr)
                return self.product(coefficient, rest)
            case Pow():
                return self.product(Fraction(1), (expr,))
            case Call(name, args):
                return Call(name, tuple(self.show(a) for a in args))
            case Piecewise(cond, then, otherwise):
                left, right, op = cond.left, cond.right, cond.op
                if not free_symbols(left) and free_symbols(right):  # 0 > x reads x < 0
                    left, right, op = right, left, _FLIPPED[op]
                new_cond = Compare(op, self.show(left), self.show(right))
                return Piecewise(new_cond, self.show(then), self.show(otherwise))
        return expr

    def product(self, coefficient: Fraction, factors: tuple[Expr, ...]) -> Expr:
        numerator: list[Expr] = []
        denominator: list[Expr] = []
        negative_exponentials: list[Pow] = []
        for factor in factors:
            if not isinstance(factor, Pow):
                numerator.append(self.show(factor))
            elif isinstance(factor.exp, Num) and factor.exp.value < 0:
                denominator.append(self.power(factor.base, -factor.exp.value))
            elif isinstance(factor.exp, Num):
                numerator.append(self.power(factor.base, factor.exp.value))
            elif exponent_sign(factor.exp) < 0:
                negative_exponentials.append(factor)
            else:
                numerator.append(Pow(self.show(factor.base), self.show(factor.exp)))
        # e⁻ˣ/(1 + e⁻ˣ)² keeps e⁻ˣ on top; (2x − x²)e⁻ˣ reads better as (2x − x²)/eˣ.
        for factor in negative_exponentials:
            if numerator:
                flipped = Normalizer(None).mul([Num(Fraction(-1)), factor.exp])
                denominator.append(Pow(self.show(factor.base), self.show(flipped)))
            else:
                numerator.append(Pow(self.show(factor.base), self.show(factor.exp)))
        if denominator and _reciprocals(numerator, denominator):
            numerator += [_reciprocal(f) for f in denominator]  # −1/sin² is −csc²
            denominator = []
        if sum(1 for f in numerator if not isinstance(f, Num)) >= 2:
            coefficient, numerator = _content_out(coefficient, numerator)  # 6(…)(7x + 9)
        top, bottom = abs(coefficient.numerator), coefficient.denominator
        sign = -1 if coefficient < 0 else 1
        if bottom != 1:
            denominator.insert(0, Num(Fraction(bottom)))
        # Constants such as ln(2) go last below the line: 1/(x ln(2)).
        denominator.sort(key=lambda f: not free_symbols(f) and not isinstance(f, Num))
        if top != 1 or not numerator:
            numerator.insert(0, Num(Fraction(sign * top)))
            sign = 1
        shown = numerator[0] if len(numerator) == 1 else Mul(tuple(numerator))
        if denominator:
            below = denominator[0] if len(denominator) == 1 else Mul(tuple(denominator))
            shown = Div(shown, below)
        return Neg(shown) if sign < 0 else shown

    def power(self, base: Expr, exp: Fraction) -> Expr:
        shown = self.show(base)
        if exp == 1:
            return shown
        if exp == HALF:
            return Call("sqrt", (shown,))
        return Pow(shown, Num(exp))


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
# 1/sin(u) is csc(u): a denominator of these alone is written with the reciprocal name.
RECIPROCAL = {row.name: row.reciprocal for row in ROWS if row.reciprocal}


def _called(factor: Expr) -> Call | None:
    base = factor.base if isinstance(factor, Pow) else factor
    return base if isinstance(base, Call) and base.name in RECIPROCAL else None


def _reciprocals(numerator: list[Expr], denominator: list[Expr]) -> bool:
    """Is the denominator only powers of sin, cos, tan (or their hyperbolic kin), none of
    whose arguments the numerator also takes (sin(x)/cos(x)² stays as it is)?"""
    calls = [_called(f) for f in denominator]
    if any(c is None for c in calls):
        return False
    arguments = {c.args for c in calls if c is not None}
    above = {n.args for f in numerator for n in walk(f) if isinstance(n, Call) and n.name in PLAIN}
    return not arguments & above


PLAIN = frozenset(name for name in RECIPROCAL if FUNCTIONS[name].ratio is None)  # not tan


def _reciprocal(factor: Expr) -> Expr:
    call = _called(factor)
    assert call is not None
    flipped = Call(RECIPROCAL[call.name], call.args)
    return Pow(flipped, factor.exp) if isinstance(factor, Pow) else flipped


def _content_out(coefficient: Fraction, factors: list[Expr]) -> tuple[Fraction, list[Expr]]:
    """Whole numbers common to a sum's terms join the coefficient: (42x + 54) -> 6(7x + 9)."""
    shown: list[Expr] = []
    for factor in factors:
        if isinstance(factor, Add):
            coefficients = [_coefficient(t) for t in factor.terms]
            if all(c.denominator == 1 for c in coefficients):
                common = math.gcd(*(int(c) for c in coefficients))
                if common > 1:
                    coefficient *= common
                    factor = Add(tuple(_divided(t, common) for t in factor.terms))
        shown.append(factor)
    return coefficient, shown


def _coefficient(term: Expr) -> Fraction:
    if isinstance(term, Neg):
        return -_coefficient(term.arg)
    return split_coefficient(term)[0]


def _divided(term: Expr, by: int) -> Expr:
    if isinstance(term, Neg):
        return Neg(_divided(term.arg, by))
    value, rest = split_coefficient(term)
    value /= by
    if not rest:
        return Num(value)
    body = rest[0] if len(rest) == 1 else Mul(rest)
    return body if value == 1 else Mul((Num(value), *rest))


def _reads_negative(term: Expr) -> bool:
    """Does the term's written form start with a minus: −x, −2x, −3/x?"""
    match term:
        case Neg():
            return True
        case Num(value):
            return value < 0
        case Mul(factors):
            return _reads_negative(factors[0])
        case Div(num, _):
            return _reads_negative(num)
    return False
