"""Implicit differentiation (SPEC.md `deriv implicit`): dy/dx on a curve LHS = RHS, by
differentiating both sides (y' where the chain rule puts it) and by −F_x/F_y with
F = LHS − RHS; y'' with y' substituted; at a point on the curve the slope, the tangent
and normal, vertical tangents and singular points named, and the slope measured from the
curve itself (Newton's method on F(a + h, y) = 0 near b); answers judged at points of
the curve, branch by branch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import MathError, ParseError, UsageError
from deriv_lecture.core.numeric.estimates import Estimate, RateRow, best_estimate
from deriv_lecture.core.numeric.evaluate import compiled, evaluate
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.numeric.signs import sign_of
from deriv_lecture.core.problem import Point
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Add, Div, Expr, Mul, Neg, Sym, free_symbols

PRIME = "y'"  # how y' is written inside formulas: a symbol the user cannot type
NO_PARTIALS = "no partial derivatives"  # F_x or F_y has no value at the point


@dataclass(frozen=True, slots=True)
class Equation:
    lhs: Expr
    rhs: Expr
    dep: str  # y
    indep: str  # x
    lets: Point

    @property
    def function(self) -> Expr:
        """F = LHS − RHS: the curve is F = 0."""
        return simplify(Add((self.lhs, Neg(self.rhs))))


def read_equation(source: str, dep: str | None, var: str | None, lets: dict[str, Expr]) -> Equation:
    """LHS = RHS, each side read by the expression parser (an error points into the whole
    equation); the dependent variable y unless --dep says otherwise, the independent one
    the other free symbol (--var where there are more)."""
    pieces = _sides(source)
    lhs, rhs = (_side(text, offset, source) for text, offset in pieces)
    dependent = dep or "y"
    symbols = (free_symbols(lhs) | free_symbols(rhs)) - set(lets)
    if dependent not in symbols:
        raise UsageError(f"{dependent} does not appear in the equation: nothing depends on it"
                         " (--dep names the dependent variable)")  # fmt: skip
    others = sorted(symbols - {dependent})
    if var is not None:
        if var not in others:
            raise UsageError(f"--var {var}: the equation has no variable {var}")
        independent = var
    elif len(others) == 1:
        independent = others[0]
    elif not others:
        raise UsageError(f"the equation has only {dependent}: no variable for it to depend on")
    else:
        raise UsageError(f"which variable does {dependent} depend on? {', '.join(others)}:"
                         " say with --var, and give the others values with --let")  # fmt: skip
    return Equation(lhs, rhs, dependent, independent, Point.of(lets))


def _sides(source: str) -> list[tuple[str, int]]:
    equals = [i for i, ch in enumerate(source) if ch == "=" and _outside(source, i)]
    relations = [i for i in equals if i > 0 and source[i - 1] in "<>!"]
    if relations or len(equals) != 1:
        where = equals[1] if len(equals) > 1 else (relations[0] if relations else len(source))
        raise ParseError("an implicit curve is one equation, LHS = RHS, with one = sign",
                         source, min(where, max(len(source) - 1, 0)))  # fmt: skip
    i = equals[0]
    return [(source[:i], 0), (source[i + 1 :], i + 1)]


def _outside(source: str, index: int) -> bool:
    return _depth(source, index) == 0


def _depth(source: str, index: int) -> int:
    depth = 0
    for ch in source[:index]:
        depth += ch in "([{"
        depth -= ch in ")]}"
    return depth


def _side(text: str, offset: int, whole: str) -> Expr:
    if not text.strip():
        raise ParseError("a side of the equation is empty", whole, offset)
    try:
        return parse_expr(text)
    except ParseError as error:  # the caret under the column in the whole equation
        raise ParseError(error.message, whole, error.pos + offset, error.hint) from None


# -- the derivative, both ways ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Side:
    """d/dx of one side with y = y(x): its partials; the total derivative is
    by_x + by_y · y' (the chain rule puts y' beside every y)."""

    expr: Expr
    by_x: Expr
    by_y: Expr

    @property
    def total(self) -> Expr:
        return simplify(Add((self.by_x, Mul((self.by_y, Sym(PRIME))))))


@dataclass(frozen=True, slots=True)
class Implicit:
    equation: Equation
    left: Side
    right: Side
    f_x: Expr  # ∂F/∂x
    f_y: Expr  # ∂F/∂y
    from_sides: Expr  # y' by solving L_x + L_y y' = R_x + R_y y'
    derivative: Expr  # y' = −F_x/F_y, simplified
    agree: bool | None  # the two ways give the same function
    second: Expr | None = None  # y'' with y' substituted
    second_on_curve: Expr | None = None  # the same, smaller using F = 0 where it is


def differentiate_implicitly(equation: Equation, order: int = 1) -> Implicit:
    from deriv_lecture.core.referee.equivalence import compare_several

    x, y = equation.indep, equation.dep
    left = Side(
        equation.lhs, derive(equation.lhs, x).derivative, derive(equation.lhs, y).derivative
    )
    right = Side(
        equation.rhs, derive(equation.rhs, x).derivative, derive(equation.rhs, y).derivative
    )
    f = equation.function
    f_x, f_y = derive(f, x).derivative, derive(f, y).derivative
    from_sides = simplify(Div(Add((right.by_x, Neg(left.by_x))), Add((left.by_y, Neg(right.by_y)))))
    derivative = _lightest(simplify(Neg(Div(f_x, f_y))))
    given = equation.lets.floats()
    agree = compare_several(from_sides, derivative, (x, y), given).equal
    second = second_on_curve = None
    if order >= 2:
        # y'' = d/dx y'(x, y(x)) = ∂y'/∂x + ∂y'/∂y · y', then y' substituted.
        d_x, d_y = derive(derivative, x).derivative, derive(derivative, y).derivative
        second = simplify(Add((d_x, Mul((d_y, derivative)))))
        second_on_curve = _on_curve(second, f, x, y)
    return Implicit(equation, left, right, f_x, f_y, from_sides, derivative, agree, second,
                    second_on_curve)  # fmt: skip


def _lightest(expr: Expr) -> Expr:
    """The rules' form, or SymPy's cancelled or factored one where it reads lighter."""
    from deriv_lecture.core.calculus.forms import weight
    from deriv_lecture.core.referee.curves import sympy_tidier

    other = sympy_tidier(expr)
    if other is None:
        return expr
    tidy = simplify(other)
    return tidy if weight(tidy) < weight(expr) else expr


def _on_curve(expr: Expr, f: Expr, x: str, y: str) -> Expr | None:
    """expr made smaller with F = 0 (−(x² + y²)/y³ is −25/y³ on x² + y² = 25), by SymPy's
    reduction of the numerator modulo F under a time limit; None where it is not smaller."""
    from deriv_lecture.core.calculus.forms import weight
    from deriv_lecture.core.referee.curves import sympy_reduce_on_curve

    reduced = sympy_reduce_on_curve(expr, f, x, y)
    if reduced is None:
        return None
    tidy = simplify(reduced)
    return tidy if weight(tidy) < weight(expr) else None


# -- at a point ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AtPoint:
    a: Expr
    b: Expr
    residual: Expr  # F(a, b): 0 on the curve
    on_curve: bool | None
    f_x: Expr | None
    f_y: Expr | None
    kind: str  # "smooth", "vertical tangent", "singular point"
    slope: Expr | None
    slope_value: float | None
    tangent: Expr | None  # the right side of y = ..., or x = a for a vertical tangent
    normal: Expr | None
    second: Expr | None
    second_value: float | None
    table: tuple[RateRow, ...] = ()  # (y(a + h) − b)/h from points of the curve itself
    estimate: Estimate | None = None


def at_point(result: Implicit, a: Expr, b: Expr) -> AtPoint:
    """The point must lie on the curve (F(a, b) = 0 exactly): else a MathError, exit 1."""
    eq = result.equation
    x, y = eq.indep, eq.dep
    lets = eq.lets
    where = Point(((x, a), (y, b)))
    residual = where.exact(eq.function, lets)
    if decimal(residual) is None:
        from deriv_lecture.core.syntax.printer import to_input

        raise MathError(f"the equation has no value at ({to_input(a)}, {to_input(b)}): outside"
                        " its domain, so the point is not on the curve")  # fmt: skip
    sign = sign_of(residual).value
    if sign != 0:
        value = decimal(residual)
        shown = f"{value:.6g}" if value is not None else "undefined"
        from deriv_lecture.core.syntax.printer import to_input

        exact = to_input(residual).replace("-", "−")
        residual_text = exact if exact == shown.replace("-", "−") else f"{exact} ≈ {shown}"
        raise MathError(f"({to_input(a)}, {to_input(b)}) is not on the curve: F(a, b) ="
                        f" LHS − RHS = {residual_text}, not 0")  # fmt: skip
    f_x, f_y = where.exact(result.f_x, lets), where.exact(result.f_y, lets)
    slope = slope_value = tangent = normal = second = second_value = None
    if decimal(f_x) is None or decimal(f_y) is None:  # √x at 0: F has no partial there
        return AtPoint(a, b, residual, True, None, None, NO_PARTIALS, None, None, None, None,
                       None, None)  # fmt: skip
    sx, sy = sign_of(f_x).value, sign_of(f_y).value
    if sy == 0:
        kind = "singular point" if sx == 0 else "vertical tangent"
        if kind == "vertical tangent":
            tangent, normal = a, b  # x = a, and the normal y = b
    else:
        kind = "smooth"
        slope = simplify(Neg(Div(f_x, f_y)))
        slope_value = decimal(slope)
        tangent = simplify(Add((b, Mul((slope, Add((Sym(x), Neg(a))))))))
        normal = b if sign_of(slope).value == 0 else simplify(
            Add((b, Neg(Div(Add((Sym(x), Neg(a))), slope)))))  # fmt: skip
        if result.second is not None:
            second = where.exact(result.second, lets)
            second_value = decimal(second)
    table: tuple[RateRow, ...] = ()
    estimate = None
    if kind == "smooth":
        table, estimate = _measured(eq, a, b)
    return AtPoint(a, b, residual, True, f_x, f_y, kind, slope, slope_value, tangent, normal,
                   second, second_value, table, estimate)  # fmt: skip


def _solver(eq: Equation):  # type: ignore[no-untyped-def]
    """y(t) near a guess: Newton's method on F(t, y) = 0 in y."""
    f = compiled(eq.function)
    f_y = compiled(derive(eq.function, eq.dep).derivative)
    given = eq.lets.floats()

    def solve(t: float, guess: float) -> float | None:
        y = guess
        for _ in range(60):
            env = {**given, eq.indep: t, eq.dep: y}
            try:
                value, slope = f(env), f_y(env)
            except (MathError, ZeroDivisionError, OverflowError, ValueError):
                return None
            if slope == 0 or not math.isfinite(value) or not math.isfinite(slope):
                return None
            step = value / slope
            y -= step
            if abs(step) <= 4e-16 * max(1.0, abs(y)):
                return y
        return y if abs(value) < 1e-12 * max(1.0, abs(y)) else None

    return solve


