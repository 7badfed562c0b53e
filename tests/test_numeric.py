"""core/numeric/estimates.py: the limit table, the best estimate and its error bar, one-sided
slopes."""

import math

import pytest

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.estimates import (
    QUOTIENT_STEPS,
    SECANT_STEPS,
    average_rate,
    best_estimate,
    rate_table,
)
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.parser import parse_expr


def function(source: str):  # type: ignore[no-untyped-def]
    expr = parse_expr(source)
    return lambda t: evaluate(expr, {"x": t})


def exact_slope(source: str, a: float) -> float:
    return evaluate(derive(parse_expr(source), "x").derivative, {"x": a})


SMOOTH = [
    ("x^2", 2.0), ("sin(x)", math.pi / 4), ("e^x", 1.0), ("sqrt(x)", 4.0),
    ("1/(1 + e^-x)", 0.3), ("x^10", 3.0), ("ln(x)", math.e), ("cos(x^3)", 1.0),
    ("x(x+2)(x-2)", 1.0), ("tanh(x)", 0.5), ("1/(x cbrt(x))", 8.0), ("log_2(x)", 2.0),
]  # fmt: skip
HARD = [("sin(1/x)", 0.1), ("sqrt(x)", 1e-6), ("e^(x^2)", 3.0), ("x^10", 3.0)]


@pytest.mark.parametrize(("source", "a"), SMOOTH + HARD)
def test_best_estimate_is_accurate_and_its_bar_covers_the_error(source: str, a: float) -> None:
    estimate = best_estimate(function(source), a)
    true = exact_slope(source, a)
    assert estimate is not None
    assert abs(estimate.value - true) <= estimate.error  # the bar is honest
    assert abs(estimate.value - true) <= 1e-12 * abs(true)  # the worst-case target
    assert estimate.error <= 1e-11 * abs(true)  # and the bar is not uselessly wide


def test_quotient_table_approaches_then_loses_to_round_off() -> None:
    rows = rate_table(function("x^2"), 2.0, 4.0, 4.0, QUOTIENT_STEPS)
    assert [r.step for r in rows] == list(QUOTIENT_STEPS)
    assert rows[0].rate == pytest.approx(4.1)  # ((2 + h)² − 4)/h = 4 + h
    errors = [abs(r.gap) for r in rows if r.gap is not None]
    best = errors.index(min(errors))
    assert 5 <= best <= 9  # the best h is near √ε, not the smallest
    assert errors[-1] > errors[best] * 1000  # and h -> 0 on a computer goes wrong


def test_table_marks_points_outside_the_domain() -> None:
    rows = rate_table(function("sqrt(1 - x)"), 0.95, math.sqrt(0.05), None, QUOTIENT_STEPS)
    assert rows[0].rate is None  # f(1.05) does not exist
    assert rows[1].rate is not None


def test_secants_become_the_tangent() -> None:
    rows = rate_table(function("x^2"), 2.0, 4.0, 4.0, SECANT_STEPS)
    assert [r.step for r in rows] == [2, 1, 0.5, 0.1, 0.01, 0.001]
    assert rows[0].rate == 6.0  # the lecture's secant from 2 to 4
    gaps = [abs(r.gap) for r in rows if r.gap is not None]
    assert gaps == sorted(gaps, reverse=True)


def test_average_rate() -> None:
    assert average_rate(function("x^2"), 2.0, 4.0) == 6.0
    assert average_rate(function("x^2"), -2.0, 2.0) == 0.0
    with pytest.raises(MathError):
        average_rate(function("x^2"), 2.0, 2.0)
