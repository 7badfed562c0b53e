"""Floating-point value of a tree at a point, with the real-number domain made explicit.

Outside a function's domain (ln of a negative, a pole, a negative base to a non-integer
power) this raises DomainError with a sentence, rather than returning nan or a complex.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from fractions import Fraction

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
    try:
        if size(expr) > SHARED_WALK_NODES:
            value = _value(expr, env, {})
        else:
            value = compiled(expr)(env)
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


Compiled = Callable[[Mapping[str, float]], float]


@functools.lru_cache(maxsize=4096)
def compiled(expr: Expr) -> Compiled:
    """expr as a Python function of the values, built once per tree and remembered: the
    point analysis evaluates f and f' at dozens of points, and walking the tree (a match
    on each node's type) for each of them cost more than the arithmetic. Same values and
    same errors as the walk."""
    match expr:
        case Num(value) | Const(value):
            number = float(value) if isinstance(value, Fraction) else _CONSTANTS[value]
            return lambda env: number
        case Sym(name):

            def symbol(env: Mapping[str, float]) -> float:
                if name not in env:
                    raise MathError(f"'{name}' has no value (give it one with --let {name}=...)")
                return env[name]

            return symbol
        case Add(terms):
            parts = tuple(compiled(t) for t in terms)
            return lambda env: math.fsum(p(env) for p in parts)
        case Neg(arg):
            inner = compiled(arg)
            return lambda env: -inner(env)
        case Mul(factors):
            parts = tuple(compiled(f) for f in factors)

            def product(env: Mapping[str, float]) -> float:
                total = 1.0
                for part in parts:
                    total *= part(env)
                return total

            return product
        case Div(num, den):
            top, bottom = compiled(num), compiled(den)

            def quotient(env: Mapping[str, float]) -> float:
                denominator = bottom(env)
                if denominator == 0:
                    raise DomainError(f"division by zero: {to_input(den)} is 0 there")
                return top(env) / denominator

            return quotient
        case Pow(base, exp):
            below, above = compiled(base), compiled(exp)
            return lambda env: _power(below(env), above(env), expr)
        case Call(name, args):
            function = FUNCTIONS[name].value
            parts = tuple(compiled(a) for a in args)
            return lambda env: float(function(*(p(env) for p in parts)))
        case Piecewise(cond, then, otherwise):
            left, right = compiled(cond.left), compiled(cond.right)
            test, yes, no = _TESTS[cond.op], compiled(then), compiled(otherwise)
            return lambda env: yes(env) if test(left(env), right(env)) else no(env)
        case Undefined():

            def nowhere(env: Mapping[str, float]) -> float:
                raise DomainError("none of the pieces applies here: no value")

            return nowhere
    raise TypeError(f"not an expression node: {expr!r}")


_CONSTANTS = {"e": math.e, "pi": math.pi}
_TESTS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}  # fmt: skip


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
