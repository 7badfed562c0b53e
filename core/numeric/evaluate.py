"""Floating-point value of a tree at a point, with the real-number domain made explicit.

Outside a function's domain (ln of a negative, a pole, a negative base to a non-integer
power) this raises DomainError with a sentence, rather than returning nan or a complex.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Compare,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    size,
)

SHARED_WALK_NODES = 2_000  # smaller trees are walked plainly: a memo costs more there


def _sec(u: float) -> float:
    return 1 / _nonzero(math.cos(u), "sec")


def _nonzero(value: float, name: str) -> float:
    if value == 0:
        raise DomainError(f"{name} has a pole here")
    return value


def _sign(u: float) -> float:
    return float((u > 0) - (u < 0))


def _sigmoid(u: float) -> float:
    # Stable on both sides: no overflow of exp for large |u|.
    if u >= 0:
        return 1 / (1 + math.exp(-u))
    z = math.exp(u)
    return z / (1 + z)


def _domain(
    check: Callable[[float], bool], f: Callable[[float], float], why: str
) -> Callable[[float], float]:
    def guarded(u: float) -> float:
        if not check(u):
            raise DomainError(why.format(u=_short(u)))
        return f(u)

    return guarded


FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": lambda u: math.sin(u) / _nonzero(math.cos(u), "tan"),
    "sec": _sec,
    "csc": lambda u: 1 / _nonzero(math.sin(u), "csc"),
    "cot": lambda u: math.cos(u) / _nonzero(math.sin(u), "cot"),
    "asin": _domain(lambda u: -1 <= u <= 1, math.asin, "asin is defined on [-1, 1], not at {u}"),
    "acos": _domain(lambda u: -1 <= u <= 1, math.acos, "acos is defined on [-1, 1], not at {u}"),
    "atan": math.atan,
    "acot": lambda u: math.pi / 2 - math.atan(u),
    "asec": _domain(
        lambda u: abs(u) >= 1, lambda u: math.acos(1 / u), "asec needs |u| >= 1, not {u}"
    ),
    "acsc": _domain(
        lambda u: abs(u) >= 1, lambda u: math.asin(1 / u), "acsc needs |u| >= 1, not {u}"
    ),
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "sech": lambda u: 1 / math.cosh(u),
    "csch": lambda u: 1 / _nonzero(math.sinh(u), "csch"),
    "coth": lambda u: math.cosh(u) / _nonzero(math.sinh(u), "coth"),
    "asinh": math.asinh,
    "acosh": _domain(lambda u: u >= 1, math.acosh, "acosh is defined for u >= 1, not at {u}"),
    "atanh": _domain(lambda u: -1 < u < 1, math.atanh, "atanh is defined on (-1, 1), not at {u}"),
    "exp": math.exp,
    "ln": _domain(lambda u: u > 0, math.log, "ln is defined for positive numbers, not at {u}"),
    "sqrt": _domain(lambda u: u >= 0, math.sqrt, "sqrt is defined for u >= 0, not at {u}"),
    "cbrt": lambda u: math.copysign(abs(u) ** (1 / 3), u) if u else 0.0,
    "abs": abs,
    "sign": _sign,
    "relu": lambda u: max(0.0, u),
    "sigmoid": _sigmoid,
}


def evaluate(expr: Expr, env: Mapping[str, float]) -> float:
    """expr at the values in env; DomainError outside the domain, MathError on overflow."""
    # A derivative shares sub-trees (the chain rule reuses u): a big one is walked once
    # per shared node, not once per appearance (a chain 300 deep: 45,000 -> 1,200 nodes).
    memo: dict[int, float] | None = {} if size(expr) > SHARED_WALK_NODES else None
    try:
        value = _value(expr, env, memo)
    except OverflowError:
        raise MathError("the value is too large to represent as a float") from None
    except ZeroDivisionError:
        raise DomainError("division by zero: the function is not defined there") from None
    except ValueError:  # math's own "math domain error"
        raise DomainError("outside the domain: the function has no real value there") from None
    if math.isnan(value):
        raise DomainError("the function has no real value there")
    if math.isinf(value):
        raise MathError("the value is too large to represent as a float")
    return value


def _value(expr: Expr, env: Mapping[str, float], memo: dict[int, float] | None) -> float:
    if memo is None:
        return _compute(expr, env, None)
    known = memo.get(id(expr))  # the tree stays alive meanwhile, so ids are not reused
    if known is None:
        known = memo[id(expr)] = _compute(expr, env, memo)
    return known


def _compute(expr: Expr, env: Mapping[str, float], memo: dict[int, float] | None) -> float:
    match expr:
        case Num(value):
            return float(value)
        case Const(name):
            return math.e if name == "e" else math.pi
        case Sym(name):
            if name not in env:
                raise MathError(f"'{name}' has no value (give it one with --let {name}=...)")
            return env[name]
        case Add(terms):
            return math.fsum(_value(t, env, memo) for t in terms)
        case Neg(arg):
            return -_value(arg, env, memo)
        case Mul(factors):
            product = 1.0
            for factor in factors:
                product *= _value(factor, env, memo)
            return product
        case Div(num, den):
            denominator = _value(den, env, memo)
            if denominator == 0:
                raise DomainError(f"division by zero: {to_input(den)} is 0 there")
            return _value(num, env, memo) / denominator
        case Pow(base, exp):
            return _power(_value(base, env, memo), _value(exp, env, memo), expr)
        case Call(name, args):
            return _call(name, [_value(a, env, memo) for a in args])
        case Piecewise(cond, then, otherwise):
            branch = then if _holds(cond, env, memo) else otherwise
            return _value(branch, env, memo)
        case Undefined():
            raise DomainError("none of the pieces applies here: no value")


def _power(base: float, exp: float, expr: Pow) -> float:
    if base < 0 and not exp.is_integer():
        raise DomainError(
            f"{to_input(expr)} needs a non-negative base for a non-integer power"
            " (for a real cube root write cbrt(...))"
        )
    if base == 0 and exp < 0:
        raise DomainError(f"division by zero: {to_input(expr)} has 0 to a negative power")
    if base == 0 and exp == 0:
        raise DomainError("0^0 is not defined")
    result = math.pow(base, exp)
    return result


def _call(name: str, args: list[float]) -> float:
    if name == "log":
        u, base = args
        if base <= 0 or base == 1:
            raise DomainError(f"a logarithm needs a positive base other than 1, not {_short(base)}")
        return FUNCTIONS["ln"](u) / math.log(base)
    if name == "max":
        return max(args)
    if name == "min":
        return min(args)
    return FUNCTIONS[name](args[0])


def _holds(cond: Compare, env: Mapping[str, float], memo: dict[int, float] | None) -> bool:
    left, right = _value(cond.left, env, memo), _value(cond.right, env, memo)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[cond.op]


def _short(value: float) -> str:
    return f"{value:.6g}"
