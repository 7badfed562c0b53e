"""Several variables (SPEC.md): partial derivatives with steps, higher and mixed orders
with Clairaut's check, the gradient, the tangent plane and directional derivatives.

A partial derivative at a point is a derivative along a line: ∂f/∂x at a is the ordinary
derivative of t ↦ f(a + t·e_x), and D_u f is that of t ↦ f(a + t·u). So every question
at a point is handed to the one-variable analysis (core.numeric.point) with the other
coordinates fixed: the exact value, whether it exists (a kink in x is a kink of ∂f/∂x),
the limit table along the line and the estimate from values of f alone all carry over.
"""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import Derivation, derive
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.calculus.steps import fresh_letter
from deriv_lecture.core.errors import DomainError, MathError, UsageError
from deriv_lecture.core.numeric.contours import ContourData, contour_data
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.point import PointAnalysis, analyze
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.syntax.tree import (
    TWO,
    ZERO,
    Add,
    Call,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Pow,
    Sym,
    free_symbols,
    substitute,
)


@dataclass(frozen=True, slots=True)
class Value:
    """A derivative's value at the point: exact, decimal, how it was found."""

    exact: Expr | None
    value: float | None
    analysis: PointAnalysis | None  # along the last variable's axis, where it applies
    how: str  # "along the axis" or "nested one-sided limits"


@dataclass(frozen=True, slots=True)
class PartialResult:
    problem: Problem
    orders: tuple[Derivation, ...]  # f by v1, that by v2, ...
    partial: bool  # f has other free symbols: written ∂f/∂x, never f'
    # a mixed partial: does the other order agree (the values at the point, if there is
    # one, else the formulas)?
    symmetric: bool | None
    other_order: tuple[Derivation, ...] = ()  # the other order's derivations (mixed only)
    at: Value | None = None
    other_at: Value | None = None  # the other order's value where it differs
    in_terms_of_y: Expr | None = None  # one variable: f⁽ⁿ⁾ as a polynomial in y = f

    @property
    def derivative(self) -> Expr:
        return self.orders[-1].derivative

    @property
    def mixed(self) -> bool:
        return len(set(self.problem.variables)) > 1


def partial_derivative(
    problem: Problem, key_forms: bool = False, tidy: bool = True
) -> PartialResult:
    """∂ⁿf/∂vₙ…∂v₁ by the rules, one variable after another, each order with its steps;
    for a mixed partial also the other order and whether they agree (Clairaut)."""
    f = problem.expr
    orders = differentiate_in_turn(f, problem.variables, key_forms)
    partial = bool(free_symbols(f) - {problem.variables[0]})
    symmetric: bool | None = None
    other: tuple[Derivation, ...] = ()
    if len(set(problem.variables)) > 1:
        other = differentiate_in_turn(f, tuple(reversed(problem.variables)), key_forms)
        symmetric = _same_function(orders[-1].derivative, other[-1].derivative, problem)
    at = other_at = None
    if problem.point is not None:
        at = value_at(problem, orders, tidy)
        if other:
            mirrored = Problem(
                problem.expressions, tuple(reversed(problem.variables)), problem.point,
                problem.lets, problem.notes,
            )  # fmt: skip
            other_at = value_at(mirrored, other, tidy)
            # At a point Clairaut is about the values there: equal formulas elsewhere do
            # not make a function C² at the point (xy(x² − y²)/(x² + y²) at the origin).
            if at is not None and at.exact is not None and other_at.exact is not None:
                symmetric = simplify(Add((at.exact, Neg(other_at.exact)))) == ZERO
    in_y = None
    if not partial and len(set(problem.variables)) == 1:
        from deriv_lecture.core.calculus.output_form import in_terms_of_output

        in_y = in_terms_of_output(f, orders[-1].derivative, problem.variables[0])
    return PartialResult(problem, orders, partial, symmetric, other, at, other_at, in_y)


