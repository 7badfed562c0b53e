"""core/calculus/expand.py: the other forms the simplifier weighs, each bounded and each the same
function as what it was given."""

from __future__ import annotations

import pytest

from deriv_lecture.core.calculus.expand import (
    MAX_EXPANDED_POWER,
    expand,
    expand_sums,
    join_denominators,
)
from deriv_lecture.core.calculus.normal import Normalizer
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr


def normal(source: str) -> Expr:
    return Normalizer("x").run(parse_expr(source))  # what the simplifier hands over


POINTS = (0.3, 1.7, -2.2)


def same_function(before: str, after: object) -> bool:
    first = parse_expr(before)
    return all(
        evaluate(after, {"x": x}) == pytest.approx(evaluate(first, {"x": x}), rel=1e-12)  # type: ignore[arg-type]
        for x in POINTS
    )


@pytest.mark.parametrize(
    ("transform", "source", "shown"),
    [
        (expand, "(x + 1)(x - 1)", "x*x + x*(-1) + x + (-1)"),
        (expand_sums, "(x (x + 1) + 1)/x^2", "x^(-2)*(x*x + x*1 + 1)"),
        (join_denominators, "x^-2 (1 + x^-2)^-1", "(x^2*1 + x^2*x^(-2))^(-1)"),
    ],
)
def test_each_form_is_the_same_function(transform: object, source: str, shown: str) -> None:
    result = transform(normal(source))  # type: ignore[operator]
    assert result is not None and to_input(result) == shown
    assert same_function(source, result)


@pytest.mark.parametrize(
    ("transform", "source"),
    [
        (expand, "(x+1)(x+2)(x+3)(x+4)(x+5)(x+6)(x+7)(x+8)"),  # 256 terms > 200
        (expand_sums, "sin(x) + x"),  # nothing to multiply out
        (join_denominators, "x^-2 sin(x)^-1"),  # no sum below the line
    ],
)
def test_too_big_or_unchanged_is_none(transform: object, source: str) -> None:
    assert transform(normal(source)) is None  # type: ignore[operator]


def test_powers_past_the_bound_stay_powers() -> None:
    power = normal(f"(x + 1)^{MAX_EXPANDED_POWER + 1}")
    assert expand(power) == power
    multiplied = expand(normal("(x + 1)^7"))  # 2⁷ = 128 products, under the 200 allowed
    assert multiplied is not None and to_input(multiplied).count(" + ") == 127
