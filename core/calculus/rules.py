"""One small function per derivative rule, named as the lecture names it, and one dispatch.

Each rule returns a Step whose result is the derivative as that rule produces it. The
engine applies its own rules; SymPy only referees (core.referee.crosscheck).
"""

from __future__ import annotations

from collections.abc import Callable

from deriv_lecture.core.calculus.algebra import add, div, mul, neg, power, sub
from deriv_lecture.core.calculus.steps import PART_NAMES, Step, fresh_letter
from deriv_lecture.core.errors import DomainError, UnsupportedError
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import (
    NO_VALUE,
    ONE,
    TWO,
    ZERO,
    Add,
    Call,
    Compare,
    Div,
    E,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    depends_on,
    free_symbols,
    num,
    rebuild,
)


def _ln(u: Expr) -> Expr:
    return Call("ln", (u,))


def _call(name: str) -> Callable[[Expr], Expr]:
    return lambda u: Call(name, (u,))


def _sqrt(u: Expr) -> Expr:
    return Call("sqrt", (u,))


def _square(u: Expr) -> Expr:
    return power(u, TWO)


# Elementary functions as data: name -> (rule label, d/du f(u)). The chain rule does the rest.
OUTER: dict[str, tuple[str, Callable[[Expr], Expr]]] = {
    "sin": ("trigonometric rule", _call("cos")),
    "cos": ("trigonometric rule", lambda u: neg(Call("sin", (u,)))),
    "tan": ("trigonometric rule", lambda u: _square(Call("sec", (u,)))),
    "sec": ("trigonometric rule", lambda u: mul(Call("sec", (u,)), Call("tan", (u,)))),
    "csc": ("trigonometric rule", lambda u: neg(mul(Call("csc", (u,)), Call("cot", (u,))))),
    "cot": ("trigonometric rule", lambda u: neg(_square(Call("csc", (u,))))),
    "asin": ("inverse trigonometric rule", lambda u: div(ONE, _sqrt(sub(ONE, _square(u))))),
    "acos": ("inverse trigonometric rule", lambda u: neg(div(ONE, _sqrt(sub(ONE, _square(u)))))),
    "atan": ("inverse trigonometric rule", lambda u: div(ONE, add(ONE, _square(u)))),
    "acot": ("inverse trigonometric rule", lambda u: neg(div(ONE, add(ONE, _square(u))))),
    "asec": (
        "inverse trigonometric rule",
        lambda u: div(ONE, mul(Call("abs", (u,)), _sqrt(sub(_square(u), ONE)))),
    ),
    "acsc": (
        "inverse trigonometric rule",
        lambda u: neg(div(ONE, mul(Call("abs", (u,)), _sqrt(sub(_square(u), ONE))))),
    ),
    "sinh": ("hyperbolic rule", _call("cosh")),
    "cosh": ("hyperbolic rule", _call("sinh")),
    "tanh": ("hyperbolic rule", lambda u: _square(Call("sech", (u,)))),
    "sech": ("hyperbolic rule", lambda u: neg(mul(Call("sech", (u,)), Call("tanh", (u,))))),
    "csch": ("hyperbolic rule", lambda u: neg(mul(Call("csch", (u,)), Call("coth", (u,))))),
    "coth": ("hyperbolic rule", lambda u: neg(_square(Call("csch", (u,))))),
    "asinh": ("inverse hyperbolic rule", lambda u: div(ONE, _sqrt(add(_square(u), ONE)))),
    "acosh": ("inverse hyperbolic rule", lambda u: div(ONE, _sqrt(sub(_square(u), ONE)))),
    "atanh": ("inverse hyperbolic rule", lambda u: div(ONE, sub(ONE, _square(u)))),
    "exp": ("exponential rule", _call("exp")),
    "ln": ("logarithm rule", lambda u: div(ONE, u)),
    "sqrt": ("power rule", lambda u: div(ONE, mul(TWO, _sqrt(u)))),
    "cbrt": ("power rule", lambda u: div(ONE, mul(num(3), _square(Call("cbrt", (u,)))))),
    "abs": ("absolute value rule", _call("sign")),
    "sign": ("piecewise rule", lambda u: ZERO),
    "relu": ("piecewise rule", lambda u: apart(Compare(">", u, ZERO), ONE, ZERO)),
    "sigmoid": (
        "sigmoid rule",
        lambda u: mul(Call("sigmoid", (u,)), sub(ONE, Call("sigmoid", (u,)))),
    ),
}


