"""From the normal form back to what people write: x⁻² becomes 1/x², x^(1/2) becomes √x,
a negative coefficient becomes a minus sign, (2x − x²)e⁻ˣ becomes (2x − x²)/eˣ.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from deriv_lecture.core.normal import HALF, Normalizer, exponent_sign, split_coefficient
from deriv_lecture.core.printer import to_input
from deriv_lecture.core.tree import (
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


def _reads_negative(term: Expr) -> bool:
    return isinstance(term, Neg) or (
        isinstance(term, Mul | Div | Num) and to_input(term).startswith("-")
    )
