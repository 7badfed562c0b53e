"""Implicit differentiation (core/tasks/implicit.py, `deriv implicit`): dy/dx and d²y/dx²
against SymPy's idiff computed here, points on and off the curve, vertical tangents and
singular points, answers judged on the curve branch by branch, and bad equations."""

from __future__ import annotations

import json
import random

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deriv_lecture.core.errors import MathError, ParseError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.tasks.implicit import (
    at_point,
    check_on_curve,
    differentiate_implicitly,
    read_equation,
)
from tests.cli.inprocess import deriv, run_inprocess
from tests.conftest import examples

X, Y = sympy.symbols("x y", real=True)

CURVES = [  # (equation, F for SymPy, a point on it)
    ("x^2 + y^2 = 25", X**2 + Y**2 - 25, (3, 4)),
    ("x^3 + y^3 = 6 x y", X**3 + Y**3 - 6 * X * Y, (3, 3)),
    ("x^2/9 + y^2/4 = 1", X**2 / 9 + Y**2 / 4 - 1, (sympy.Rational(9, 5), sympy.Rational(8, 5))),
    ("y^2 = x^3 + 1", Y**2 - X**3 - 1, (2, 3)),
    ("sin(x y) = y", sympy.sin(X * Y) - Y, (0, 0)),
]


def at_sympy(expr: sympy.Expr, a: object, b: object) -> float:
    return float(expr.subs({X: a, Y: b}))


@pytest.mark.parametrize(("source", "f", "point"), CURVES)
def test_dy_dx_both_ways_and_at_a_point_are_sympys(
    source: str, f: sympy.Expr, point: tuple
) -> None:
    with budget(0):
        result = differentiate_implicitly(read_equation(source, None, None, {}), order=2)
    truth = sympy.idiff(f, Y, X)
    second = sympy.idiff(f, Y, X, 2)
    assert result.agree is True
    a, b = point
    env = {"x": float(a), "y": float(b)}
    assert evaluate(result.derivative, env) == pytest.approx(at_sympy(truth, a, b), rel=1e-12)
    assert evaluate(result.from_sides, env) == pytest.approx(at_sympy(truth, a, b), rel=1e-12)
    assert result.second is not None
    assert evaluate(result.second, env) == pytest.approx(at_sympy(second, a, b), rel=1e-10)
    with budget(0):
        here = at_point(result, parse_expr(str(a)), parse_expr(str(b)))
    assert here.kind == "smooth" and here.slope_value == pytest.approx(at_sympy(truth, a, b))
    assert here.estimate is not None
    assert abs(here.estimate.value - at_sympy(truth, a, b)) <= here.estimate.error


def test_the_circles_second_derivative_on_the_curve_is_minus_25_over_y_cubed() -> None:
    result = differentiate_implicitly(read_equation("x^2 + y^2 = 25", None, None, {}), order=2)
    from deriv_lecture.core.syntax.printer import to_pretty

    assert result.second_on_curve is not None and to_pretty(result.second_on_curve) == "−25/y³"


@pytest.mark.parametrize(
    ("source", "point", "kind"),
    [("x^2 + y^2 = 25", (5, 0), "vertical tangent"),
     ("y^2 = x^3 + 1", (-1, 0), "vertical tangent"),
     ("x^3 + y^3 = 6 x y", (0, 0), "singular point"),
     ("y^2 = x^2 (x + 1)", (0, 0), "singular point")],
)  # fmt: skip
def test_vertical_tangents_and_singular_points_are_named(
    source: str, point: tuple[int, int], kind: str
) -> None:
    with budget(0):
        result = differentiate_implicitly(read_equation(source, None, None, {}))
        here = at_point(result, parse_expr(str(point[0])), parse_expr(str(point[1])))
    assert here.kind == kind and here.slope is None


