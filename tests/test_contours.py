"""core/numeric/contours.py and the gradient's contour map: level curves lie on their levels,
the curve through the point is f = f(a), ∇f is drawn along SymPy's gradient and
perpendicular to that curve, the --dir line passes through a along u, the window keeps
equal scales, and no curve is drawn where f has no value."""

from __future__ import annotations

import functools
import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    standard_transformations,
)
from sympy.parsing.sympy_parser import parse_expr as parse_expr_sympy

from deriv_lecture.cli.braille import AXIS, CURVE, POINT, SECANT, TANGENT, draw_contours
from deriv_lecture.core.errors import UsageError
from deriv_lecture.core.numeric.contours import ContourData, contour_data
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.problem import read_several
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.lists import parse_vector
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.partials import contour_map, gradient
from tests.conftest import examples

X, Y = sympy.symbols("x y", real=True)
READ_AS_TYPED = (*standard_transformations, implicit_multiplication_application, convert_xor)


@pytest.fixture(autouse=True)
def engine_only():  # type: ignore[no-untyped-def]
    with budget(0):  # the picture never asks SymPy; the gradient's tidying need not either
        yield


def sympy_gradient(source: str, a: float, b: float) -> tuple[float, float]:
    f = parse_expr_sympy(source, {"x": X, "y": Y, "e": sympy.E}, transformations=READ_AS_TYPED)
    return tuple(float(sympy.diff(f, v).subs({X: a, Y: b})) for v in (X, Y))  # type: ignore[return-value]


def data_for(
    source: str, a: float, b: float, unit: tuple[float, float] | None = None
) -> ContourData:
    return contour_data(parse_expr(source), ("x", "y"), (a, b), {},
                        sympy_gradient(source, a, b), unit)  # fmt: skip


@functools.lru_cache(maxsize=64)
def compiled(source: str) -> Expr:
    return parse_expr(source)


def value(source: str, p: tuple[float, float]) -> float:
    return evaluate(compiled(source), {"x": p[0], "y": p[1]})


def nearest_direction(data: ContourData) -> tuple[float, float]:
    """The direction of the point's level curve next to the point."""
    a, b = data.point
    (p, q) = min(data.point_curve, key=lambda s: math.dist(s[0], (a, b)) + math.dist(s[1], (a, b)))
    length = math.dist(p, q)
    return (q[0] - p[0]) / length, (q[1] - p[1]) / length


CASES = [  # (f, a, b): smooth at the point with ∇f(a) ≠ 0
    ("x^2 y + sin(x y)", 1.0, 2.0),
    ("x^2 + 4y^2", 1.0, -0.5),
    ("x^2 - y^2", 2.0, 1.0),
    ("e^(x y)", 0.5, -1.0),
    ("ln(x^2 + y^2)", 3.0, 4.0),
    ("x y / (1 + x^2)", -1.5, 2.5),
]


@pytest.mark.parametrize(("source", "a", "b"), CASES)
def test_the_level_curve_through_the_point_is_f_equal_f_of_a(
    source: str, a: float, b: float
) -> None:
    data = data_for(source, a, b)
    fa = value(source, (a, b))
    assert data.f_value == pytest.approx(fa)
    assert data.point_curve and data.spacing is not None
    for segment in data.point_curve:
        for p in segment:  # the grid's linear interpolation: far nearer f(a) than a level apart
            assert abs(value(source, p) - fa) < data.spacing / 4


@pytest.mark.parametrize(("source", "a", "b"), CASES)
def test_other_curves_lie_on_levels_spaced_evenly_from_f_of_a(
    source: str, a: float, b: float
) -> None:
    data = data_for(source, a, b)
    assert data.spacing is not None
    for segment in data.curves:
        for p in segment:
            steps = (value(source, p) - data.f_value) / data.spacing
            assert abs(steps - round(steps)) < 0.25 and round(steps) != 0


@pytest.mark.parametrize(("source", "a", "b"), CASES)
def test_the_arrow_follows_sympys_gradient_and_crosses_the_level_curve_at_a_right_angle(
    source: str, a: float, b: float
) -> None:
    data = data_for(source, a, b)
    gx, gy = sympy_gradient(source, a, b)
    norm = math.hypot(gx, gy)
    (start, tip), *head = data.arrow
    assert start == (a, b) and len(head) == 2
    shaft = (tip[0] - a, tip[1] - b)
    length = math.hypot(*shaft)
    assert shaft[0] / length == pytest.approx(gx / norm, abs=1e-12)
    assert shaft[1] / length == pytest.approx(gy / norm, abs=1e-12)
    tx, ty = nearest_direction(data)
    assert abs(tx * gx / norm + ty * gy / norm) < 0.1  # cos of the angle: about 90°