def _measured(eq: Equation, a: Expr, b: Expr) -> tuple[tuple[RateRow, ...], Estimate | None]:
    """The slope measured from the curve: y(a + h) solved from F(a + h, y) = 0 near b, the
    quotients (y(a + h) − b)/h as h → 0, and Ridders' estimate from them."""
    solve = _solver(eq)
    a0, b0 = evaluate(a, {}), evaluate(b, {})

    def on_curve(t: float) -> float:
        found = solve(t, b0)
        if found is None:
            raise MathError("the curve has no point here near b")
        return found

    rows = []
    for k in range(1, 9):
        h = 10.0**-k
        try:
            rate = (on_curve(a0 + h) - b0) / h
        except MathError:
            continue
        rows.append(RateRow(h, rate, 0.0))
    try:
        estimate = best_estimate(on_curve, a0)
    except MathError:
        estimate = None
    return tuple(rows), estimate


# -- answers judged on the curve ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Branch:
    index: int  # 1 = the lowest y at each x, 2 = the next, ...
    points: int
    holds: bool
    counterexample: tuple[float, float, float, float] | None = None  # x, y, answer, y'


@dataclass(frozen=True, slots=True)
class CurveCheck:
    answer: Expr
    branches: tuple[Branch, ...]

    @property
    def points(self) -> int:
        return sum(b.points for b in self.branches)

    @property
    def correct(self) -> bool | None:
        """False where a branch has a counterexample; None with too few points to say."""
        if any(not b.holds for b in self.branches):
            return False
        return None if self.points < MIN_CURVE_POINTS else True


