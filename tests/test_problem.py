"""core/problem.py: what a command is asked, one value; a point of several variables
represented, evaluated and computed exactly (checked against SymPy)."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deriv_lecture.core.errors import ParseError, UsageError
from deriv_lecture.core.problem import Point, Problem, read_problem
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Num
from tests.conftest import examples

X, Y = sympy.symbols("x y", real=True)


@pytest.mark.parametrize(
    ("source", "x", "y"),
    [("x^2 y", "2", "3"), ("sin(y) x", "1", "pi/6"), ("e^(x y)", "ln(2)", "3"),
     ("sqrt(x^2 + y^2)", "3", "4"), ("atan(y/x)", "1", "sqrt(3)"), ("x^y", "2", "1/2")],
)  # fmt: skip
def test_a_point_of_two_variables(source: str, x: str, y: str) -> None:
    point = Point.of({"x": parse_expr(x), "y": parse_expr(y)})
    assert set(point) == {"x", "y"} and len(point) == 2 and point["y"] == parse_expr(y)
    expr = parse_expr(source)
    at = {X: to_sympy(parse_expr(x), {}), Y: to_sympy(parse_expr(y), {})}
    truth = to_sympy(expr, {"x": X, "y": Y}).subs(at)
    assert point.value(expr) == pytest.approx(float(truth.evalf(30)), rel=1e-14)
    exact = to_sympy(point.exact(expr), {})
    assert sympy.simplify(exact - truth) == 0


@settings(max_examples=examples(200), deadline=None, derandomize=True)
@given(st.fractions(-5, 5, max_denominator=7), st.fractions(-5, 5, max_denominator=7))
def test_exact_values_at_rational_points_are_sympys(a: Fraction, b: Fraction) -> None:
    expr = parse_expr("x^3 y - 2x y^2 + (x - y)^2/3")
    point = Point.of({"x": Num(a), "y": Num(b)})
    truth = (X**3 * Y - 2 * X * Y**2 + (X - Y) ** 2 / 3).subs(
        {X: sympy.Rational(a), Y: sympy.Rational(b)}
    )
    assert point.exact(expr) == Num(Fraction(int(truth.p), int(truth.q)))  # type: ignore[attr-defined]


def test_parameters_are_a_point_too() -> None:
    lets = Point.of({"a": parse_expr("3")})
    point = Point.of({"x": parse_expr("2")})
    assert point.value(parse_expr("a x^2"), lets) == 12.0
    assert point.exact(parse_expr("a x^2"), lets) == Num(Fraction(12))


def test_a_problem_of_one_function_and_one_variable() -> None:
    problem = read_problem("sin(t - tau)", "t", "pi/2", {"tau": parse_expr("1")})
    assert problem.var == "t" and problem.at == parse_expr("pi/2")
    assert dict(problem.lets) == {"tau": parse_expr("1")}
    several = Problem((parse_expr("x y"),), ("x", "y"))
    with pytest.raises(ValueError):
        _ = several.var  # a gradient's problem has no single variable


def test_reading_errors_name_their_option() -> None:
    with pytest.raises(ParseError) as bad:
        read_problem("x^2", None, "2 +")
    assert bad.value.message.startswith("--at:")
    with pytest.raises(UsageError):
        read_problem("x^2", None, None, {"x": parse_expr("3")})  # --let of the variable
