"""core/tasks/jacobian.py and core/tasks/hessian.py: Jacobians, determinants, inverses,
vector–Jacobian products, Hessians, the second-derivative test and critical points, every
expected value computed here by SymPy (Matrix.jacobian, hessian, det, inv, solve)."""

from __future__ import annotations

import math
import random

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deriv_lecture.core.errors import LimitError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.problem import read_several, read_vector
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.lists import parse_vector
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.hessian import (
    INCONCLUSIVE,
    MAXIMUM,
    MINIMUM,
    SADDLE,
    hessian,
)
from deriv_lecture.core.tasks.jacobian import jacobian, product
from tests.conftest import examples

NAMES = ("r", "theta", "phi", "x", "y", "z", "s", "t", "u", "v")
SYMBOLS = {n: sympy.Symbol(n, real=True) for n in NAMES}


def sym(expr: Expr | str) -> sympy.Expr:
    return to_sympy(parse_expr(expr) if isinstance(expr, str) else expr, dict(SYMBOLS))


def close(ours: Expr, truth: sympy.Expr, point: dict[str, float]) -> bool:
    value = float(truth.subs({SYMBOLS[k]: sympy.nsimplify(v) for k, v in point.items()}).evalf(30))
    return math.isclose(evaluate(ours, point), value, rel_tol=1e-9, abs_tol=1e-12)


VECTORS = [  # (F, inputs, a point): polar, spherical, a linear map, a neuron layer, not square
    ("[r cos(theta), r sin(theta)]", "r,theta", {"r": 2.0, "theta": 1.0}),
    ("[r sin(phi) cos(theta), r sin(phi) sin(theta), r cos(phi)]", "r,phi,theta",
     {"r": 1.5, "phi": 0.7, "theta": -0.4}),
    ("[2x + 3y, x - y]", "x,y", {"x": 1.0, "y": 2.0}),
    ("[sigmoid(x - 2y + 1), sigmoid(3x + y - 1)]", "x,y", {"x": 0.3, "y": -0.2}),
    ("[x y, x + y, x^2 z]", "x,y,z", {"x": 0.5, "y": 1.5, "z": -1.0}),
    ("[x^2 y, e^(x y)]", "x,y", {"x": 0.4, "y": 0.9}),
]  # fmt: skip


@pytest.mark.parametrize(("source", "inputs", "point"), VECTORS)
def test_a_jacobian_is_sympys_entry_by_entry_with_its_shape(
    source: str, inputs: str, point: dict[str, float]
) -> None:
    with budget(0):
        result = jacobian(read_vector(source, inputs, None, {}))
    components = [sym(f) for f in result.problem.expressions]
    truth = sympy.Matrix(components).jacobian([SYMBOLS[v] for v in inputs.split(",")])
    assert result.shape == truth.shape
    for i in range(truth.rows):
        for j in range(truth.cols):
            assert close(result.entries[i][j], truth[i, j], point)


CHEAPER = [v for v in VECTORS if "sigmoid" not in v[0]]  # SymPy's det of σ's takes a second


@pytest.mark.parametrize(("source", "inputs", "point"), CHEAPER)
def test_the_determinant_is_sympys_and_none_where_not_square(
    source: str, inputs: str, point: dict[str, float]
) -> None:
    result = jacobian(read_vector(source, inputs, None, {}))
    components = [sym(f) for f in result.problem.expressions]
    truth = sympy.Matrix(components).jacobian([SYMBOLS[v] for v in inputs.split(",")])
    if not truth.is_square:
        assert result.det is None and not result.square
        return
    assert result.det is not None
    assert close(result.det, truth.det(), point)


def test_the_polar_determinant_is_simplified_to_r() -> None:
    result = jacobian(read_vector("[r cos(theta), r sin(theta)]", None, None, {}))
    assert result.det == parse_expr("r")
    source = "[r sin(phi) cos(theta), r sin(phi) sin(theta), r cos(phi)]"
    spherical = jacobian(read_vector(source, "r,phi,theta", None, {}))
    assert sympy.simplify(sym(spherical.det) - sym("r^2 sin(phi)")) == 0