MIN_CURVE_POINTS = 12


def curve_points(
    eq: Equation, around: tuple[float, float] | None = None
) -> list[list[tuple[float, float]]]:
    """Points of the curve, by branch: at x values spread over a window, every distinct y
    that Newton's method finds from spread-out starts, the k-th lowest on branch k."""
    solve = _solver(eq)
    cx, cy = around or (0.0, 0.0)
    half = max(3.0, 1.5 * max(abs(cx), abs(cy)))
    xs = [cx - half + 2 * half * (i + 0.5) / 24 for i in range(24)]
    starts = [cy - 2 * half + 4 * half * j / 7 for j in range(8)]
    branches: list[list[tuple[float, float]]] = []
    for x in xs:
        roots: list[float] = []
        for start in starts:
            y = solve(x, start)
            if y is not None and all(abs(y - r) > 1e-6 * max(1.0, abs(y)) for r in roots):
                roots.append(y)
        for k, y in enumerate(sorted(roots)):
            while len(branches) <= k:
                branches.append([])
            branches[k].append((x, y))
    return branches


def check_on_curve(
    result: Implicit,
    answer: Expr,
    around: tuple[float, float] | None = None,
    truth: Expr | None = None,
) -> CurveCheck:
    """answer (in x and y) against y' = −F_x/F_y at points of the curve, branch by branch;
    an answer right only through the equation (−xy/(25 − x²) on the circle) is right."""
    eq = result.equation
    allowed = {eq.indep, eq.dep} | set(eq.lets)
    foreign = sorted(free_symbols(answer) - allowed)
    if foreign:
        raise UsageError(f"--answer uses {', '.join(foreign)}, which the equation does not have")
    branches = curve_points(eq, around)
    if not any(branches):
        raise MathError("the curve has no real points that deriv could find: nothing to"
                        " differentiate (is it empty, like x² + y² = −1?)")  # fmt: skip
    given = eq.lets.floats()
    ours, theirs = compiled(truth or result.derivative), compiled(answer)  # truth: y' or y'
    found = []
    for k, points in enumerate(branches, start=1):
        holds, checked, counter = True, 0, None
        for x, y in points:
            env = {**given, eq.indep: x, eq.dep: y}
            try:
                right = ours(env)
            except (MathError, ZeroDivisionError, OverflowError, ValueError):
                continue  # a vertical tangent: no slope to compare there
            try:
                value = theirs(env)
            except (MathError, ZeroDivisionError, OverflowError, ValueError):
                value = math.nan
            checked += 1
            if not math.isclose(value, right, rel_tol=1e-7, abs_tol=1e-9):
                holds, counter = False, (x, y, value, right)
                break
        if checked:
            found.append(Branch(k, checked, holds, counter))
    return CurveCheck(answer, tuple(found))
