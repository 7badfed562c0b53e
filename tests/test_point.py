"""core/numeric/point.py: the lecture's numbers at a point, kinks, vertical tangents, domains."""

import pytest

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import DomainError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.point import PointAnalysis, analyze
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input, to_pretty


def at(source: str, point: str, to: str | None = None, **lets: str) -> PointAnalysis:
    expr = parse_expr(source)
    derivative = derive(expr, "x").derivative
    values = {name: parse_expr(v) for name, v in lets.items()}
    problem = Problem((expr,), ("x",), Point.of({"x": parse_expr(point)}), Point.of(values))
    return analyze(problem, derivative, to and parse_expr(to))


def test_lecture_x_squared_at_2() -> None:
    result = at("x^2", "2", to="4")
    assert result.f_value == 4 and result.slope_value == 4
    assert to_input(result.slope_exact) == "4"
    assert result.tangent is not None and to_input(result.tangent.equation) == "4*x - 4"
    assert result.tangent.slope_value == 4 and result.tangent.intercept_value == -4
    assert result.normal is not None and result.normal.slope_value == -0.25
    assert result.average is not None and result.average.rate_value == 6
    assert to_input(result.average.rate) == "6"
    assert [to_pretty(r) for r in result.first_principles] == ["((2 + h)² − 4)/h", "4 + h", "4"]
    assert [to_pretty(r) for r in result.general_first_principles] == [
        "((x + h)² − x²)/h", "2x + h", "2x",
    ]  # fmt: skip


@pytest.mark.parametrize(("point", "slope"), [("-2", -4.0), ("0", 0.0), ("2", 4.0)])
def test_lecture_slopes_of_x_squared(point: str, slope: float) -> None:
    assert at("x^2", point).slope_value == slope


def test_symmetric_interval_average_is_zero() -> None:
    result = at("x^2", "-2", to="2")
    assert result.average is not None and result.average.rate_value == 0


def test_sin_at_pi_over_4_is_exact() -> None:
    result = at("sin(x)", "pi/4")
    assert to_pretty(result.slope_exact) == "√2/2"
    assert to_pretty(result.f_exact) == "√2/2"


def test_horizontal_tangent_has_a_vertical_normal() -> None:
    result = at("x(x+2)(x-2)", "2/sqrt(3)")
    assert result.slope_value == pytest.approx(0, abs=1e-12)
    assert result.normal is not None and result.normal.vertical_at is not None


@pytest.mark.parametrize(
    ("source", "kind", "left", "right"),
    [
        ("abs(x)", "kink", -1, 1),
        ("relu(x)", "kink", 0, 1),
        ("max(x, x^2)", "kink", 0, 1),
        ("x abs(x)", "smooth", 0, 0),
    ],
)
def test_kinks_are_decided_by_one_sided_slopes(
    source: str, kind: str, left: float, right: float
) -> None:
    result = at(source, "0")
    assert result.kind == kind
    assert result.differentiable is (kind == "smooth")
    if kind == "smooth":  # differentiable where f is not smooth: the slope is exact
        assert result.slope_exact is not None and to_input(result.slope_exact) == str(left)
        return
    assert result.left is not None and result.left.value == left
    assert result.right is not None and result.right.value == right
    if kind == "kink":  # never SymPy's sign(0) = 0 or Heaviside(0) = 1/2
        assert result.slope_value is None and result.slope_exact is None
        assert result.estimate is None


def test_max_kink_at_one() -> None:
    result = at("max(x, x^2)", "1")
    assert result.kind == "kink"
    assert result.left is not None and result.left.value == 1
    assert result.right is not None and result.right.value == 2


@pytest.mark.parametrize("source", ["sqrt(x)", "cbrt(x)"])
def test_vertical_tangents_are_named(source: str) -> None:
    result = at(source, "0")
    assert result.kind == "vertical tangent"
    assert result.tangent is not None and result.tangent.vertical_at is not None


def test_jumps_are_not_slopes() -> None:
    assert at("sign(x)", "0").kind == "discontinuous"
    assert at("1 if x >= 0 else 0", "0").kind == "discontinuous"


@pytest.mark.parametrize(
    ("source", "point", "fragment"),
    [
        ("ln(x)", "-1", "ln is defined for positive numbers"),
        ("1/x", "0", "division by zero"),
        ("tan(x)", "pi/2", "pole"),
        ("sqrt(x)", "-1", "sqrt"),
        ("x^(1/3)", "-8", "cbrt"),
        ("0^x", "0", "0 to a power that is not positive"),
    ],
)
def test_outside_the_domain_is_a_math_error(source: str, point: str, fragment: str) -> None:
    with pytest.raises(DomainError, match=fragment.replace("^", r"\^")):
        at(source, point)


def test_cube_root_of_a_negative_is_fine() -> None:
    assert at("cbrt(x)", "-8").f_value == pytest.approx(-2)


def test_parameters_without_values_stay_exact() -> None:
    result = at("(a - x)^2", "1")
    assert to_input(result.slope_exact) == "2 - 2*a"
    assert result.f_value is None and result.table == ()
    assert result.notes and "a has no value" in result.notes[0]
    given = at("(a - x)^2", "1", a="3")
    assert given.slope_value == -4 and given.f_value == 4


def test_points_must_be_constant() -> None:
    with pytest.raises(UsageError):
        at("x^2", "y")
    with pytest.raises(UsageError):
        at("x^2", "2", to="2")


@pytest.mark.parametrize(
    ("source", "point", "tangent", "normal"),
    [
        ("x^2", "2", "y = 4x − 4", "y = −x/4 + 9/2"),
        ("x^3 - 3x", "2", "y = 9x − 16", "y = −x/9 + 20/9"),
        ("sqrt(x)", "4", "y = x/4 + 1", "y = −4x + 18"),
        ("sin(x)", "pi/4", "y = √2·x/2 + √2·(4 − π)/8", "y = −√2·x + √2·(2 + π)/4"),
    ],
)
def test_lines_read_slope_first(source: str, point: str, tangent: str, normal: str) -> None:
    result = at(source, point)
    assert result.tangent is not None and result.normal is not None
    assert f"y = {to_pretty(result.tangent.equation)}" == tangent
    assert f"y = {to_pretty(result.normal.equation)}" == normal
    for line in (result.tangent, result.normal):  # the same line as slope and intercept say
        assert line.slope_value is not None and line.intercept_value is not None
        for x in (0.0, 1.5):
            expected = line.slope_value * x + line.intercept_value
            assert evaluate(line.equation, {"x": x}) == pytest.approx(expected, rel=1e-12)
