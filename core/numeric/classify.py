"""Is f differentiable at a, and if not, why: decided with mathematics, not thresholds.

Where every node of f is strictly inside its smooth region at a (core.numeric.local's status),
f is differentiable and f'(a) is the derivative's value. Elsewhere each side of a is
looked at on its own: the formula f equals there (its branch), whether f has values
there, whether f is continuous at a from that side (the branch's limit is f(a)), and
the one-sided derivative: by the mean value theorem the one-sided limit of the branch's
derivative where that limit exists, else the limit of the difference quotient itself
(x²·sin(1/x) has no limit of f' at 0 but a derivative). Limits are the engine's own
where it can find the leading term, SymPy's (time-limited) where it cannot; what neither
decides is "undecided", said so, never a guess from difference quotients.
"""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.rules import differentiate
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.numeric.local import (
    SMOOTH,
    UNDECIDED,
    UNDEFINED,
    Limit,
    Local,
    Undecided,
    UndefinedOnSide,
)
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.syntax.tree import Add, Div, Expr, Neg, Sym

KIND_NOTES = {
    "kink": "not differentiable: the one-sided slopes differ (a kink)",
    "cusp": "not differentiable: the slopes run off to opposite infinities (a cusp)",
    "vertical tangent": "not differentiable: a vertical tangent (the slope is infinite)",
    "discontinuous": "not differentiable: f jumps here (not continuous)",
    "endpoint": "only a one-sided derivative: this is an end of f's domain",
    "isolated": "not differentiable: f has a value here but none just beside it",
    "oscillating": "not differentiable: the difference quotients oscillate and never settle",
    "undecided": "could not decide whether f'(a) exists",
}


@dataclass(frozen=True, slots=True)
class Side:
    """What f does on one side of a."""

    exists: bool = True  # f has values just beside a on this side
    continuous: bool = True  # f(x) → f(a) from this side
    slope: Expr | None = None  # the one-sided derivative, exactly, where it is finite
    value: float | None = None  # ... and as a decimal
    infinite: int = 0  # +1 / −1: the difference quotients grow without bound
    settles: bool = True  # False: the quotients oscillate, no one-sided derivative
    decided: bool = True  # False: neither the engine nor SymPy could say
    how: str = "exact"  # "exact" (the engine's own arithmetic) or "SymPy"


@dataclass(frozen=True, slots=True)
class Classification:
    kind: str  # "smooth" or a key of KIND_NOTES
    slope: Expr | None  # f'(a) exactly, where it exists
    left: Side | None = None  # None where f is smooth at a (no side needs looking at)
    right: Side | None = None
    reason: str = ""  # why it is undecided

    @property
    def differentiable(self) -> bool | None:
        return None if self.kind == "undecided" else self.kind == "smooth"


def classify(expr: Expr, derivatives: tuple[Expr, ...], local: Local) -> Classification:
    """f at the point of `local`: raises DomainError where f has no value there. The
    derivatives are f' in the forms to try for f'(a) (tidy first, the rules' own next)."""
    status = local.status(expr)
    where = f"{local.var} = {_text(local.point[local.var])}"
    if status.state == UNDEFINED:
        raise DomainError(f"f is not defined at {where}: {status.reason}")
    if status.state == UNDECIDED:
        raise MathError(f"could not decide whether f is defined at {where}: {status.reason}")
    if status.state == SMOOTH:
        for derivative in derivatives:
            if local.status(derivative).state == SMOOTH:
                return Classification("smooth", local.value(derivative))
    value = local.value(expr)
    left, right = (_side(expr, value, local, s) for s in (-1, 1))
    return _kind(left, right, local)


def _side(expr: Expr, value: Expr, local: Local, side: int) -> Side:
    try:
        branch = local.branch(expr, side)
        if not local.defined_beside(branch, side):
            return Side(exists=False)
        limit = local.side_limit(branch, side)
        if limit.kind == "undecided":
            return Side(decided=False, how=limit.how)
        if limit.kind != "finite":
            return Side(continuous=False, how=limit.how)
        assert limit.value is not None
        gap = local.sign(Add((limit.value, Neg(value))))
        if gap.value is None:
            return Side(decided=False)
        if gap.value != 0:
            return Side(continuous=False, how=limit.how)
        derivative = simplify(differentiate(branch, local.var).result, local.var)
        slope = local.side_limit(derivative, side)
        if slope.kind in ("none", "undecided"):
            slope = local.side_limit(_quotient(branch, value, local), side)
    except UndefinedOnSide:
        return Side(exists=False)
    except Undecided:
        return Side(decided=False)
    return _from_limit(slope)


def _quotient(branch: Expr, value: Expr, local: Local) -> Expr:
    """(f(x) − f(a))/(x − a), the difference quotient itself."""
    step = Add((Sym(local.var), Neg(local.point[local.var])))
    return Div(Add((branch, Neg(value))), step)


def _from_limit(limit: Limit) -> Side:
    match limit.kind:
        case "finite":
            assert limit.value is not None
            return Side(slope=limit.value, value=decimal(limit.value), how=limit.how)
        case "+inf" | "-inf":
            return Side(infinite=1 if limit.kind == "+inf" else -1, how=limit.how)
        case "none":
            return Side(settles=False, how=limit.how)
    return Side(decided=False, how=limit.how)


def _kind(left: Side, right: Side, local: Local) -> Classification:
    def result(kind: str, slope: Expr | None = None, reason: str = "") -> Classification:
        return Classification(kind, slope, left, right, reason)

    sides = [s for s in (left, right) if s.exists]
    if any(not s.decided for s in (left, right)):
        return result("undecided", reason="neither deriv's own limits nor SymPy's decided a side")
    if not sides:
        return result("isolated")
    if any(not s.continuous for s in sides):
        return result("discontinuous")
    if any(not s.settles for s in sides):
        return result("oscillating")
    if len(sides) == 1:
        return result("vertical tangent" if sides[0].infinite else "endpoint")
    if left.infinite and right.infinite:
        return result("vertical tangent" if left.infinite == right.infinite else "cusp")
    if left.slope is None or right.slope is None:
        return result("kink")  # one slope finite, the other infinite
    same = local.sign(Add((left.slope, Neg(right.slope))))
    if same.value is None:
        return result("undecided", reason=f"could not compare the one-sided slopes: {same.how}")
    if same.value == 0:
        return result("smooth", local.value(right.slope))
    return result("kink")


def _text(expr: Expr) -> str:
    from deriv_lecture.core.syntax.printer import to_input

    return to_input(expr)