@pytest.mark.parametrize(("source", "point"), [("x^2 + y^2 = 25", (3, 3)), ("x y = 1", (2, 1))])
def test_a_point_off_the_curve_is_math_with_its_residual(
    source: str, point: tuple[int, int]
) -> None:
    result = differentiate_implicitly(read_equation(source, None, None, {}))
    with pytest.raises(MathError, match="not on the curve"):
        at_point(result, parse_expr(str(point[0])), parse_expr(str(point[1])))
    out = run_inprocess(["implicit", source, "--at", f"x={point[0]},y={point[1]}"])
    assert out.returncode == 1 and "not on the curve" in out.stderr


def test_answers_are_judged_on_the_curve_branch_by_branch() -> None:
    result = differentiate_implicitly(read_equation("x^2 + y^2 = 25", None, None, {}))
    right = check_on_curve(result, parse_expr("-x y/(25 - x^2)"))  # −x/y only through the curve
    assert right.correct is True and right.points >= 12
    upper = check_on_curve(result, parse_expr("-x/sqrt(25 - x^2)"))  # the upper half only
    assert upper.correct is False
    assert [b.holds for b in upper.branches] == [False, True]  # branch 2: the larger y
    wrong = check_on_curve(result, parse_expr("x/y"))
    assert wrong.correct is False and not any(b.holds for b in wrong.branches)


def test_an_empty_curve_is_said_to_have_no_points() -> None:
    result = differentiate_implicitly(read_equation("x^2 + y^2 = -1", None, None, {}))
    with pytest.raises(MathError, match="no real points"):
        check_on_curve(result, parse_expr("-x/y"))
    assert run_inprocess(["implicit", "x^2 + y^2 = -1", "--answer", "-x/y"]).returncode == 1


@pytest.mark.parametrize(
    "source", ["x^2 + y^2", "x = y = 1", "x^2 + = 3", "x + 1 = 2", "x + y + z = 1"]
)
def test_bad_equations_are_bad_input(source: str) -> None:
    with pytest.raises((ParseError, UsageError)):
        read_equation(source, None, None, {})


def test_an_equation_elsewhere_gets_a_hint_to_its_command() -> None:
    out = run_inprocess(["x^2 + y^2 = 25"])
    assert out.returncode == 2 and 'deriv implicit "x^2 + y^2 = 25"' in out.stderr
    out = run_inprocess(["y = x^2"])
    assert out.returncode == 2 and 'drop the left side: deriv "x^2"' in out.stderr


def test_json_has_the_spec_keys() -> None:
    out = deriv("implicit", "x^2 + y^2 = 25", "--at", "x=3,y=4", "--order", "2", "--json")
    doc = json.loads(out.stdout)
    for key in ("equation", "dep", "indep", "derivative", "second", "on_curve", "residual",
                "value", "exact", "second_value", "tangent", "normal", "vertical"):  # fmt: skip
        assert key in doc, key
    assert doc["value"] == -0.75 and doc["vertical"] is False and doc["second_value"] == -25 / 64
    assert doc["tangent"] == "y = 25/4 - 3*x/4"