@pytest.mark.parametrize(("source", "inputs", "point"), CHEAPER)
def test_at_a_point_values_estimates_det_and_inverse(
    source: str, inputs: str, point: dict[str, float]
) -> None:
    at = ",".join(f"{k}={sympy.nsimplify(v)}" for k, v in point.items())
    result = jacobian(read_vector(source, inputs, at, {}))
    assert result.at is not None
    truth = (
        sympy.Matrix([sym(f) for f in result.problem.expressions])
        .jacobian([SYMBOLS[v] for v in inputs.split(",")])
        .subs({SYMBOLS[k]: sympy.nsimplify(v) for k, v in point.items()})
    )
    for i in range(truth.rows):
        for j in range(truth.cols):
            true = float(truth[i, j].evalf(30))
            assert result.at.values[i][j] == pytest.approx(true, rel=1e-12, abs=1e-14)
            estimate = result.estimates[i][j]
            assert estimate is not None and abs(estimate.value - true) <= estimate.error
    if truth.is_square:
        assert result.det_value == pytest.approx(float(truth.det().evalf(30)), rel=1e-12)
        inverse = truth.inv()
        assert result.inverse is not None
        for i in range(truth.rows):
            for j in range(truth.cols):
                assert result.inverse.values[i][j] == pytest.approx(
                    float(inverse[i, j].evalf(30)), rel=1e-10, abs=1e-12)  # fmt: skip


def test_a_singular_point_has_no_inverse() -> None:
    result = jacobian(read_vector("[r cos(theta), r sin(theta)]", None, "r=0,theta=1", {}))
    assert result.det_value == 0 and result.inverse is None


@given(
    st.sampled_from(VECTORS),
    st.lists(st.integers(-4, 4), min_size=3, max_size=3),
    st.sampled_from(["vjp", "jvp"]),
)
@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
def test_vector_jacobian_products_are_sympys(
    case: tuple[str, str, dict[str, float]], entries: list[int], kind: str
) -> None:
    source, inputs, point = case
    with budget(0):
        result = jacobian(read_vector(source, inputs, None, {}))
        m, n = result.shape
        length = m if kind == "vjp" else n
        vector = parse_vector(",".join(str(e) for e in entries[:length]), "--v")
        made = product(result, kind, vector)
    truth_j = sympy.Matrix([sym(f) for f in result.problem.expressions]).jacobian(
        [SYMBOLS[v] for v in inputs.split(",")])  # fmt: skip
    v = sympy.Matrix(entries[:length])
    truth = (v.T * truth_j) if kind == "vjp" else (truth_j * v)
    assert made.shapes[2] == truth.shape
    for formula, expected in zip(made.formulas, list(truth), strict=True):
        assert close(formula, expected, point)


def test_a_vector_of_the_wrong_length_names_both_shapes() -> None:
    with budget(0):
        result = jacobian(read_vector("[x y, x + y, x^2 z]", None, None, {}))
        with pytest.raises(UsageError, match=r"3×3|m = 3"):
            product(result, "vjp", parse_vector("1,2", "--vjp"))
        with pytest.raises(UsageError, match="n = 3"):
            product(result, "jvp", parse_vector("1,2,3,4", "--jvp"))


def test_too_many_entries_is_a_limit() -> None:
    components = ", ".join(f"x{i} + x{i + 1}" for i in range(21))
    names = ",".join(f"x{i}" for i in range(20))
    with budget(0), pytest.raises(LimitError, match="400"):
        jacobian(read_vector(f"[{components}]", names, None, {}))


# -- the Hessian --------------------------------------------------------------------------
FUNCTIONS = [
    ("x^2 y + sin(x y)", {"x": 1.0, "y": 2.0}),
    ("x^3 - 3x y^2", {"x": 0.5, "y": -1.0}),
    ("e^(x y z) + x^2 z", {"x": 0.3, "y": 0.5, "z": -0.7}),
    ("ln(1 + x^2 + y^2)", {"x": -1.2, "y": 0.4}),
]