def differentiate(expr: Expr, var: str) -> Step:
    """The one dispatch point: the derivative of expr by var, as a tree of steps."""
    if isinstance(expr, Undefined):
        return Step("piecewise rule", expr, expr)  # no value, so no derivative either
    if not depends_on(expr, var):
        return constant_rule(expr)
    match expr:
        case Sym():
            return Step("power rule", expr, ONE)
        case Add():
            return sum_rule(expr, var)
        case Neg():
            return constant_multiple_rule(expr, var)
        case Mul():
            return product_rule(expr, var)
        case Div():
            return quotient_rule(expr, var)
        case Pow():
            return power_or_exponential(expr, var)
        case Call():
            return function_rule(expr, var)
        case Piecewise():
            return piecewise_rule(expr, var)
    raise UnsupportedError(f"no rule for {type(expr).__name__}")


def constant_rule(expr: Expr) -> Step:
    """d/dx c = 0."""
    return Step("constant rule", expr, ZERO)


def sum_rule(expr: Add, var: str) -> Step:
    """d/dx [f + g] = f' + g'."""
    parts = tuple(differentiate(term, var) for term in expr.terms)
    return Step("sum rule", expr, add(*(p.result for p in parts)), parts)


def constant_multiple_rule(expr: Neg | Mul | Div, var: str) -> Step:
    """d/dx [c·f] = c·f' (also −f and f/c)."""
    match expr:
        case Neg(arg):
            inner = differentiate(arg, var)
            return Step("constant multiple rule", expr, neg(inner.result), (inner,))
        case Div(num_, den):
            inner = differentiate(num_, var)
            return Step("constant multiple rule", expr, div(inner.result, den), (inner,))
        case Mul(factors):
            constants = [f for f in factors if not depends_on(f, var)]
            (varying,) = [f for f in factors if depends_on(f, var)]
            inner = differentiate(varying, var)
            return Step("constant multiple rule", expr, mul(*constants, inner.result), (inner,))


def product_rule(expr: Mul, var: str) -> Step:
    """(fg)' = f'g + fg', and for more factors one term per factor differentiated."""
    varying = [i for i, f in enumerate(expr.factors) if depends_on(f, var)]
    if len(varying) == 1:
        return constant_multiple_rule(expr, var)
    parts = {i: differentiate(expr.factors[i], var) for i in varying}
    terms = []
    for i in varying:
        others = [f for j, f in enumerate(expr.factors) if j != i]
        terms.append(mul(*others[:i], parts[i].result, *others[i:]))
    named = tuple(zip(PART_NAMES, (expr.factors[i] for i in varying), strict=False))
    return Step("product rule", expr, add(*terms), tuple(parts.values()), parts=named)


def quotient_rule(expr: Div, var: str) -> Step:
    """(f/g)' = (f'g − fg')/g²."""
    f, g = expr.num, expr.den
    if not depends_on(g, var):
        return constant_multiple_rule(expr, var)
    df, dg = differentiate(f, var), differentiate(g, var)
    result = div(sub(mul(df.result, g), mul(f, dg.result)), _square(g))
    return Step("quotient rule", expr, result, (df, dg), parts=(("f", f), ("g", g)))


def power_or_exponential(expr: Pow, var: str) -> Step:
    base_varies, exp_varies = depends_on(expr.base, var), depends_on(expr.exp, var)
    if base_varies and exp_varies:
        return logarithmic_differentiation(expr, var)
    if base_varies:
        return chain_rule(expr, expr.base, var, "power rule", power_rule_outer(expr.exp))
    base = constant_sign(expr.base)
    if base == 0:  # 0^u is 0 wherever it is defined (u > 0): a constant there
        return Step("constant rule", expr, ZERO)
    if base is not None and base < 0:
        raise DomainError(
            f"{to_input(expr)}: a negative base to a varying power is real only where the"
            " exponent is a whole number, so it has no derivative anywhere"
        )
    return chain_rule(expr, expr.exp, var, "exponential rule", exponential_outer(expr.base))


def constant_sign(expr: Expr) -> int | None:
    """The sign of a constant (or None where it has parameters or cannot be told)."""
    from deriv_lecture.core.numeric.signs import sign_of

    return sign_of(expr).value if not free_symbols(expr) else None


def power_rule_outer(n: Expr) -> Callable[[Expr], Expr]:
    """d/du u^n = n·u^(n−1)."""

    def outer(u: Expr) -> Expr:
        lowered = Num(n.value - 1) if isinstance(n, Num) else sub(n, ONE)
        return mul(n, power(u, lowered))

    return outer