@given(
    st.sampled_from(CASES),
    st.floats(0, 2 * math.pi).map(lambda t: (math.cos(t), math.sin(t))),
    st.sampled_from([1.0, 2.0, 1.5]),
)
@settings(max_examples=examples(200), deadline=None)
def test_the_direction_line_passes_through_a_along_u_and_the_scales_are_equal(
    case: tuple[str, float, float], unit: tuple[float, float], aspect: float
) -> None:
    source, a, b = case
    data = contour_data(parse_expr(source), ("x", "y"), (a, b), {}, None, unit, aspect)
    assert data.direction is not None
    (x0, y0), (x1, y1) = data.direction
    cross = (x1 - x0) * (b - y0) - (y1 - y0) * (a - x0)  # a is on the line
    assert abs(cross) < 1e-9 * math.dist((x0, y0), (x1, y1)) ** 2
    along = ((x1 - x0) * unit[0] + (y1 - y0) * unit[1]) / math.dist((x0, y0), (x1, y1))
    assert along == pytest.approx(1)
    (x_lo, x_hi), (y_lo, y_hi) = data.x_range, data.y_range
    assert (x_hi - x_lo) / (y_hi - y_lo) == pytest.approx(aspect)
    assert x_lo < a < x_hi and y_lo < b < y_hi
    assert data.arrow == ()  # no gradient given: no arrow


@given(
    st.tuples(*[st.integers(-3, 3)] * 5).filter(lambda c: c[0] or c[1] or c[2]),
    st.integers(-3, 3),
    st.integers(-3, 3),
)
@settings(max_examples=examples(150), deadline=None)
def test_quadratics_level_curves_lie_on_their_levels(
    coefficients: tuple[int, ...], a: int, b: int
) -> None:
    p, q, r, s, t = coefficients
    source = f"({p}) x^2 + ({q}) x y + ({r}) y^2 + ({s}) x + ({t}) y"
    gradient = (2 * p * a + q * b + s, q * a + 2 * r * b + t)  # by hand: a quadratic's
    data = contour_data(compiled(source), ("x", "y"), (a, b), {}, gradient)
    if data.spacing is None:
        return
    for segment in (*data.curves, *data.point_curve):
        for point in segment:
            steps = (value(source, point) - data.f_value) / data.spacing
            assert abs(steps - round(steps)) < 0.25


def test_no_curve_is_drawn_where_f_has_no_value() -> None:
    source = "ln(x y)"  # defined where x y > 0 only
    data = data_for(source, 1.0, 0.5)
    assert data.curves or data.point_curve
    for segment in (*data.curves, *data.point_curve):
        for x, y in segment:
            assert x * y > 0


def test_a_constant_has_one_level_and_no_spacing() -> None:
    data = contour_data(parse_expr("3 + 0 x y"), ("x", "y"), (1.0, 1.0), {}, (0.0, 0.0))
    assert data.spacing is None and data.curves == () and data.arrow == ()


def test_the_map_of_a_gradient_result_uses_the_other_coordinates_and_lets() -> None:
    # f(x, y, z) with --wrt x,y at z = 2 and a parameter k: the map is of f(x, y, 2).
    problem = read_several("k x^2 + y z", "x,y", None, "x=1,y=1,z=2", {"k": parse_expr("3")})
    data = contour_map(gradient(problem, parse_vector("1,1", "--dir")))
    assert data.names == ("x", "y") and data.f_value == pytest.approx(3 + 2)
    (start, tip) = data.arrow[0]
    assert (tip[1] - start[1]) / (tip[0] - start[0]) == pytest.approx(2 / 6)  # ∇f = (6, 2)
    assert data.direction is not None


def test_a_map_needs_two_variables_and_a_point() -> None:
    for wrt, at in (("x,y,z", "x=1,y=1,z=2"), ("x,y", None)):
        problem = read_several("x y z", wrt, None, at, {})
        with pytest.raises(UsageError):
            contour_map(gradient(problem))


def test_no_arrow_where_f_has_no_gradient() -> None:
    problem = read_several("sqrt(x^2 + y^2)", None, None, "x=0,y=0", {}, every_symbol=True)
    data = contour_map(gradient(problem))
    assert data.gradient is None and data.arrow == ()


def test_braille_map_marks_the_point_in_its_cell_and_keeps_every_layer() -> None:
    data = data_for("x^2 y + sin(x y)", 1.0, 2.0, (2 / 29**0.5, 5 / 29**0.5))
    cells = draw_contours(data, columns=64, rows=16)
    assert len(cells) == 16 and all(len(row) == 64 for row in cells)
    layers = {layer for row in cells for _, layer in row}
    assert {AXIS, CURVE, SECANT, TANGENT, POINT} <= layers
    # (1, 2) in the window x ∈ [−1, 3], y ∈ [1, 3]: dot column 63.5 of 128, row 31.5 of 64.
    marked = [(r, c) for r, row in enumerate(cells) for c, (_, layer) in enumerate(row)
              if layer == POINT]  # fmt: skip
    assert all(7 <= r <= 8 and 31 <= c <= 32 for r, c in marked) and marked
