"""Floating-point value of a tree at a point, with the real-number domain made explicit.

Outside a function's domain (ln of a negative, a pole, a negative base to a non-integer
power) this raises DomainError with a sentence, rather than returning nan or a complex.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.functions import FUNCTIONS
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
    return float(FUNCTIONS[name].value(*args))


def _holds(cond: Compare, env: Mapping[str, float], memo: dict[int, float] | None) -> bool:
    left, right = _value(cond.left, env, memo), _value(cond.right, env, memo)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[cond.op]
