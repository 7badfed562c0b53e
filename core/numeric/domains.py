"""Where each operation is defined, and where it is smooth, as data.

A node's guards are quantities built from its arguments with a requirement on their
sign at a point: a denominator NONZERO, ln's argument POSITIVE, sqrt's NONNEG (defined
at 0, smooth only above it), abs's argument a SWITCH (defined everywhere, smooth where
it is not 0). core.numeric.local decides the signs exactly; this module only says what to ask.
Piecewise nodes have no guard here: their condition is read by core.numeric.local itself.
"""

from __future__ import annotations

from collections.abc import Callable

from deriv_lecture.core.functions import (
    NONNEG,
    NONZERO,
    POSITIVE,
    SWITCH,
    Guard,
    guards_of,
)
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Div,
    Expr,
    Neg,
    Num,
    Pow,
    depends_on,
    free_symbols,
)

_RELATION = {NONZERO: "is not 0", POSITIVE: "is positive", NONNEG: "is not negative",
             SWITCH: "is 0"}  # fmt: skip

Sign = Callable[[Expr], "int | None"]
Value = Callable[[Expr], Expr]


def describe(guard: Guard, text: Callable[[Expr], str]) -> str:
    """The question a guard asks: whether 1 − x is not negative."""
    return f"whether {text(guard.quantity)} {_RELATION[guard.kind]}"


def _minus(a: Expr, b: Expr) -> Expr:
    return Add((a, Neg(b)))


def is_integer_constant(exp: Expr) -> bool:
    return isinstance(exp, Num) and exp.value.denominator == 1


def guards(node: Expr, var: str, sign: Sign, value: Value) -> list[Guard]:
    """The requirements node itself puts on its arguments at a point (not its children's)."""
    match node:
        case Div(_, den):
            return [Guard(NONZERO, den, "division by zero")]
        case Pow(base, exp):
            return _power_guards(base, exp, var, sign, value)
        case Call(name, args):
            return guards_of(name, args)  # each function's own, from the function table
    return []


def _power_guards(base: Expr, exp: Expr, var: str, sign: Sign, value: Value) -> list[Guard]:
    fixed = None if depends_on(exp, var) else value(exp)
    if fixed is None or free_symbols(fixed):  # an exponent that varies, or has no value yet
        base_sign = sign(base) if not free_symbols(base) else None
        if base_sign == 0:
            return [Guard(POSITIVE, exp, "0 to a power that is not positive")]
        if base_sign is not None and base_sign < 0:
            why = "a negative base to a varying power is real only at whole-number exponents"
            return [Guard(POSITIVE, base, why)]
        return [Guard(POSITIVE, base, "a power with a varying exponent needs a positive base")]
    exp_sign = sign(fixed)
    if is_integer_constant(fixed):
        if exp_sign is not None and exp_sign >= 0:
            return []
        return [Guard(NONZERO, base, "0 to a negative power (division by zero)")]
    if exp_sign is not None and exp_sign > 0:
        return [
            Guard(NONNEG, base, "a negative base to a non-integer power (for a real cube root"
                  " write cbrt(...))", "the base of a fractional power is 0")
        ]  # fmt: skip
    return [Guard(POSITIVE, base, "a base that is not positive to a non-integer power")]
