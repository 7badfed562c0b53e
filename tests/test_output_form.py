"""The derivative in terms of y = f(x): found where it is a small polynomial in y,
refused otherwise, and never thrown off by values too large for a float."""

from __future__ import annotations

import pytest

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.calculus.output_form import in_terms_of_output
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input


@pytest.mark.parametrize(
    ("source", "expected"),
    [("1/(1 + e^-x)", "y*(1 - y)"), ("e^x", "y"), ("tanh(x)", "1 - y^2"), ("tan(x)", "1 + y^2")],
)
def test_small_polynomials_in_y_are_found(source: str, expected: str) -> None:
    expr = parse_expr(source)
    found = in_terms_of_output(expr, derive(expr, "x").derivative, "x")
    assert found is not None and to_input(found) == expected


@pytest.mark.parametrize("source", ["x^2", "sin(x)", "x e^x"])
def test_no_polynomial_in_y_means_none(source: str) -> None:
    expr = parse_expr(source)
    assert in_terms_of_output(expr, derive(expr, "x").derivative, "x") is None


def test_squares_past_the_float_range_do_not_break_the_fit() -> None:
    # y = e^(x + 400) is about 1e174, so y² is inf: the fit gave NaN, then a ValueError.
    expr = parse_expr("e^(x + 400)")
    found = in_terms_of_output(expr, derive(expr, "x").derivative, "x")
    assert found is None or to_input(found) == "y"


def test_big_derivatives_are_not_sampled(monkeypatch: pytest.MonkeyPatch) -> None:
    from deriv_lecture.core.calculus import output_form
    from deriv_lecture.core.syntax.tree import size

    text = "x"
    for _ in range(80):
        text = f"sin({text})"
    expr = parse_expr(text)
    derivative = derive(expr, "x").derivative
    assert size(derivative) > output_form.MAX_NODES

    def sampled(*args: object) -> float:
        raise AssertionError("a derivative past MAX_NODES was evaluated")

    monkeypatch.setattr(output_form, "evaluate", sampled)
    assert in_terms_of_output(expr, derivative, "x") is None
