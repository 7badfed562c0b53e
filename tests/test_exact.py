"""core/referee/exact.py: exact values and the slide's derivation through SymPy, and the inputs
kept away from it because SymPy would spend its whole time limit on them."""

from __future__ import annotations

import sympy

from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.referee.exact import (
    MAX_DERIVATION_NESTING,
    MAX_EXACT_NESTING,
    exact_value,
    first_principles,
)
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input
from tests.conftest import nested_text, product_text


def test_exact_values_are_sympys() -> None:
    found = exact_value(parse_expr("sin(x) + x^2"), {"x": parse_expr("pi/4")})
    assert found is not None
    expected = sympy.sqrt(2) / 2 + sympy.pi**2 / 16
    assert sympy.simplify(to_sympy(found) - expected) == 0


def test_shallow_compositions_get_exact_values_and_deep_ones_do_not() -> None:
    at = {"x": parse_expr("1/2")}
    shallow = exact_value(parse_expr(nested_text(MAX_EXACT_NESTING)), at)
    assert shallow is not None and to_input(shallow).count("(") == MAX_EXACT_NESTING
    assert exact_value(parse_expr(nested_text(MAX_EXACT_NESTING + 1)), at) is None


def test_the_slides_derivation_and_where_it_stops() -> None:
    rows = first_principles(parse_expr("x^2"), "x", parse_expr("2"), {})
    assert [to_input(r) for r in rows] == ["((2 + h)^2 - 4)/h", "4 + h", "4"]
    deep = first_principles(parse_expr(nested_text(MAX_DERIVATION_NESTING + 1)), "x", None, {})
    assert deep == []
    shallow = first_principles(parse_expr(nested_text(2)), "x", parse_expr("1/2"), {})
    assert shallow and to_input(shallow[-1]) == "-cos(cos(1/2))*sin(1/2)"


def test_no_derivation_for_functions_bigger_than_a_slide() -> None:
    from deriv_lecture.core.referee.exact import MAX_DERIVATION_NODES
    from deriv_lecture.core.syntax.tree import size

    product = parse_expr(product_text(79))
    assert size(product) > MAX_DERIVATION_NODES
    assert first_principles(product, "x", parse_expr("1"), {}) == []


def test_tidying_never_makes_bigger_numbers() -> None:
    # simplify folds c·ln(r) into ln(r^c): 10 ln(0.49) became ln(79792266297612001/1e20),
    # and in the intercept of this tangent a 461,000-bit number that broke the printer.
    from deriv_lecture.core.syntax.tree import Num, walk

    expr = parse_expr("(atan(x) - 2/x)^2 (x + ln(x^2))")
    found = exact_value(expr, {"x": parse_expr("0.7")})
    assert found is not None
    biggest = max(
        max(n.value.numerator, n.value.denominator) for n in walk(found) if isinstance(n, Num)
    )
    assert biggest < 10**6, to_input(found)
    value = sympy.N(to_sympy(found), 20)
    x = sympy.Rational(7, 10)
    assert abs(value - ((sympy.atan(x) - 2 / x) ** 2 * (x + sympy.log(x**2)))) < 1e-15