def differentiate_in_turn(
    f: Expr, variables: tuple[str, ...], key_forms: bool
) -> tuple[Derivation, ...]:
    found: list[Derivation] = []
    current = f
    for i, var in enumerate(variables):
        derivation = derive(current, var, key_forms=key_forms and i == len(variables) - 1)
        found.append(derivation)
        current = derivation.derivative
    return tuple(found)


def _same_function(first: Expr, second: Expr, problem: Problem) -> bool | None:
    """Equal as functions: at many points along each variable, then SymPy's proof."""
    from deriv_lecture.core.referee.crosscheck import proved_equal
    from deriv_lecture.core.referee.equivalence import compare

    given = problem.lets.floats() if problem.lets else {}
    verdicts = [compare(first, second, var, given).equal for var in set(problem.variables)]
    if any(v is False for v in verdicts):
        return False
    if all(v is True for v in verdicts):
        return True
    return True if proved_equal(first, second) else None


# -- at a point -------------------------------------------------------------------------------
def along(problem: Problem, expr: Expr, var: str) -> Problem:
    """expr as a function of var alone, the point's other coordinates put in (f(x, 0) for
    ∂f/∂x at (a, 0)): the analysis then sees the one-variable function it is, with x·0
    and 0² folded by the engine."""
    assert problem.point is not None
    return Problem(
        (fix(problem, expr, var),), (var,), Point.of({var: problem.point[var]}), problem.lets,
        problem.notes,
    )  # fmt: skip


def fix(problem: Problem, expr: Expr, var: str) -> Expr:
    """expr with every coordinate of the point but var's put in."""
    assert problem.point is not None
    for name, value in problem.point.items():
        if name != var:
            expr = substitute(expr, name, value)
    return expr


def value_at(problem: Problem, orders: tuple[Derivation, ...], tidy: bool = True) -> Value:
    """The last order's value at the point: the derivative along the last variable's axis
    of the order before it (so a kink along that axis is named); where that order has no
    formula at the point (f defined there by a piece of its own), nested one-sided
    limits: ∂/∂y of ∂f/∂x at a is lim (∂f/∂x(a + k·e_y) − ∂f/∂x(a))/k as k → 0±, with
    ∂f/∂x(a) itself a limit along x."""
    var = problem.variables[len(orders) - 1]
    below = problem.expr if len(orders) == 1 else orders[-2].derivative
    line = along(problem, below, var)
    try:
        analysis = analyze(
            line, fix(problem, orders[-1].derivative, var), with_limits=False, with_lines=False,
            tidy=tidy, rules_derivative=fix(problem, orders[-1].steps.result, var),
        )  # fmt: skip
    except (DomainError, MathError):
        analysis = None
    if analysis is not None and (analysis.f_exact is not None or len(orders) == 1):
        return Value(analysis.slope_exact, analysis.slope_value, analysis, "along the axis")
    if len(orders) == 1:
        return Value(None, None, analysis, "along the axis")
    inner = value_at(problem, orders[:-1], tidy)  # the order before, at the point
    if inner.exact is None:
        return Value(None, None, None, "nested one-sided limits")
    return _nested_limit(problem, below, var, inner.exact)


def _nested_limit(problem: Problem, below: Expr, var: str, at_point: Expr) -> Value:
    """lim (g(a + k·e_var) − g(a))/k as k → 0 from each side, g's value at a given: the
    branch of g beside a on each side (a piecewise f has its own piece at a), its limit
    by the engine's leading terms, then SymPy's."""
    from deriv_lecture.core.numeric.local import Local, Undecided, UndefinedOnSide
    from deriv_lecture.core.numeric.precise import decimal

    assert problem.point is not None
    k = fresh_letter(free_symbols(below) | set(problem.point) | set(problem.lets))
    moved = below
    for name, value in (*problem.lets.items(), *problem.point.items()):
        moved = substitute(moved, name, Add((value, Sym(k))) if name == var else value)
    quotient = Div(Add((moved, Neg(at_point))), Sym(k))
    local = Local(k, {k: ZERO})
    limits = []
    for side in (1, -1):
        try:
            branch = simplify(local.branch(quotient, side), k)  # 0⁴k + … folded first
            limits.append(local.side_limit(branch, side))
        except (Undecided, UndefinedOnSide, MathError):
            return Value(None, None, None, "nested one-sided limits")
    right, left = limits
    if right.kind == left.kind == "finite" and right.value is not None and left.value is not None:
        if simplify(Add((right.value, Neg(left.value)))) == ZERO:
            return Value(right.value, decimal(right.value), None, "nested one-sided limits")
    return Value(None, None, None, "nested one-sided limits")


