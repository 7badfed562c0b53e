"""core/referee/crosscheck.py: SymPy agrees with right answers and catches wrong ones."""

import pytest

from deriv_lecture.core.referee.crosscheck import compare_with_sympy, to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from tests.conftest import product_text


@pytest.mark.parametrize(
    ("source", "derivative"),
    [
        ("x^2", "2x"),
        ("cos(x^3)", "-3x^2 sin(x^3)"),
        ("1/(1 + e^-x)", "e^-x/(1 + e^-x)^2"),
        ("abs(x)", "sign(x)"),
        ("relu(x)", "1 if x > 0 else 0"),
        ("cbrt(x)", "1/(3 cbrt(x)^2)"),
        ("log_2(x)", "1/(x ln(2))"),
        ("acosh(x)", "1/sqrt(x^2 - 1)"),
    ],
)
def test_agrees_with_correct_derivatives(source: str, derivative: str) -> None:
    verdict = compare_with_sympy(parse_expr(source), parse_expr(derivative), "x")
    assert verdict.agrees is True
    assert verdict.points_checked >= 3


@pytest.mark.parametrize(
    ("source", "wrong"),
    [
        ("x^2", "2"),
        ("cos(x^3)", "3x^2 sin(x^3)"),
        ("-2/x^3", "6/x^2"),
        ("abs(x)", "1"),  # right only for x > 0: must not be fooled by part of the domain
        ("x^3", "3x^2 + (x - 0.37)(x - 1.3)"),  # right at two of the sample points
    ],
)
def test_catches_wrong_derivatives(source: str, wrong: str) -> None:
    verdict = compare_with_sympy(parse_expr(source), parse_expr(wrong), "x")
    assert verdict.agrees is False
    assert verdict.counterexample is not None
    at, ours, theirs = verdict.counterexample
    assert ours != pytest.approx(theirs)


def test_tree_goes_to_sympy_node_by_node() -> None:
    import sympy

    x = sympy.Symbol("x", real=True)
    built = to_sympy(parse_expr("e^x ln(x) + log_2(x) + |x|"), {"x": x})
    assert (
        sympy.simplify(
            built - (sympy.exp(x) * sympy.log(x) + sympy.log(x) / sympy.log(2) + sympy.Abs(x))
        )
        == 0
    )


def test_trees_too_big_to_check_in_time_are_not_given_to_sympy() -> None:
    from deriv_lecture.core.calculus.rules import differentiate
    from deriv_lecture.core.referee.crosscheck import MAX_SYMPY_NODES
    from deriv_lecture.core.syntax.tree import size

    # 120 factors: the derivative has ~43,000 nodes; SymPy alone would spend seconds.
    expr = parse_expr(product_text(120))
    derivative = differentiate(expr, "x").result
    assert size(derivative) > MAX_SYMPY_NODES
    verdict = compare_with_sympy(expr, derivative, "x")
    assert verdict.agrees is None and verdict.method == "none"
    assert verdict.sympy_derivative.startswith(f"not asked: {size(derivative):,} nodes")
