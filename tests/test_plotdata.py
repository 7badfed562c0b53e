"""core/numeric/plotdata.py: the picture as data — curve samples, tangent, secant, gaps."""

import math

import pytest

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.plotdata import PlotData, plot_data
from deriv_lecture.core.numeric.point import analyze
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.syntax.parser import parse_expr


def picture(source: str, at: str, to: str | None = None) -> PlotData:
    expr = parse_expr(source)
    problem = Problem((expr,), ("x",), Point.of({"x": parse_expr(at)}))
    analysis = analyze(problem, derive(expr, "x").derivative,
                       to and parse_expr(to), with_limits=False)  # fmt: skip
    return plot_data(expr, analysis, {})


def test_lecture_picture_parabola_secant_tangent() -> None:
    data = picture("x^2", "2", "4")
    lo, hi = data.x_range
    assert lo < 2 < 4 < hi
    for run in data.curve:
        for x, y in run:
            assert y == pytest.approx(x * x)
    assert data.point == (2.0, 4.0)
    assert data.secant == ((2.0, 4.0), (4.0, 16.0))  # slope 6
    (((x0, y0), (x1, y1)),) = data.tangents
    assert (y1 - y0) / (x1 - x0) == pytest.approx(4)  # slope 4
    assert y0 == pytest.approx(4 * x0 - 4) and y1 == pytest.approx(4 * x1 - 4)
    assert data.y_range[0] < 4 < 16 < data.y_range[1]


def test_sin_at_pi_over_4() -> None:
    data = picture("sin(x)", "pi/4")
    (((x0, y0), (x1, y1)),) = data.tangents
    assert (y1 - y0) / (x1 - x0) == pytest.approx(math.sqrt(2) / 2)
    assert data.x_range[0] < math.pi / 4 < data.x_range[1]


def test_pole_is_a_gap_not_a_line() -> None:
    data = picture("1/x", "1")
    assert len(data.curve) == 2  # left and right of the asymptote
    assert all((x < 0) == (run[0][0] < 0) for run in data.curve for x, _ in run)
    for run in data.curve:
        for x, y in run:
            assert y == pytest.approx(1 / x)


def test_domain_gap() -> None:
    data = picture("ln(x)", "1")
    assert all(x > 0 for run in data.curve for x, _ in run)


def test_kink_draws_both_one_sided_tangents() -> None:
    data = picture("abs(x)", "0")
    assert len(data.tangents) == 2
    (left_start, left_end), (right_start, right_end) = data.tangents
    assert left_end == right_start == (0.0, 0.0)
    assert (left_end[1] - left_start[1]) / (left_end[0] - left_start[0]) == pytest.approx(-1)
    assert (right_end[1] - right_start[1]) / (right_end[0] - right_start[0]) == pytest.approx(1)


def test_vertical_tangent_is_vertical() -> None:
    data = picture("cbrt(x)", "0")
    (((x0, _), (x1, _)),) = data.tangents
    assert x0 == x1 == 0.0


def test_samples_follow_f() -> None:
    expr = parse_expr("e^x sin(3x)")
    data = picture("e^x sin(3x)", "0.5")
    for run in data.curve:
        for x, y in run[::37]:
            assert y == pytest.approx(evaluate(expr, {"x": x}))
