"""core/tasks/partials.py: partial, higher and mixed derivatives, the gradient, the tangent
plane and directional derivatives, every expected value computed here by SymPy."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import read_several
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.lists import parse_vector
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Add, Call, Expr, Mul, Num, Pow, Sym
from deriv_lecture.core.tasks.partials import gradient, partial_derivative
from tests.conftest import examples

X, Y, Z = sympy.symbols("x y z", real=True)


@pytest.fixture(autouse=True)
def _engine_only() -> Iterator[None]:
    """The values here are the engine's own, checked against SymPy by the test: SymPy's
    tidier forms and verdicts inside deriv are not what these tests read."""
    from deriv_lecture.core.referee.timebox import budget

    with budget(0):
        yield


SYMBOLS = {"x": X, "y": Y, "z": Z}


def sym(text: str) -> sympy.Expr:
    return to_sympy(parse_expr(text), dict(SYMBOLS))


def at(point: dict[str, float]) -> dict[sympy.Symbol, sympy.Expr]:
    return {SYMBOLS[k]: sympy.nsimplify(v) for k, v in point.items()}


FUNCTIONS = ["x^2 y + sin(x y)", "e^(x y) + ln(1 + x^2 + y^2)", "x y z + cos(x z)",
             "sqrt(x^2 + y^2 + 1)", "atan(y/x)", "x^y", "(x - y)^3/(1 + z^2)"]  # fmt: skip
POINT = {"x": 1.3, "y": 0.7, "z": -0.4}


@pytest.mark.parametrize("source", FUNCTIONS)
@pytest.mark.parametrize("var", ["x", "y"])
def test_a_partial_matches_sympy_as_formula_and_at_a_point(source: str, var: str) -> None:
    names = sorted(str(s) for s in sym(source).free_symbols)
    text = ",".join(f"{n}={POINT[n]}" for n in names)
    result = partial_derivative(read_several(source, var, None, text, {}))
    truth = sympy.diff(sym(source), SYMBOLS[var])
    for point in ({"x": 0.9, "y": 1.7, "z": 0.3}, {"x": 2.1, "y": 0.4, "z": -1.1}):
        assert evaluate(result.derivative, point) == pytest.approx(
            float(truth.subs(at(point)).evalf(30)), rel=1e-11
        )
    expected = float(truth.subs(at(POINT)).evalf(30))
    assert result.at is not None and result.at.value == pytest.approx(expected, rel=1e-12)
    analysis = result.at.analysis
    assert analysis is not None and analysis.estimate is not None
    assert abs(analysis.estimate.value - expected) <= analysis.estimate.error  # the bar covers it


@pytest.mark.parametrize(
    ("source", "variables"),
    [("x^2 y + sin(x y)", "x,y"), ("e^(x y) cos(z)", "x,z"), ("x^3 y^2 z", "z,x"),
     ("sin(x y) + x^2", "x,x"), ("x^2 y^3", "y,y,x"), ("ln(1 + x^2 y^2)", "x,y,x")],
)  # fmt: skip
def test_higher_and_mixed_orders_match_sympy(source: str, variables: str) -> None:
    names = variables.split(",")
    result = partial_derivative(read_several(source, variables, None, None, {}))
    truth = sympy.diff(sym(source), *(SYMBOLS[n] for n in names))
    point = {"x": 0.8, "y": 1.3, "z": 0.6}
    assert evaluate(result.derivative, point) == pytest.approx(
        float(truth.subs(at(point)).evalf(30)), rel=1e-10
    )
    if len(set(names)) > 1:
        assert result.symmetric is True  # smooth everywhere: Clairaut


@pytest.mark.parametrize("scale", [1, 3, -2])
def test_a_function_that_is_not_c2_at_the_origin(scale: int) -> None:
    """scale·xy(x² − y²)/(x² + y²), 0 at the origin: the two orders give ∓scale there,
    from nested one-sided limits (computed here by SymPy from the definition)."""
    source = f"{scale} x y (x^2 - y^2)/(x^2 + y^2) if x^2 + y^2 > 0 else 0"
    result = partial_derivative(read_several(source, "x,y", None, "x=0,y=0", {}))
    inner = scale * X * Y * (X**2 - Y**2) / (X**2 + Y**2)
    h, k = sympy.symbols("h k", real=True)
    f_x_on_y_axis = sympy.limit((inner.subs({X: h, Y: k}) - 0) / h, h, 0)  # f(0, k) = 0
    f_x_at_origin = 0  # f(h, 0) = 0 for every h
    f_xy = sympy.limit((f_x_on_y_axis - f_x_at_origin) / k, k, 0)
    f_y_on_x_axis = sympy.limit(inner.subs({X: h, Y: k}) / k, k, 0)
    f_yx = sympy.limit(f_y_on_x_axis / h, h, 0)
    assert result.at is not None and result.other_at is not None
    assert result.at.exact is not None and result.other_at.exact is not None
    assert decimal(result.at.exact) == float(f_xy)
    assert decimal(result.other_at.exact) == float(f_yx)
    assert result.symmetric is False


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("source", ["1/(1 + e^-x)", "x^5 - 3x", "sin(x) e^x", "ln(1 + x^2)"])
def test_nth_derivatives_match_sympy(source: str, order: int) -> None:
    result = partial_derivative(read_several(source, ",".join(["x"] * order), None, "1/2", {}))
    truth = sympy.diff(sym(source), X, order)
    expected = float(truth.subs(X, sympy.Rational(1, 2)).evalf(30))
    assert result.at is not None and result.at.value == pytest.approx(expected, rel=1e-11)


def test_the_sigmoids_second_derivative_in_terms_of_y() -> None:
    result = partial_derivative(read_several("1/(1 + e^-x)", "x,x", None, None, {}))
    y = sympy.Symbol("y")
    sigma = 1 / (1 + sympy.exp(-X))
    assert result.in_terms_of_y is not None
    shown = to_sympy(result.in_terms_of_y, {"y": y})
    assert sympy.simplify(shown.subs(y, sigma) - sympy.diff(sigma, X, 2)) == 0


@pytest.mark.parametrize("source", FUNCTIONS[:6])
def test_the_gradient_its_norm_the_plane_and_a_direction(source: str) -> None:
    names = sorted(str(s) for s in sym(source).free_symbols)
    text = ",".join(f"{n}={POINT[n]}" for n in names)
    direction = ",".join(str(i + 2) for i in range(len(names)))
    result = gradient(read_several(source, None, None, text, {}, every_symbol=True),
                      parse_vector(direction, "--dir"))  # fmt: skip
    grad = [sympy.diff(sym(source), SYMBOLS[n]).subs(at(POINT)).evalf(30) for n in names]
    for analysis, truth in zip(result.at, grad, strict=True):
        assert analysis.slope_value == pytest.approx(float(truth), rel=1e-12)
        assert analysis.estimate is not None
        assert abs(analysis.estimate.value - float(truth)) <= analysis.estimate.error
    norm = math.sqrt(sum(float(g) ** 2 for g in grad))
    assert result.norm is not None and decimal(result.norm) == pytest.approx(norm, rel=1e-12)
    assert result.plane is not None
    plane_at_point = evaluate(result.plane.equation, POINT)
    assert plane_at_point == pytest.approx(float(sym(source).subs(at(POINT)).evalf(30)), rel=1e-12)
    v = [i + 2 for i in range(len(names))]
    unit = [c / math.sqrt(sum(w * w for w in v)) for c in v]
    along = sum(float(g) * u for g, u in zip(grad, unit, strict=True))
    assert result.direction is not None and result.direction.exact is not None
    assert decimal(result.direction.exact) == pytest.approx(along, rel=1e-12)
    estimate = result.direction.analysis.estimate  # type: ignore[union-attr]
    assert estimate is not None and abs(estimate.value - along) <= estimate.error


# -- property tests -----------------------------------------------------------------------
LEAVES = st.sampled_from([Sym("x"), Sym("y"), Sym("z"), Num(2), Num(3)])  # type: ignore[arg-type]
SMOOTH = ["sin", "cos", "exp", "atan", "sinh", "tanh"]


def _grow(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda p: Add(p)),
        pairs.map(lambda p: Mul(p)),
        st.tuples(children, st.integers(2, 3)).map(lambda p: Pow(p[0], Num(p[1]))),  # type: ignore[arg-type]
        st.tuples(st.sampled_from(SMOOTH), children).map(lambda p: Call(p[0], (p[1],))),
    )


SMOOTH_EXPRESSIONS = st.recursive(LEAVES, _grow, max_leaves=6)


@settings(max_examples=examples(300), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(SMOOTH_EXPRESSIONS, st.sampled_from(["x", "y", "z"]))
def test_partials_of_random_expressions_are_sympys(expr: Expr, var: str) -> None:
    from deriv_lecture.core.calculus.derive import derive

    ours = derive(expr, var).derivative
    truth = sympy.diff(to_sympy(expr, dict(SYMBOLS)), SYMBOLS[var])
    point = {"x": 0.37, "y": -0.62, "z": 0.91}
    value = complex(truth.subs(at(point)).evalf(30))
    assert evaluate(ours, point) == pytest.approx(value.real, rel=1e-9, abs=1e-12)


@settings(max_examples=examples(200), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(SMOOTH_EXPRESSIONS)
def test_mixed_partials_of_smooth_expressions_agree(expr: Expr) -> None:
    from deriv_lecture.core.calculus.derive import derive

    xy = derive(derive(expr, "x").derivative, "y").derivative
    yx = derive(derive(expr, "y").derivative, "x").derivative
    for point in ({"x": 0.37, "y": -0.62, "z": 0.91}, {"x": -1.1, "y": 0.5, "z": 0.2}):
        assert evaluate(xy, point) == pytest.approx(evaluate(yx, point), rel=1e-9, abs=1e-10)
