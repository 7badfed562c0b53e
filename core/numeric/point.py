"""Everything about f at one point a: exact and decimal values, whether f'(a) exists
(decided by core.numeric.classify with exact arithmetic and limits, never by difference quotients
or by SymPy's sign(0) and Heaviside(0)), the limit table, the best estimate, average
versus instantaneous rate, the tangent and normal lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from deriv_lecture.core.calculus.derive import check_lets
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import DomainError, MathError, UsageError
from deriv_lecture.core.numeric.classify import KIND_NOTES, Classification, Side, classify
from deriv_lecture.core.numeric.estimates import (
    QUOTIENT_STEPS,
    SECANT_STEPS,
    Estimate,
    RateRow,
    average_rate,
    best_estimate,
    rate_table,
    slow_estimate,
)
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.local import SMOOTH, UNDEFINED, Local, reach
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Problem
from deriv_lecture.core.referee.exact import exact_value, first_principles, modest
from deriv_lecture.core.syntax.tree import (
    ONE,
    ZERO,
    Add,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Sym,
    free_symbols,
    substitute,
)

__all__ = ["KIND_NOTES", "Line", "Average", "PointAnalysis", "Side", "analyze", "constant_value"]


@dataclass(frozen=True, slots=True)
class Line:
    """y = slope·x + intercept, or the vertical line x = at (slope None)."""

    slope: Expr | None
    intercept: Expr | None
    slope_value: float | None
    intercept_value: float | None
    equation: Expr | None  # the right-hand side of y = ...; None for a vertical line
    vertical_at: Expr | None = None


@dataclass(frozen=True, slots=True)
class Average:
    start: Expr
    end: Expr
    rate: Expr | None
    rate_value: float | None


@dataclass(frozen=True, slots=True)
class PointAnalysis:
    var: str
    at: Expr
    at_value: float | None
    f_exact: Expr | None
    f_value: float | None
    slope_exact: Expr | None
    slope_value: float | None
    differentiable: bool | None  # None: could not decide
    kind: str  # "smooth" or one of KIND_NOTES
    left: Side | None  # None where f is smooth at a: no side needed looking at
    right: Side | None
    estimate: Estimate | None
    table: tuple[RateRow, ...]  # the limit: h = 1e-1 ... 1e-16 (and −h at a non-smooth point)
    secants: tuple[RateRow, ...]  # average over [a, a+Δx] (and [a−Δx, a])
    tangent: Line | None
    normal: Line | None
    average: Average | None
    first_principles: tuple[Expr, ...]
    general_first_principles: tuple[Expr, ...]
    notes: tuple[str, ...] = field(default=())
    reason: str = ""  # why "undecided"
    numeric: bool = True  # False: a parameter has no value, so decimals are null


def constant_value(expr: Expr, what: str, lets: dict[str, Expr]) -> Expr:
    """A point or parameter value: an expression with no free symbols (after --let)."""
    for name, value in lets.items():
        expr = substitute(expr, name, value)
    loose = free_symbols(expr)
    if loose:
        raise UsageError(
            f"{what} must be a number or a constant expression; it uses {', '.join(sorted(loose))}"
        )
    status = Local("", {}).status(expr)
    if status.state == UNDEFINED:
        raise UsageError(f"{what} has no value: {status.reason}")
    return expr


def analyze(
    problem: Problem,
    derivative: Expr,
    to: Expr | None = None,
    with_limits: bool = True,
    with_lines: bool = True,
    tidy: bool = True,  # False: the engine's own exact forms only, no SymPy (check-all)
    rules_derivative: Expr | None = None,  # f' as the rules gave it, before tidying
) -> PointAnalysis:
    """Everything about f at the problem's point: f(a) and f'(a) exactly, whether f'(a)
    exists, the limit table, the best estimate, secants and the tangent and normal."""
    expr, var, lets = problem.expr, problem.var, dict(problem.lets)
    assert problem.at is not None, "a point analysis needs a point"
    check_lets(var, lets)
    at = constant_value(problem.at, "--at", lets)
    local = Local(var, {**lets, var: at})
    forms = (derivative,) if rules_derivative is None else (derivative, rules_derivative)
    verdict = classify(expr, forms, local)
    numeric = not (free_symbols(expr) - {var} - set(lets))
    notes: list[str] = []
    if not numeric:
        unknown = ", ".join(sorted(free_symbols(expr) - {var} - set(lets)))
        notes.append(f"{unknown} has no value: results are exact expressions and decimals are null")
    notes.extend(f"assuming {assumed}" for assumed in local.assumptions)
    f_exact = _tidy(local.value(expr), tidy)
    slope_exact = _tidy(verdict.slope, tidy) if verdict.slope is not None else None
    f_value = decimal(f_exact) if numeric else None
    slope_value = decimal(slope_exact) if slope_exact is not None and numeric else None
    if not (modest(f_exact) and (slope_exact is None or modest(slope_exact))):
        # Rationals of thousands of digits (x⁸ at 1e-300 with a 1/3 in it): decimals only.
        f_exact = _as_number(f_exact, f_value)
        slope_exact = _as_number(slope_exact, slope_value) if slope_exact is not None else None
    a = decimal(at)
    if numeric and (f_value is None or (slope_exact is not None and slope_value is None)):
        notes.append(
            "a value too large or too small for a float has no decimal; its exact form is given"
        )
    values = {name: evaluate(value, {}) for name, value in lets.items()} if numeric else {}

    def f(t: float) -> float:
        return evaluate(expr, {**values, var: t})

    probe = a  # where difference quotients are taken: the float nearest the point
    if probe is not None and f_value is not None and not _floats_see(f, probe, f_value):
        notes.append(
            f"in double precision {var} = {_plain(at)} cannot be told apart from its"
            " neighbours (f changes too fast there): no limit table or numeric estimate"
        )
        probe = None
    smooth = verdict.kind == "smooth"
    estimate = None
    if smooth and probe is not None and f_value is not None:
        radius = reach((expr, derivative), var, {**values, var: probe})
        if local.status(expr).state == SMOOTH:
            estimate = best_estimate(f, probe, radius)
        else:  # differentiable, but f is not smooth here (x·∛x at 0)
            estimate = slow_estimate(f, probe, radius)
        if estimate is not None and slope_value is not None:
            if abs(estimate.value - slope_value) > estimate.error:
                notes.append(
                    "the numeric estimate misses the exact value by more than its error bar"
                    " (round-off near this point is larger than it can see)"
                )
    table, secants = _tables(f, probe, f_value, verdict, slope_value)
    tangent, normal = (
        _lines(verdict, at, f_exact, f_value, slope_exact, slope_value, var, tidy)
        if with_lines
        else (None, None)
    )
    average = _average(expr, var, at, to, lets, f, a, f_exact) if to is not None else None
    limits = first_principles(expr, var, at, lets) if with_limits and smooth else []
    general = first_principles(expr, var, None, lets) if with_limits else []
    return PointAnalysis(
        var, at, a, f_exact, f_value, slope_exact, slope_value, verdict.differentiable,
        verdict.kind, verdict.left, verdict.right, estimate, table, secants, tangent, normal,
        average, tuple(limits), tuple(general), tuple(notes), verdict.reason, numeric,
    )  # fmt: skip


def _tidy(own: Expr, tidy: bool) -> Expr:
    """The engine's exact value, or SymPy's tidier form of it where SymPy finds one in time
    (an exact value is never lost to a time limit: the engine's own is always there)."""
    if not tidy or isinstance(own, Num):
        return own
    try:
        tidier = exact_value(own, {})
    except DomainError:
        return own  # the engine decided that the value exists; SymPy's doubt is no verdict
    return tidier if tidier is not None else own


def _floats_see(f: object, a: float, f_value: float) -> bool:
    """Does f at the float nearest the point give f(a) (to 6 digits)? Not next to a pole
    closer than the float spacing (tan at π/2 + 1e-300: the float is just below π/2)."""
    try:
        near = f(a)  # type: ignore[operator]
    except MathError:
        return False
    return bool(abs(near - f_value) <= 1e-6 * max(abs(f_value), 1e-300))


def _as_number(exact: Expr, value: float | None) -> Expr:
    """A huge exact value replaced by its decimal, written exactly as that float."""
    return exact if value is None else Num(Fraction(value))


def _tables(
    f: object, a: float | None, fa: float | None, verdict: Classification, slope: float | None
) -> tuple[tuple[RateRow, ...], tuple[RateRow, ...]]:
    """The limit table and the secants: h > 0 only where f is smooth; both sides of a
    elsewhere, each row against the one-sided slope of its side."""
    if a is None or fa is None:
        return (), ()
    if verdict.kind == "smooth":
        return (
            tuple(rate_table(f, a, fa, slope, QUOTIENT_STEPS)),  # type: ignore[arg-type]
            tuple(rate_table(f, a, fa, slope, SECANT_STEPS)),  # type: ignore[arg-type]
        )
    rows: list[tuple[RateRow, ...]] = []
    for steps in (QUOTIENT_STEPS, SECANT_STEPS):
        both: list[RateRow] = []
        for side, sign in ((verdict.left, -1), (verdict.right, 1)):
            reference = side.value if side is not None else None
            signed = tuple(sign * step for step in steps)
            both.extend(rate_table(f, a, fa, reference, signed))  # type: ignore[arg-type]
        rows.append(tuple(both))
    return rows[0], rows[1]


def _lines(
    verdict: Classification, at: Expr, f_exact: Expr, f_value: float | None,
    slope: Expr | None, slope_value: float | None, var: str, tidy: bool,
) -> tuple[Line | None, Line | None]:  # fmt: skip
    """Tangent y = m(x − a) + f(a) as y = mx + b, and the normal through the same point."""
    if verdict.kind == "vertical tangent":
        horizontal = Line(ZERO, f_exact, 0.0, f_value, f_exact)
        return Line(None, None, None, None, None, vertical_at=at), horizontal
    if slope is None:
        return None, None
    x = Sym(var)
    b = _tidy(simplify(Add((f_exact, Neg(Mul((slope, at)))))), tidy)
    tangent = Line(slope, b, slope_value, decimal(b), _equation(slope, x, b, var))
    if isinstance(slope, Num) and slope.value == 0:
        return tangent, Line(None, None, None, None, None, vertical_at=at)
    n = _tidy(simplify(Neg(Div(ONE, slope))), tidy)
    c = _tidy(simplify(Add((f_exact, Div(at, slope)))), tidy)
    normal = Line(n, c, decimal(n), decimal(c), _equation(n, x, c, var))
    return tangent, normal


def _equation(slope: Expr, x: Expr, intercept: Expr, var: str) -> Expr:
    """m·x + b in that order, as lines are written (y = −x/4 + 9/2, not 9/2 − x/4)."""
    mx = simplify(Mul((slope, x)), var)
    if intercept == ZERO or mx == ZERO:
        return mx if intercept == ZERO else intercept
    return Add((mx, *(intercept.terms if isinstance(intercept, Add) else (intercept,))))


def _average(
    expr: Expr,
    var: str,
    at: Expr,
    to: Expr,
    lets: dict[str, Expr],
    f: object,
    a: float | None,
    fa: Expr,
) -> Average:
    end = constant_value(to, "--to", lets)
    local = Local(var, {**lets, var: end})
    if local.sign(Add((end, Neg(at)))).value == 0:
        raise UsageError("--to must differ from --at: an interval needs two ends")
    status = local.status(expr)
    if status.state == UNDEFINED:
        raise DomainError(f"f is not defined at {var} = {_plain(end)}: {status.reason}")
    fb = local.value(expr)
    rate = simplify(Div(Add((fb, Neg(fa))), Add((end, Neg(at)))))
    rate_value = decimal(rate)
    if rate_value is None and a is not None:
        b = decimal(end)
        try:
            rate_value = average_rate(f, a, b) if b is not None else None  # type: ignore[arg-type]
        except MathError:
            rate_value = None
    return Average(at, end, rate, rate_value)


def _plain(expr: Expr) -> str:
    from deriv_lecture.core.syntax.printer import to_input

    return to_input(expr)