def exponential_outer(a: Expr) -> Callable[[Expr], Expr]:
    """d/du a^u = ln(a)·a^u, and e^u for a = e."""
    if a == E:
        return lambda u: power(E, u)
    return lambda u: mul(_ln(a), power(a, u))


def logarithmic_differentiation(expr: Pow, var: str) -> Step:
    """d/dx f^g = f^g·(g'·ln f + g·f'/f), from ln y = g·ln f."""
    f, g = expr.base, expr.exp
    df, dg = differentiate(f, var), differentiate(g, var)
    inner = add(mul(dg.result, _ln(f)), div(mul(g, df.result), f))
    working = (("ln y", "g ln f", mul(g, _ln(f))), ("y'/y", "g' ln f + g f'/f", inner))
    return Step(
        "logarithmic differentiation", expr, mul(expr, inner), (df, dg),
        parts=(("f", f), ("g", g)), working=working,
    )  # fmt: skip


def function_rule(expr: Call, var: str) -> Step:
    name, args = expr.name, expr.args
    if name == "log":
        return logarithm_rule(expr, var)
    if name in ("max", "min"):
        return max_min_rule(expr, var)
    label, derivative = OUTER[name]
    return chain_rule(expr, args[0], var, label, derivative)


def chain_rule(expr: Expr, u: Expr, var: str, label: str, outer: Callable[[Expr], Expr]) -> Step:
    """d/dx f(u) = f'(u)·du/dx; with u = x it is just the outer rule."""
    outer_result = outer(u)
    if u == Sym(var):
        return Step(label, expr, outer_result)
    inner = differentiate(u, var)
    # The outer step is d/du f(u), written in u: "d/dx sin(x²) = cos(x²)" is the classic
    # mistake the chain rule exists to prevent.
    name = fresh_letter(free_symbols(expr) | {var})
    letter = Sym(name)
    outer_step = Step(
        label, rebuild(expr, lambda c: letter if c == u else c), outer(letter), wrt=name
    )
    # du/dx first: 3x²·(−sin(x³)) reads as −3x² sin(x³).
    if isinstance(outer_result, Div) and outer_result.num == ONE:
        result = div(inner.result, outer_result.den)  # 2x/(2√u), not 2x·(1/(2√u))
    else:
        result = mul(inner.result, outer_result)
    return Step("chain rule", expr, result, (outer_step, inner), inner=u, parts=((name, u),))


def logarithm_rule(expr: Call, var: str) -> Step:
    """d/dx log_b(u) = u'/(u·ln b); a varying base goes through ln(u)/ln(b)."""
    u, base = expr.args
    if depends_on(base, var):
        rewritten = Div(_ln(u), _ln(base))
        inner = differentiate(rewritten, var)
        return Step("change of base", expr, inner.result, (inner,))
    return chain_rule(expr, u, var, "logarithm rule", lambda v: div(ONE, mul(v, _ln(base))))


def max_min_rule(expr: Call, var: str) -> Step:
    """max(f, g)' = f' where f > g, g' where g > f (min: the other way round); where they
    tie, nothing is claimed (max(x, 0) has no derivative at 0)."""
    f, g = expr.args
    df, dg = differentiate(f, var), differentiate(g, var)
    op = ">" if expr.name == "max" else "<"
    result = apart(Compare(op, f, g), df.result, dg.result)
    return Step("piecewise rule", expr, result, (df, dg))


def piecewise_rule(expr: Piecewise, var: str) -> Step:
    """(f if c else g)' = f' where c holds strictly, g' where it fails strictly: on the
    boundary itself the rule says nothing (x² if x ≥ 0 else x has no f'(0); where the
    pieces do meet smoothly, core.calculus.derive says so in a note)."""
    then, otherwise = differentiate(expr.then, var), differentiate(expr.otherwise, var)
    result = apart(expr.cond, then.result, otherwise.result)
    return Step("piecewise rule", expr, result, (then, otherwise))


STRICT = {"<": "<", "<=": "<", ">": ">", ">=": ">"}
OPPOSITE = {"<": ">", "<=": ">", ">": "<", ">=": "<"}


def apart(cond: Compare, inside: Expr, outside: Expr) -> Expr:
    """inside where cond holds strictly, outside where it strictly fails, no value on the
    boundary: `a if l > r else b if l < r`."""
    strict = Compare(STRICT[cond.op], cond.left, cond.right)
    if isinstance(outside, Undefined):
        return Piecewise(strict, inside, outside)
    opposite = Compare(OPPOSITE[cond.op], cond.left, cond.right)
    return Piecewise(strict, inside, Piecewise(opposite, outside, NO_VALUE))