# -- the gradient -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Plane:
    """z = c₁x₁ + … + cₙxₙ + b: the tangent plane (hyperplane; for one variable, line)."""

    coefficients: tuple[Expr, ...]
    intercept: Expr
    equation: Expr  # the right-hand side


@dataclass(frozen=True, slots=True)
class Directional:
    given: tuple[Expr, ...]
    unit: tuple[Expr, ...]  # u = V/|V|
    norm: Expr  # |V|
    exact: Expr | None  # D_u f = ∇f(a)·u
    analysis: PointAnalysis | None  # t ↦ f(a + t·u) at 0: the table and the estimate


@dataclass(frozen=True, slots=True)
class GradientResult:
    problem: Problem
    components: tuple[Derivation, ...]
    at: tuple[PointAnalysis, ...] = ()  # each component along its axis
    f_exact: Expr | None = None
    f_value: float | None = None
    norm: Expr | None = None  # |∇f(a)|
    ascent: tuple[Expr, ...] | None = None  # ∇f(a)/|∇f(a)|, where ∇f(a) ≠ 0
    plane: Plane | None = None
    direction: Directional | None = None

    @property
    def exact(self) -> tuple[Expr | None, ...]:
        return tuple(a.slope_exact for a in self.at)


def gradient(
    problem: Problem,
    direction: tuple[Expr, ...] | None = None,
    key_forms: bool = False,
    tidy: bool = True,
) -> GradientResult:
    """∇f by the rules; at a point each component along its axis, |∇f|, the direction of
    steepest ascent, the tangent plane; with a direction V, D_u f for u = V/|V|."""
    f = problem.expr
    components = tuple(derive(f, v, key_forms=key_forms) for v in problem.variables)
    if problem.point is None:
        if direction is not None:
            raise UsageError("--dir needs --at: a directional derivative is taken at a point")
        return GradientResult(problem, components)
    at = tuple(
        analyze(along(problem, f, v), fix(problem, c.derivative, v), with_limits=False,
                with_lines=False, tidy=tidy, rules_derivative=fix(problem, c.steps.result, v))
        for v, c in zip(problem.variables, components, strict=True)
    )  # fmt: skip
    f_exact, f_value = at[0].f_exact, at[0].f_value
    exact = [a.slope_exact for a in at]
    norm = ascent = plane = None
    if all(e is not None for e in exact) and all(a.differentiable for a in at):
        values = [e for e in exact if e is not None]
        norm = _tidy(Call("sqrt", (Add(tuple(Pow(e, TWO) for e in values)),)))
        if norm != ZERO:
            ascent = tuple(_tidy(Div(e, norm)) for e in values)
        if f_exact is not None:
            plane = tangent_plane(problem, values, f_exact)
    directional = _directional(problem, direction, exact, tidy) if direction is not None else None
    return GradientResult(
        problem, components, at, f_exact, f_value, norm, ascent, plane, directional
    )


def contour_map(result: GradientResult, aspect: float = 2.0) -> ContourData:
    """f of two variables near the point: its level curves, ∇f(a) as an arrow (where f
    is differentiable there and ∇f(a) ≠ 0), and the --dir line. Other coordinates of the
    point and the --let values stay fixed."""
    problem = result.problem
    if problem.point is None or len(problem.variables) != 2:
        raise UsageError("a contour map is of a function of two variables at a point")
    x, y = problem.variables
    values = problem.point.floats()
    fixed = {**problem.lets.floats(), **{n: v for n, v in values.items() if n not in (x, y)}}
    slopes = [a.slope_value for a in result.at]
    gradient = None
    if result.norm is not None and slopes[0] is not None and slopes[1] is not None:
        gradient = (slopes[0], slopes[1])
    unit = None
    if result.direction is not None:
        ux, uy = (evaluate(u, {}) for u in result.direction.unit)
        unit = (ux, uy)
    return contour_data(problem.expr, (x, y), (values[x], values[y]), fixed, gradient, unit,
                        aspect)  # fmt: skip


