"""Where each operation is defined, and where it is smooth, as data.

A node's guards are quantities built from its arguments with a requirement on their
sign at a point: a denominator NONZERO, ln's argument POSITIVE, sqrt's NONNEG (defined
at 0, smooth only above it), abs's argument a SWITCH (defined everywhere, smooth where
it is not 0). core.numeric.local decides the signs exactly; this module only says what to ask.
Piecewise nodes have no guard here: their condition is read by core.numeric.local itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from deriv_lecture.core.syntax.tree import (
    ONE,
    Add,
    Call,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Pow,
    depends_on,
    free_symbols,
)

NONZERO, POSITIVE, NONNEG, SWITCH = "nonzero", "positive", "nonneg", "switch"
_RELATION = {NONZERO: "is not 0", POSITIVE: "is positive", NONNEG: "is not negative",
             SWITCH: "is 0"}  # fmt: skip

Sign = Callable[[Expr], "int | None"]
Value = Callable[[Expr], Expr]


@dataclass(frozen=True, slots=True)
class Guard:
    kind: str  # NONZERO, POSITIVE, NONNEG or SWITCH
    quantity: Expr
    why: str  # what is wrong where the requirement fails
    edge: str = ""  # what is special where the quantity is 0 (NONNEG, SWITCH)

    def describe(self, text: Callable[[Expr], str]) -> str:
        return f"whether {text(self.quantity)} {_RELATION[self.kind]}"


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
            return _call_guards(name, args)
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


def _call_guards(name: str, args: tuple[Expr, ...]) -> list[Guard]:
    u = args[0]
    match name:
        case "ln":
            return [Guard(POSITIVE, u, "ln is defined for positive numbers")]
        case "log":
            base = args[1]
            return [
                Guard(POSITIVE, u, "a logarithm is defined for positive numbers"),
                Guard(POSITIVE, base, "a logarithm needs a positive base"),
                Guard(NONZERO, _minus(base, ONE), "a logarithm's base cannot be 1"),
            ]
        case "sqrt":
            return [Guard(NONNEG, u, "sqrt is defined for numbers >= 0", "sqrt's argument is 0")]
        case "cbrt" | "abs" | "sign" | "relu":
            return [Guard(SWITCH, u, "", f"{name}'s argument is 0")]
        case "max" | "min":
            return [Guard(SWITCH, _minus(u, args[1]), "", f"the two arguments of {name} tie")]
        case "tan" | "sec":
            return [Guard(NONZERO, Call("cos", (u,)), f"{name} has a pole here")]
        case "csc" | "cot":
            return [Guard(NONZERO, Call("sin", (u,)), f"{name} has a pole here")]
        case "csch" | "coth":
            return [Guard(NONZERO, u, f"{name} has a pole here")]
        case "asin" | "acos":
            why = f"{name} is defined on [-1, 1]"
            edge = f"the argument of {name} is ±1"
            return [
                Guard(NONNEG, _minus(ONE, u), why, edge),
                Guard(NONNEG, Add((ONE, u)), why, edge),
            ]
        case "asec" | "acsc":
            square = _minus(Pow(u, Num(Fraction(2))), ONE)
            return [
                Guard(NONNEG, square, f"{name} needs |u| >= 1", f"the argument of {name} is ±1")
            ]
        case "acosh":
            return [
                Guard(
                    NONNEG, _minus(u, ONE), "acosh is defined for u >= 1", "acosh's argument is 1"
                )
            ]
        case "atanh":
            inside = _minus(ONE, Mul((u, u)))
            return [Guard(POSITIVE, inside, "atanh is defined on (-1, 1)")]
    return []
