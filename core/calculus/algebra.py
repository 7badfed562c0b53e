"""Smart constructors: build nodes while folding the trivial (0 + a, 1·a, a^1, 2·3).

Rules use these so a step reads `3x²·cos(x³)` rather than `3·x^(3−1)·1·cos(x³)`; the real
clean-up is core.calculus.simplify, a separate pass. Number folding is bounded: a huge power is
left unevaluated rather than computed.
"""

from __future__ import annotations

from fractions import Fraction

from deriv_lecture.core.syntax.tree import ONE, ZERO, Add, Div, Expr, Mul, Neg, Num, Pow

MAX_FOLDED_BITS = 4_096  # numbers bigger than this stay as powers
ONE_FRACTION = Fraction(1)
MINUS_ONE_FRACTION = Fraction(-1)


def add(*terms: Expr) -> Expr:
    flat: list[Expr] = []
    constant: Fraction | None = None  # None until a number turns up: Fraction sums are slow
    constant_first = False
    for term in terms:
        for part in term.terms if isinstance(term, Add) else (term,):
            if isinstance(part, Num):
                constant = part.value if constant is None else constant + part.value
                constant_first = constant_first or not flat
            else:
                flat.append(part)
    if constant:
        # Keep a leading constant where it was written: 1 − x², not −x² + 1.
        flat.insert(0 if constant_first else len(flat), Num(constant))
    if not flat:
        return ZERO
    return flat[0] if len(flat) == 1 else Add(tuple(flat))


def neg(expr: Expr) -> Expr:
    match expr:
        case Num(value):
            return Num(-value)
        case Neg(arg):
            return arg
        case Mul(factors) if isinstance(factors[0], Num):
            return mul(Num(-factors[0].value), *factors[1:])
    return Neg(expr)


def sub(left: Expr, right: Expr) -> Expr:
    return add(left, neg(right))


def mul(*factors: Expr) -> Expr:
    coefficient: Fraction | None = None  # None until a number turns up: products are slow
    negative = False
    rest: list[Expr] = []
    for factor in factors:
        for part in factor.factors if isinstance(factor, Mul) else (factor,):
            while isinstance(part, Neg):
                negative, part = not negative, part.arg
            if isinstance(part, Num):
                coefficient = part.value if coefficient is None else coefficient * part.value
            else:
                rest.append(part)
    if coefficient is None:
        coefficient = MINUS_ONE_FRACTION if negative else ONE_FRACTION
    elif negative:
        coefficient = -coefficient
    if coefficient == 0:
        return ZERO
    if not rest:
        return Num(coefficient)
    body = rest[0] if len(rest) == 1 else Mul(tuple(rest))
    if coefficient == 1:
        return body
    if coefficient == -1:
        return Neg(body)
    return Mul((Num(coefficient), *rest))


def div(num: Expr, den: Expr) -> Expr:
    if den == ONE:
        return num
    if num == ZERO:
        return ZERO
    if isinstance(num, Num) and isinstance(den, Num) and den.value != 0:
        return Num(num.value / den.value)
    if isinstance(num, Neg):
        return neg(div(num.arg, den))
    return Div(num, den)


def power(base: Expr, exp: Expr) -> Expr:
    if exp == ONE:
        return base
    if exp == ZERO:
        return ONE
    if isinstance(base, Num) and isinstance(exp, Num):
        folded = fold_power(base.value, exp.value)
        if folded is not None:
            return Num(folded)
    return Pow(base, exp)


def fold_power(base: Fraction, exp: Fraction) -> Fraction | None:
    """base^exp as an exact rational when it is one and is not huge; else None."""
    if exp.denominator != 1 or (base == 0 and exp < 0):
        return None
    bits = max(base.numerator.bit_length(), base.denominator.bit_length()) * abs(exp.numerator)
    if bits > MAX_FOLDED_BITS:
        return None
    return base**exp.numerator