@pytest.mark.parametrize(("source", "point"), FUNCTIONS)
def test_a_hessian_is_sympys_and_symmetric(source: str, point: dict[str, float]) -> None:
    with budget(0):
        result = hessian(read_several(source, None, None, None, {}, every_symbol=True))
    names = [SYMBOLS[v] for v in result.problem.variables]
    truth = sympy.hessian(sym(source), names)
    for i in range(truth.rows):
        for j in range(truth.cols):
            assert close(result.entries[i][j], truth[i, j], point)
    assert result.symmetric is True


def quadratic_truth(a: int, b: int, c: int) -> str:
    """The classification of a x² + b x y + c y² at its critical point 0, by the textbook
    discriminant D = 4ac − b² (from SymPy's Hessian [[2a, b], [b, 2c]])."""
    h = sympy.Matrix([[2 * a, b], [b, 2 * c]])
    det, first = h.det(), h[0, 0]
    if det > 0:
        return MINIMUM if first > 0 else MAXIMUM
    return SADDLE if det < 0 else INCONCLUSIVE


@given(st.integers(-4, 4), st.integers(-4, 4), st.integers(-4, 4), st.sampled_from([0.0, 1e9]))
@settings(max_examples=examples(100, least=10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
def test_the_second_derivative_test_of_quadratic_forms(a: int, b: int, c: int, zero: float) -> None:
    source = f"({a}) x^2 + ({b}) x y + ({c}) y^2 + x y z"
    # z enters only through x y z: at z = 0 the form is the whole Hessian in x and y.
    problem = read_several(source, "x,y", None, "x=0,y=0,z=0", {})
    with budget(zero):  # the verdict does not depend on SymPy's time
        test = hessian(problem).test
    assert test is not None and test.gradient_zero is True
    assert test.classification == quadratic_truth(a, b, c)


def test_where_the_gradient_is_not_zero_the_test_does_not_apply() -> None:
    result = hessian(read_several("x^2 + y^2", None, None, "x=1,y=0", {}, every_symbol=True))
    assert result.test is not None and result.test.gradient_zero is False
    assert result.test.classification is None and not result.test.applies


def test_at_a_point_where_f_is_not_c2_both_mixed_values_are_shown() -> None:
    source = "x y (x^2 - y^2)/(x^2 + y^2) if abs(x) + abs(y) > 0 else 0"
    x, y, k = sympy.symbols("x y k", real=True)
    f = x * y * (x**2 - y**2) / (x**2 + y**2)
    f_x_on_y_axis = sympy.limit((f.subs(x, k) - 0) / k, k, 0)  # ∂f/∂x(0, y) = −y
    f_y_on_x_axis = sympy.limit((f.subs(y, k) - 0) / k, k, 0)  # ∂f/∂y(x, 0) = x
    f_xy = sympy.diff(f_x_on_y_axis, y)
    f_yx = sympy.diff(f_y_on_x_axis, x)
    result = hessian(read_several(source, None, None, "x=0,y=0", {}, every_symbol=True))
    (pair,) = result.asymmetric_at
    assert float(sympy.sympify(str(sym(pair.value)))) == float(f_xy)
    assert float(sympy.sympify(str(sym(pair.other)))) == float(f_yx)
    assert result.test is not None and result.test.classification is None
    assert result.eigenvalues == ()  # not symmetric there: no real eigenvalues promised


@pytest.mark.parametrize(("source", "point"), FUNCTIONS[:2])
def test_eigenvalues_and_det_at_a_point_are_sympys(source: str, point: dict[str, float]) -> None:
    at = ",".join(f"{k}={sympy.nsimplify(v)}" for k, v in point.items())
    result = hessian(read_several(source, None, None, at, {}, every_symbol=True))
    names = [SYMBOLS[v] for v in result.problem.variables]
    truth = sympy.hessian(sym(source), names).subs(
        {SYMBOLS[k]: sympy.nsimplify(v) for k, v in point.items()})  # fmt: skip
    expected = sorted(float(sympy.re(e.evalf(30))) for e in truth.eigenvals(multiple=True))
    ours = sorted(e.value for e in result.eigenvalues for _ in range(e.multiplicity))
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert result.det_value == pytest.approx(float(truth.det().evalf(30)), rel=1e-10)


CRITICAL = ["x^3 - 3x + y^3 - 3y", "x^2 + x y + y^2 - 3x", "x^4 + y^4 - 4x y", "x y (1 - x - y)"]


@pytest.mark.parametrize("source", CRITICAL)
@pytest.mark.parametrize("seconds", [None, 0.0])
def test_critical_points_are_sympys_and_classified(source: str, seconds: float | None) -> None:
    problem = read_several(source, None, None, None, {}, every_symbol=True)
    if seconds is None:
        result = hessian(problem, critical=True)
    else:
        with budget(seconds):  # no SymPy: the numeric search, labelled, never complete
            result = hessian(problem, critical=True)
    f = sym(source)
    x, y = SYMBOLS["x"], SYMBOLS["y"]
    solutions = sympy.solve([sympy.diff(f, x), sympy.diff(f, y)], [x, y], dict=True)
    real = [s for s in solutions if all(v.is_real for v in s.values())]
    truth = {}
    for s in real:
        h = sympy.hessian(f, [x, y]).subs(s)
        d, first = h.det(), h[0, 0]
        kind = (MINIMUM if first > 0 else MAXIMUM) if d > 0 else SADDLE if d < 0 else INCONCLUSIVE
        truth[(round(float(s[x]), 9), round(float(s[y]), 9))] = kind
    assert result.critical is not None
    found = {}
    for c in result.critical:
        key = tuple(round(v, 9) + 0.0 for v in c.values)
        found[key] = c.test.classification
    if seconds is None:
        assert result.complete and found == truth
    else:
        assert not result.complete and "numeric" in result.search
        assert set(found) <= set(truth) and all(found[k] == truth[k] for k in found)


@settings(max_examples=examples(100, least=10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.integers(0, 10**6))
def test_random_polynomial_hessians_are_symmetric_and_sympys(seed: int) -> None:
    rng = random.Random(seed)
    terms = [
        f"({rng.randint(-3, 3)}) x^{rng.randint(0, 3)} y^{rng.randint(0, 3)} z^{rng.randint(0, 2)}"
        for _ in range(4)
    ]
    source = " + ".join(terms)
    with budget(0):
        result = hessian(read_several(source, "x,y,z", None, None, {}))
    truth = sympy.hessian(sym(source), [SYMBOLS["x"], SYMBOLS["y"], SYMBOLS["z"]])
    point = {"x": 0.7, "y": -1.3, "z": 0.4}
    for i in range(3):
        for j in range(3):
            assert close(result.entries[i][j], truth[i, j], point)
    assert result.symmetric is not False


# -- the chain rule as a product of Jacobians ---------------------------------------------
def chain_of(outer: str, inputs: str, sub: dict[str, str], at: str | None = None):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from deriv_lecture.core.problem import Point
    from deriv_lecture.core.syntax.lists import parse_point
    from deriv_lecture.core.tasks.chain import chain

    problem = read_vector(outer, inputs, None, {})
    if at is not None:
        given = parse_point(at)
        assert isinstance(given, dict)
        problem = replace(problem, point=Point.of(given))
    return chain(problem, {u: parse_expr(g) for u, g in sub.items()})


@given(
    st.lists(st.integers(-3, 3), min_size=4, max_size=4),
    st.lists(st.integers(-2, 2), min_size=4, max_size=4),
    st.integers(1, 3),
    st.integers(-2, 2),
)
@settings(max_examples=examples(80, least=10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
def test_the_chain_rule_product_is_sympys_jacobian_of_the_composition(
    a: list[int], b: list[int], s_value: int, t_value: int
) -> None:
    outer = f"[({a[0]}) u^2 v + ({a[1]}) v, sin(({a[2]}) u) + ({a[3]}) u v]"
    sub = {"u": f"({b[0]}) s t + ({b[1]}) t^2", "v": f"({b[2]}) s^2 + ({b[3]}) t + 1"}
    with budget(0):
        result = chain_of(outer, "u,v", sub, f"s={s_value},t={t_value}")
    s, t, u, v = (SYMBOLS[n] for n in "stuv")
    f_outer = sympy.Matrix([sym(e) for e in parse_vector(outer, "F")])
    g = {u: sym(sub["u"]), v: sym(sub["v"])}
    truth = f_outer.subs(g, simultaneous=True).jacobian([s, t])
    point = {"s": float(s_value), "t": float(t_value)}
    assert result.agrees is True
    for i in range(2):
        for j in range(2):
            assert close(result.product[i][j], truth[i, j], point)
            assert result.product_at is not None
            expected = float(truth[i, j].subs({s: s_value, t: t_value}))
            assert result.product_at.values[i][j] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    for ours, n in zip(result.g_at, (u, v), strict=True):
        assert evaluate(ours, {}) == float(g[n].subs({s: s_value, t: t_value}))


def test_the_chain_rule_with_more_inputs_than_outputs_has_its_shapes() -> None:
    with budget(0):
        result = chain_of("[u v w]", "u,v,w", {"u": "s", "v": "s^2", "w": "s^3"})
    assert result.shapes == ((1, 3), (3, 1), (1, 1))
    s = SYMBOLS["s"]
    assert close(result.product[0][0], sympy.diff(s**6, s), {"s": 1.3})


@pytest.mark.parametrize(
    ("sub", "at"),
    [({"u": "s"}, None),  # v has no formula
     ({"u": "s", "v": "t", "w": "s"}, None),  # F has no input w
     ({"u": "2", "v": "3"}, None),  # nothing to differentiate by
     ({"u": "u s", "v": "t"}, None),  # u both an input and a variable of g
     ({"u": "s", "v": "t"}, "s=1"),  # t has no value
     ({"u": "s", "v": "t"}, "s=1,t=2,u=3")],  # u is not a variable of g
)  # fmt: skip
def test_bad_substitutions_are_usage_errors(sub: dict[str, str], at: str | None) -> None:
    with budget(0), pytest.raises(UsageError):
        chain_of("[u v, u + v]", "u,v", sub, at)


def test_past_four_by_four_det_and_inverse_are_decimals_that_invert() -> None:
    n = 5
    source = (
        "["
        + ", ".join(f"x{i}^2 + x{(i + 1) % n} + sin(x{i} x{(i - 1) % n})" for i in range(n))
        + "]"
    )
    names = ",".join(f"x{i}" for i in range(n))
    at = ",".join(f"x{i}={i + 1}/3" for i in range(n))
    with budget(0):
        result = jacobian(read_vector(source, names, at, {}))
    assert result.det is None and result.det_exact is None
    symbols = sympy.symbols(f"x0:{n}", real=True)
    x = symbols
    f = sympy.Matrix(
        [x[i] ** 2 + x[(i + 1) % n] + sympy.sin(x[i] * x[(i - 1) % n]) for i in range(n)]
    )
    truth = f.jacobian(symbols).subs({symbols[i]: sympy.Rational(i + 1, 3) for i in range(n)})
    truth = truth.evalf(30)  # its decimals: SymPy's exact 5×5 det of sines took a second
    assert result.det_value == pytest.approx(float(truth.det()), rel=1e-10)
    assert result.inverse is not None
    product = sympy.Matrix(result.inverse.values) * truth.evalf(30)
    for i in range(n):
        for j in range(n):
            assert float(product[i, j]) == pytest.approx(float(i == j), abs=1e-10)


def test_a_point_outside_the_domain_is_math_and_a_missing_second_derivative_is_said() -> None:
    from deriv_lecture.core.errors import MathError

    with budget(0), pytest.raises(MathError, match="no value at the point"):
        jacobian(read_vector("[1/x, y]", None, "x=0,y=1", {}))
    with budget(0), pytest.raises(MathError, match="no value at the point"):
        hessian(read_several("1/x + y", None, None, "x=0,y=1", {}, every_symbol=True))
    # |x| has a jump in its derivative at 0: no f_xx there, so no second-derivative test
    result = hessian(read_several("abs(x) + y^2", None, None, "x=0,y=0", {}, every_symbol=True))
    assert result.at is not None and result.at.exact[0][0] is None
    assert result.test is not None and result.test.classification is None
    assert not result.test.applies
