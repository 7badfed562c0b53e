"""One small function per derivative rule, named as the lecture names it, and one dispatch.

Each rule returns a Step whose result is the derivative as that rule produces it. The
engine applies its own rules; SymPy only referees (core.referee.crosscheck).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from deriv_lecture.core.calculus.algebra import add, div, mul, neg, power, sub
from deriv_lecture.core.calculus.steps import PART_NAMES, Step, fresh_letter
from deriv_lecture.core.errors import DomainError, UnsupportedError
from deriv_lecture.core.functions import FUNCTIONS, POWER, apart
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import (
    ONE,
    TWO,
    ZERO,
    Add,
    Call,
    Div,
    Expr,
    Mul,
    Neg,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    depends_on,
    free_symbols,
    rebuild,
)


def _ln(u: Expr) -> Expr:
    return Call("ln", (u,))


def _square(u: Expr) -> Expr:
    return power(u, TWO)


def differentiate(expr: Expr, var: str) -> Step:
    """The one dispatch point: the derivative of expr by var, as a tree of steps, each
    recording the variable it differentiates by (a partial derivative's steps say so)."""
    step = _by_rule(expr, var)
    return step if step.wrt is not None else replace(step, wrt=var)


def _by_rule(expr: Expr, var: str) -> Step:
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
    """u^v by the power row's two derivatives (core.functions.POWER): the power rule where
    the base varies, the exponential rule where the exponent does, logarithmic
    differentiation where both do."""
    by_base, by_exponent = POWER.partials
    base_varies, exp_varies = depends_on(expr.base, var), depends_on(expr.exp, var)
    if base_varies and exp_varies:
        return logarithmic_differentiation(expr, var)
    if base_varies:
        return chain_rule(expr, expr.base, var, "power rule", lambda u: by_base((u, expr.exp)))
    base = constant_sign(expr.base)
    if base == 0:  # 0^u is 0 wherever it is defined (u > 0): a constant there
        return Step("constant rule", expr, ZERO)
    if base is not None and base < 0:
        raise DomainError(
            f"{to_input(expr)}: a negative base to a varying power is real only where the"
            " exponent is a whole number, so it has no derivative anywhere"
        )
    return chain_rule(
        expr, expr.exp, var, "exponential rule", lambda u: by_exponent((expr.base, u))
    )


def constant_sign(expr: Expr) -> int | None:
    """The sign of a constant (or None where it has parameters or cannot be told)."""
    from deriv_lecture.core.numeric.signs import sign_of

    return sign_of(expr).value if not free_symbols(expr) else None


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
    """d/dx F(u1, …, uk) = Σ ∂F/∂ui · dui/dx, from F's row of the function table. With one
    argument varying it is the chain rule as the lecture writes it (u named, d/du F(u),
    du/dx); max and min write the sum as one piecewise (f' where f > g, g' where g > f)."""
    row = FUNCTIONS[expr.name]
    args = expr.args
    varying = [i for i, a in enumerate(args) if depends_on(a, var)]
    if row.combine is not None:
        parts = tuple(differentiate(a, var) for a in args)
        result = row.combine(args, tuple(p.result for p in parts))
        return Step(row.rule, expr, result, parts)
    if len(varying) == 1:
        (i,) = varying

        def outer(u: Expr) -> Expr:
            return row.partials[i]((*args[:i], u, *args[i + 1 :]))

        return chain_rule(expr, args[i], var, row.rule, outer)
    # Several arguments vary (a logarithm whose base varies): one term per argument.
    parts = tuple(differentiate(args[i], var) for i in varying)
    terms = [mul(p.result, row.partials[i](args)) for i, p in zip(varying, parts, strict=True)]
    named = tuple(zip(PART_NAMES, (args[i] for i in varying), strict=False))
    return Step("chain rule", expr, add(*terms), parts, parts=named)


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


def piecewise_rule(expr: Piecewise, var: str) -> Step:
    """(f if c else g)' = f' where c holds strictly, g' where it fails strictly: on the
    boundary itself the rule says nothing (x² if x ≥ 0 else x has no f'(0); where the
    pieces do meet smoothly, core.calculus.derive says so in a note)."""
    then, otherwise = differentiate(expr.then, var), differentiate(expr.otherwise, var)
    result = apart(expr.cond, then.result, otherwise.result)
    return Step("piecewise rule", expr, result, (then, otherwise))