@settings(max_examples=examples(150, least=10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.integers(0, 10**6))
def test_random_polynomial_curves_match_sympys_idiff(seed: int) -> None:
    rng = random.Random(seed)
    terms = [(rng.randint(-3, 3), rng.randint(0, 3), rng.randint(1, 3)) for _ in range(3)]
    terms.append((rng.randint(1, 3), rng.randint(0, 2), 0))
    source = " + ".join(f"({c}) x^{i} y^{j}" for c, i, j in terms) + " = 1"
    f = sum(c * X**i * Y**j for c, i, j in terms) - 1
    if f.diff(Y) == 0:
        return
    with budget(0):
        result = differentiate_implicitly(read_equation(source, None, None, {}))
    truth = sympy.idiff(f, Y, X)
    for a, b in ((0.7, 1.3), (-1.1, 0.6), (1.9, -0.8)):
        expected = truth.subs({X: a, Y: b})
        if not expected.is_finite:
            continue
        ours = evaluate(result.derivative, {"x": a, "y": b})
        assert ours == pytest.approx(float(expected), rel=1e-9, abs=1e-12)


def test_catalog_cases_of_curves_check_three_ways_and_a_wrong_key_fails() -> None:
    from deriv_lecture.core.tasks.catalog import parse_catalog
    from deriv_lecture.core.tasks.check import check_case

    right = '[[case]]\nimplicit = "x^2 + y^2 = 25"\nat = { x = "3", y = "4" }\nexpect = "-x/y"\n'
    (case,) = parse_catalog(right + 'value = "-3/4"\nsecond = "-25/64"\n', "k.toml")
    result = check_case(case)
    assert result.ok and {c.name for c in result.checks} >= {"expected", "sympy", "limit", "facts"}
    (case,) = parse_catalog(right.replace("-x/y", "x/y"), "k.toml")
    assert not check_case(case).ok
    (case,) = parse_catalog(right.replace('y = "4"', 'y = "3"'), "k.toml")  # off the curve
    assert check_case(case).error is not None
    # sin(x + y) = y² cos(x): the sign of a hand-derived key, caught on the curve
    x, y = sympy.symbols("x y", real=True)
    truth = sympy.idiff(sympy.sin(x + y) - y**2 * sympy.cos(x), y, x)
    key = str(truth).replace("**", "^")
    (case,) = parse_catalog(f'[[case]]\nimplicit = "sin(x + y) = y^2 cos(x)"\nexpect = "{key}"\n',
                            "k.toml")  # fmt: skip
    assert check_case(case).ok


def test_the_curve_is_drawn_with_its_tangent_on_a_terminal_and_to_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    braille = {chr(c) for c in range(0x2801, 0x2900)}
    target = tmp_path / "curve.svg"
    args = ["implicit", "x^2 + y^2 = 25", "--at", "x=3,y=4"]
    shown = deriv(*args, "--plot", "--plain", "--save-plot", str(target))
    assert shown.exit_code == 0, shown.output
    assert braille & set(shown.stdout) and "tangent y = 25/4 − 3x/4" in shown.stdout
    assert not braille & set(deriv(*args).stdout)  # piped: no picture unless asked
    assert ET.parse(target).getroot().tag.endswith("svg")
    assert "the curve" in target.read_text(encoding="utf-8")
    vertical = deriv("implicit", "x^2 + y^2 = 25", "--at", "x=5,y=0", "--plot", "--plain")
    assert "tangent x = 5" in vertical.stdout


def test_a_point_where_f_has_no_partials_or_no_value_is_said_so() -> None:
    from deriv_lecture.core.tasks.implicit import NO_PARTIALS

    result = differentiate_implicitly(read_equation("sqrt(x) = y", None, None, {}))
    here = at_point(result, parse_expr("0"), parse_expr("0"))  # on the curve, F_x = ∞ there
    assert here.kind == NO_PARTIALS and here.slope is None and here.tangent is None
    outside = differentiate_implicitly(read_equation("ln(x) + y = 0", None, None, {}))
    with pytest.raises(MathError, match="no value at"):
        at_point(outside, parse_expr("-1"), parse_expr("0"))


@pytest.mark.parametrize(
    ("source", "point"),
    [("x^2 + y^2 = 25", (3, 4)), ("x^2 + y^2 = 25", (5, 0)), ("x^3 + y^3 = 6 x y", (0, 0)),
     ("x^3 + y^3 = 6 x y", (3, 3)), ("sqrt(x) = y", (0, 0))],
)  # fmt: skip
def test_without_sympys_time_the_point_is_judged_the_same(source: str, point: tuple) -> None:
    a, b = (parse_expr(str(v)) for v in point)
    full = at_point(differentiate_implicitly(read_equation(source, None, None, {})), a, b)
    with budget(0):
        none = at_point(differentiate_implicitly(read_equation(source, None, None, {})), a, b)
    assert (none.kind, none.slope_value) == (full.kind, full.slope_value)
