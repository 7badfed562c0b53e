"""core/numeric/evaluate.py: real values, and the domain made explicit."""

import math

import pytest

from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.parser import parse_expr
from tests.conftest import nested_text


@pytest.mark.parametrize(
    ("source", "x", "value"),
    [
        ("x^2", 2, 4),
        ("cbrt(x)", -8, -2),
        ("sin(x)", math.pi / 6, 0.5),
        ("log_2(x)", 8, 3),
        ("abs(x)", -3, 3),
        ("relu(x)", -3, 0),
        ("max(x, 1)", 3, 3),
        ("sigmoid(x)", 0, 0.5),
        ("sigmoid(x)", -1000, 0),
        ("x^2 if x >= 1 else 2x - 1", 0, -1),
        ("x^2 if x >= 1 else 2x - 1", 3, 9),
        ("sec(x)", 0, 1),
        ("(-2)^3", 0, -8),
        ("asec(x)", 2, math.pi / 3),
    ],
)
def test_values(source: str, x: float, value: float) -> None:
    assert evaluate(parse_expr(source), {"x": x}) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize(
    ("source", "x"),
    [
        ("sqrt(x)", -1),
        ("ln(x)", 0),
        ("ln(x)", -1),
        ("1/x", 0),
        ("x^(1/3)", -8),
        ("0^x", -1),
        ("asin(x)", 2),
    ],
)
def test_outside_the_domain(source: str, x: float) -> None:
    with pytest.raises(MathError):
        evaluate(parse_expr(source), {"x": x})


def test_domain_errors_are_sentences() -> None:
    with pytest.raises(DomainError, match="cbrt"):
        evaluate(parse_expr("x^(1/3)"), {"x": -8})


def test_overflow_is_a_clear_error_not_inf() -> None:
    with pytest.raises(MathError, match="too large"):
        evaluate(parse_expr("e^x"), {"x": 1e6})


def test_big_shared_trees_are_walked_once_per_node_with_the_same_value() -> None:
    from deriv_lecture.core.calculus.rules import differentiate
    from deriv_lecture.core.numeric.evaluate import SHARED_WALK_NODES, _value
    from deriv_lecture.core.syntax.tree import size

    derivative = differentiate(parse_expr(nested_text(100)), "x").result
    assert size(derivative) > SHARED_WALK_NODES
    memo: dict[int, float] = {}
    assert evaluate(derivative, {"x": 0.7}) == _value(derivative, {"x": 0.7}, None)
    assert _value(derivative, {"x": 0.7}, memo) == _value(derivative, {"x": 0.7}, None)
    assert len(memo) < size(derivative) / 10  # the chain rule's u is shared, not copied
