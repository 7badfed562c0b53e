"""core/numeric/classify.py (with core/numeric/local.py): whether f'(a) exists, decided with
mathematics.

Every expected verdict here is computed in the test by SymPy's `limit` of the difference
quotient from each side (and of f for continuity), never pasted from deriv's output.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.numeric.classify import Classification, classify
from deriv_lecture.core.numeric.local import Local
from deriv_lecture.core.numeric.point import analyze
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import ONE, Add, Call, Expr, Mul, Num, Pow, Sym
from tests.conftest import examples

X = sympy.Symbol("x", real=True)
H = sympy.Symbol("h", positive=True)


def verdict(source: str, point: str) -> Classification:
    expr = parse_expr(source)
    derivation = derive(expr, "x")
    local = Local("x", {"x": parse_expr(point)})
    return classify(expr, (derivation.derivative, derivation.steps.result), local)


def truth(f: sympy.Expr, a: sympy.Expr) -> tuple[str, sympy.Expr | None]:
    """(kind, f'(a)) from SymPy's one-sided limits of f and of (f(a ± h) − f(a))/(±h)."""
    fa = f.subs(X, a)
    sides = []
    for sign in (-1, 1):
        near = sympy.limit(f.subs(X, a + sign * H), H, 0, "+")
        if near.has(sympy.AccumBounds) or sympy.simplify(near - fa) != 0:
            return "discontinuous", None
        quotient = (f.subs(X, a + sign * H) - fa) / (sign * H)
        sides.append(sympy.limit(quotient, H, 0, "+"))
    left, right = sides
    if any(s.has(sympy.AccumBounds) for s in sides):
        return "oscillating", None
    infinite = [s in (sympy.oo, -sympy.oo) for s in sides]
    if all(infinite):
        return ("vertical tangent" if left == right else "cusp"), None
    if any(infinite):
        return "kink", None
    if sympy.simplify(left - right) == 0:
        return "smooth", right
    return "kink", None


def exact_point(text: str) -> sympy.Expr:
    """A point as SymPy reads it exactly (1e-5 as 1/100000, pi as π)."""
    return sympy.sympify(text, rational=True)


def check_against_truth(source: str, point: str, f: sympy.Expr, a: sympy.Expr) -> None:
    found = verdict(source, point)
    kind, slope = truth(f, a)
    assert found.kind == kind, (source, point, found)
    if kind == "smooth":
        assert found.slope is not None
        assert decimal(found.slope) == pytest.approx(float(slope), rel=1e-12, abs=1e-300)


POINTS = ("0", "1", "-2", "1/3", "pi/4")


@pytest.mark.parametrize("point", POINTS)
def test_x_times_its_cube_root_is_differentiable_at_its_zero(point: str) -> None:
    a = exact_point(point)
    source = f"(x - ({point})) cbrt(x - ({point}))"
    f = (X - a) * sympy.sign(X - a) * sympy.Abs(X - a) ** sympy.Rational(1, 3)
    check_against_truth(source, point, f, a)


@pytest.mark.parametrize("p", ["1/3", "1/2", "2/3", "1", "4/3", "3/2", "2", "5/2", "7/3"])
@pytest.mark.parametrize("point", ["0", "2", "-1/2"])
def test_powers_of_abs_are_kinks_cusps_or_smooth_by_their_exponent(p: str, point: str) -> None:
    a = sympy.Rational(point)
    f = sympy.Abs(X - a) ** sympy.Rational(p)
    check_against_truth(f"abs(x - ({point}))^({p})", point, f, a)


@pytest.mark.parametrize("point", ["0", "3", "-1/5"])
def test_the_cube_root_of_a_square_is_a_cusp(point: str) -> None:
    a = sympy.Rational(point)
    f = sympy.Abs(X - a) ** sympy.Rational(2, 3)
    check_against_truth(f"cbrt((x - ({point}))^2)", point, f, a)
    assert verdict(f"cbrt((x - ({point}))^2)", point).kind == "cusp"


@pytest.mark.parametrize("k", range(2, 9))
@pytest.mark.parametrize(
    ("source", "edge"),
    [("1/x", "0"), ("sqrt(x)", "0"), ("ln(x)", "0"), ("1/(x - 1)", "1"),
     ("tan(x)", "pi/2"), ("asin(x)", "1"), ("sqrt(x^2 - 4)", "2")],
)  # fmt: skip
def test_points_near_a_pole_or_a_branch_point_are_ordinary(source: str, edge: str, k: int) -> None:
    point = f"{edge} - 1e-{k}" if source.startswith(("tan", "asin")) else f"{edge} + 1e-{k}"
    found = verdict(source, point)
    assert found.kind == "smooth"
    a = exact_point(point)
    f = sympy.sympify(source.replace("ln", "log"), locals={"x": X})
    expected = sympy.N(sympy.diff(f, X).subs(X, a), 30)
    slope = decimal(found.slope)  # type: ignore[arg-type]
    assert slope == pytest.approx(float(expected), rel=1e-12)


@pytest.mark.parametrize(
    ("source", "point", "build"),
    [
        ("x^2 if x >= 1 else 2x - 1", "1",
         lambda: sympy.Piecewise((X**2, X >= 1), (2 * X - 1, True))),
        ("x^3 if x >= 0 else sin(x) - x", "0",
         lambda: sympy.Piecewise((X**3, X >= 0), (sympy.sin(X) - X, True))),
        ("e^x if x < 0 else 1 + x", "0",
         lambda: sympy.Piecewise((sympy.exp(X), X < 0), (1 + X, True))),
        ("x^2 if x >= 0 else x", "0", lambda: sympy.Piecewise((X**2, X >= 0), (X, True))),
        # near 1, max(x, x²) is x² to the right and x to the left (SymPy's limit cannot
        # take Max itself there)
        ("max(x, x^2)", "1", lambda: sympy.Piecewise((X**2, X >= 1), (X, True))),
        ("relu(2x - 1)", "1/2", lambda: sympy.Max(0, 2 * X - 1)),
        ("abs(sin(x))", "pi", lambda: sympy.Abs(sympy.sin(X))),
        ("1 if x >= 2 else 0", "2", lambda: sympy.Piecewise((1, X >= 2), (0, True))),
        ("sign(x - 1)", "1", lambda: sympy.sign(X - 1)),
        ("x sin(1/x) if x > 0 else 0", "0",
         lambda: sympy.Piecewise((X * sympy.sin(1 / X), X > 0), (0, True))),
        ("x^2 sin(1/x) if x > 0 else 0", "0",
         lambda: sympy.Piecewise((X**2 * sympy.sin(1 / X), X > 0), (0, True))),
    ],
)  # fmt: skip
def test_junctions_jumps_and_oscillation(source: str, point: str, build: object) -> None:
    f = build()  # type: ignore[operator]
    check_against_truth(source, point, f, exact_point(point))


def test_a_point_of_a_domain_edge_has_one_side() -> None:
    for source, kind in [("sqrt(x)", "vertical tangent"), ("x^(5/3)", "endpoint"),
                         ("x sqrt(x)", "endpoint"), ("acos(x)", "vertical tangent")]:  # fmt: skip
        point = "1" if source.startswith("acos") else "0"
        found = verdict(source, point)
        assert found.kind == kind, source
        assert (found.left is not None and not found.left.exists) or (
            found.right is not None and not found.right.exists
        )


def test_a_pole_is_a_domain_error_whatever_the_budget() -> None:
    from deriv_lecture.core.errors import DomainError

    for seconds in (2.5, 0.0):
        with budget(seconds):
            for source, point in [("tan(x)", "pi/2"), ("1/x", "0"), ("sec(x)", "3pi/2"),
                                  ("cot(x)", "pi"), ("ln(x)", "0"), ("1/(x^2 - 2)", "sqrt(2)"),
                                  ("x/(sin(x) - 1)", "pi/2")]:  # fmt: skip
                with pytest.raises(DomainError):
                    verdict(source, point)


CASES = [
    ("x cbrt(x)", "0"), ("cbrt(x)^4", "0"), ("abs(x)^(4/3)", "0"), ("cbrt(x^2)", "0"),
    ("1/x", "0.01"), ("sqrt(x)", "0.001"), ("sqrt(x)", "1e-6"), ("tan(x)", "1.5707963"),
    ("x sqrt(abs(x))", "0"), ("x^(5/3)", "0"), ("abs(x)", "0"), ("relu(x)", "0"),
    ("x^2 if x >= 0 else x", "0"), ("sign(x)", "0"), ("x^4 e^x", "0"),
    ("x sin(1/x) if x > 0 else 0", "0"), ("x^2 sin(1/x) if x > 0 else 0", "0"),
    ("max(0, x)", "0"), ("max(x, 0)", "0"), ("sqrt(x)", "0"), ("cbrt(x)", "0"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "point"), CASES)
def test_with_no_time_for_sympy_a_verdict_is_the_same_or_undecided(source: str, point: str) -> None:
    full = verdict(source, point)
    with budget(0):
        starved = verdict(source, point)
    assert starved.kind in (full.kind, "undecided"), (full, starved)
    if starved.kind != "undecided":
        assert starved.slope == full.slope


def test_the_lectures_kinks_are_decided_without_sympy() -> None:
    with budget(0):
        for source in ("abs(x)", "relu(x)"):
            found = verdict(source, "0")
            assert found.kind == "kink"
            assert found.left is not None and found.right is not None
            sides = (found.left.slope, found.right.slope)
            left, right = (decimal(side) for side in sides)  # type: ignore[arg-type]
            assert (left, right) == ((-1.0 if source == "abs(x)" else 0.0), 1.0)


def test_one_sided_slopes_are_exact() -> None:
    found = verdict("abs(3x - 1) + 2x", "1/3")
    assert found.kind == "kink"
    assert found.left is not None and found.right is not None
    left, right = found.left.slope, found.right.slope
    assert decimal(left) == -1 and decimal(right) == 5  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------------

SMOOTH_FUNCTIONS = ["sin", "cos", "atan", "tanh", "sinh", "sigmoid", "asinh", "exp"]
SMOOTH_LEAVES = st.sampled_from([Sym("x"), Sym("x"), Num(Fraction(2)), Num(Fraction(1, 3))])


def _grow_smooth(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    pairs = st.tuples(children, children)
    square = Num(Fraction(2))
    return st.one_of(
        pairs.map(lambda p: Add(p)),
        pairs.map(lambda p: Mul(p)),
        pairs.map(lambda p: Mul((p[0], Pow(Add((ONE, Pow(p[1], square))), Num(Fraction(-1)))))),
        st.tuples(children, st.integers(2, 3)).map(lambda p: Pow(p[0], Num(Fraction(p[1])))),
        st.tuples(st.sampled_from(SMOOTH_FUNCTIONS), children).map(lambda p: Call(p[0], (p[1],))),
        children.map(lambda c: Call("sqrt", (Add((ONE, Pow(c, square))),))),
    )


SMOOTH_EXPRESSIONS = st.recursive(SMOOTH_LEAVES, _grow_smooth, max_leaves=6)
RATIONAL_POINTS = st.fractions(min_value=-3, max_value=3, max_denominator=7)


@settings(max_examples=examples(150), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(SMOOTH_EXPRESSIONS, RATIONAL_POINTS)
def test_smooth_functions_are_differentiable_with_sympys_value_inside_the_bar(
    expr: Expr, a: Fraction
) -> None:
    point = Num(a)
    derivation = derive(expr, "x")
    try:
        found = analyze(Problem((expr,), ("x",), Point.of({"x": point})), derivation.derivative,
                        with_limits=False,
                        tidy=False, rules_derivative=derivation.steps.result)  # fmt: skip
    except DomainError:
        return  # a value past the float range somewhere on the way (e^(e^x))
    assert found.kind == "smooth" and found.differentiable is True
    x = sympy.Symbol("x", real=True)
    truth = sympy.N(sympy.diff(to_sympy(expr, {"x": x}), x).subs(x, sympy.Rational(a)), 30)
    if not truth.is_finite or abs(truth) > 1e300:
        return
    assert found.slope_value == pytest.approx(float(truth), rel=1e-9, abs=1e-12)
    if found.estimate is not None:
        assert abs(found.estimate.value - float(truth)) <= found.estimate.error


@settings(max_examples=examples(40), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(SMOOTH_EXPRESSIONS, RATIONAL_POINTS, st.fractions(min_value=-3, max_value=3,
       max_denominator=4).filter(lambda c: c != 0))  # fmt: skip
def test_a_kink_added_to_a_smooth_function_has_sympys_one_sided_slopes(
    g: Expr, a: Fraction, c: Fraction
) -> None:
    kink = Mul((Num(c), Call("abs", (Add((Sym("x"), Num(-a))),))))
    expr = Add((g, kink))
    derivation = derive(expr, "x")
    local = Local("x", {"x": Num(a)})
    found = classify(expr, (derivation.derivative,), local)
    assert found.kind == "kink"
    x = sympy.Symbol("x", real=True)
    whole = to_sympy(expr, {"x": x})
    slope = sympy.diff(whole, x)
    for side, mine in (("-", found.left), ("+", found.right)):
        theirs = sympy.limit(slope, x, sympy.Rational(a), side)
        assert mine is not None and mine.slope is not None
        assert decimal(mine.slope) == pytest.approx(float(theirs), rel=1e-9, abs=1e-12)