def _tidy(expr: Expr) -> Expr:
    """An exact constant in a tidy form: the engine's, then SymPy's automatic one (√2/2
    for 1/√2). Not sympy.simplify: it took 0.3 s for |∇f| and the ascent direction of
    x²y + sin(xy) at (1, 2) and printed the same forms."""
    from deriv_lecture.core.referee.exact import exact_value

    own = simplify(expr)
    try:
        tidier = exact_value(own, {}, tidy=False)
    except DomainError:
        return own
    return tidier if tidier is not None else own


def tangent_plane(problem: Problem, gradient_at: list[Expr], f_at: Expr) -> Plane:
    """z = f(a) + ∇f(a)·(x − a), written z = c₁x₁ + … + b."""
    assert problem.point is not None
    variables = problem.variables
    shift = [Mul((g, problem.point[v])) for g, v in zip(gradient_at, variables, strict=True)]
    intercept = _tidy(Add((f_at, *(Neg(s) for s in shift))))
    # Each coefficient kept whole, (4 + 2 cos(2))x, as a plane's equation is read.
    terms: list[Expr] = []
    for g, v in zip(gradient_at, variables, strict=True):
        if g != ZERO:
            terms.append(simplify(Mul((g, Sym(v)))) if isinstance(g, Num) else Mul((g, Sym(v))))
    if intercept != ZERO or not terms:
        terms.append(intercept)
    equation = terms[0] if len(terms) == 1 else Add(tuple(terms))
    return Plane(tuple(gradient_at), intercept, equation)


def _directional(
    problem: Problem, given: tuple[Expr, ...], gradient_at: list[Expr | None], tidy: bool
) -> Directional:
    assert problem.point is not None
    if len(given) != len(problem.variables):
        raise UsageError(
            f"--dir has {len(given)} entries; it needs {len(problem.variables)}, one per variable"
            f" ({', '.join(problem.variables)})"
        )
    norm = _tidy(Call("sqrt", (Add(tuple(Pow(g, TWO) for g in given)),)))
    if norm == ZERO:
        raise UsageError("--dir is the zero vector: it has no direction")
    unit = tuple(_tidy(Div(g, norm)) for g in given)
    exact = None
    if all(g is not None for g in gradient_at):
        known = [g for g in gradient_at if g is not None]
        exact = _tidy(Add(tuple(Mul((g, u)) for g, u in zip(known, unit, strict=True))))
    analysis = _along_direction(problem, unit, tidy)
    if analysis is not None and analysis.slope_exact is not None:
        exact = analysis.slope_exact  # the derivative along the line itself decides
    return Directional(given, unit, norm, exact, analysis)


def _along_direction(
    problem: Problem, unit: tuple[Expr, ...], tidy: bool = True
) -> PointAnalysis | None:
    """t ↦ f(a + t·u) at t = 0: its derivative is D_u f, its quotient table the limit."""
    assert problem.point is not None
    f = problem.expr
    t = fresh_letter(free_symbols(f) | set(problem.point) | set(problem.lets))
    line = f
    for var, u in zip(problem.variables, unit, strict=True):
        line = substitute(line, var, Add((problem.point[var], Mul((u, Sym(t))))))
    others = {n: v for n, v in problem.point.items() if n not in problem.variables}
    restricted = Problem(
        (line,), (t,), Point.of({t: ZERO}), Point.of({**problem.lets, **others}), problem.notes
    )
    derivation = derive(line, t)
    try:
        return analyze(restricted, derivation.derivative, with_limits=False, with_lines=False,
                       tidy=tidy, rules_derivative=derivation.steps.result)  # fmt: skip
    except (DomainError, MathError):
        return None
