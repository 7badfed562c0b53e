"""Answer-key forms: f' as a textbook key prints it, or smaller.

The keys are written by hand (bench/answer_keys.toml and the issue's worst cases), never
taken from deriv's output; each is checked to be the derivative by SymPy before deriv is
measured against it.
"""

import tomllib
from pathlib import Path

import pytest
import sympy

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.calculus.forms import weight
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_pretty

KEYS = tomllib.loads((Path(__file__).parent.parent / "bench/answer_keys.toml").read_text())
PROBLEMS = [(p["expr"], p["key"]) for p in KEYS["problem"]]

# The worst cases: what a key prints.
WORST = [
    ("atan((1+x)/(1-x))", "1/(1 + x^2)"),
    ("ln(sec(x) + tan(x))", "sec(x)"),
    ("(x^2-1)/(x-1)", "1"),
    ("tan(x) - sin(x)/cos(x)", "0"),
    ("x/sqrt(x^2+4)", "4/(x^2 + 4)^(3/2)"),
    ("(3x-1)^4 (2x+5)^3", "6(3x - 1)^3 (2x + 5)^2 (7x + 9)"),
    ("ln(abs(x))", "1/x"),
    ("x abs(x)", "2abs(x)"),
    ("x e^(-x^2)", "(1 - 2x^2) e^(-x^2)"),
    ("e^(ln(x))", "1"),
    ("ln(cos(x)^2)", "-2tan(x)"),
    ("cbrt(x^2)", "2/(3cbrt(x))"),
    ("1/tan(x)", "-csc(x)^2"),
]


def _is_derivative(f: str, key: str) -> bool:
    x = sympy.Symbol("x", real=True)
    symbols = {"x": x}
    gap = sympy.diff(to_sympy(parse_expr(f), symbols), x) - to_sympy(parse_expr(key), symbols)
    points = (sympy.Rational(37, 100), sympy.Rational(61, 100), sympy.Rational(13, 10))
    return all(abs(complex(gap.subs(x, point).evalf(30))) < 1e-20 for point in points)


@pytest.mark.parametrize(("f", "key"), PROBLEMS + WORST, ids=[f for f, _ in PROBLEMS + WORST])
def test_f_prime_is_at_most_the_keys_size(f: str, key: str) -> None:
    assert _is_derivative(f, key), "the key itself is wrong"
    ours = derive(parse_expr(f), "x", key_forms=True).derivative
    assert weight(ours) <= weight(parse_expr(key)), to_pretty(ours)
    assert _is_derivative(f, to_pretty(ours))  # the printed form, read back, is f'


@pytest.mark.parametrize(
    ("f", "printed"),
    [
        ("atan((1+x)/(1-x))", "1/(x² + 1)"),
        ("(3x-1)^4 (2x+5)^3", "6(2x + 5)²(3x − 1)³(7x + 9)"),
        ("ln(abs(x))", "1/x"),
        ("x abs(x)", "2|x|"),
        ("cbrt(x^2)", "2/(3∛x)"),
        ("1/tan(x)", "−csc²(x)"),
        ("ln(cos(x)^2)", "−2 tan(x)"),
        ("sin(x) - 1/sqrt(x)", "cos(x) + 1/(2x^(3/2))"),  # no ᐟ: many fonts lack it
        ("e^sin(x)", "e^(sin(x)) cos(x)"),  # not e^sin(x) cos(x)
        ("x^3 - x^4", "−4x³ + 3x²"),  # highest power first
        ("x_1^2", "2x₁"),
    ],
)
def test_printing_pinned(f: str, printed: str) -> None:
    x = "x_1" if "x_1" in f else "x"
    assert to_pretty(derive(parse_expr(f), x, key_forms=True).derivative) == printed


def test_a_cancelled_factor_is_named() -> None:
    derivation = derive(parse_expr("(x^2 - 1)/(x - 1)"), "x", key_forms=True)
    assert any("x ≠ 1" in note for note in derivation.notes)


@pytest.mark.parametrize(
    ("f", "y_form"),
    [
        ("1/(1 + e^-x)", "y(1 − y)"),  # the lecture's own form stays
        ("1/(1 + e^-(2x + 1))", "2y(1 − y)"),
        ("1/(1 + e^x)", "−y(1 − y)"),
        ("1/(1 + e^(-3x))", "3y(1 − y)"),
        ("1/(1 + e^(-x/2))", "y(1 − y)/2"),
    ],
)
def test_logistic_y_forms_factor_as_a_key_does(f: str, y_form: str) -> None:
    derivation = derive(parse_expr(f), "x", key_forms=True)
    assert derivation.in_terms_of_y is not None
    assert to_pretty(derivation.in_terms_of_y) == y_form
    # and it is f' with y = f, by SymPy
    x = sympy.Symbol("x", real=True)
    f_sym = to_sympy(parse_expr(f), {"x": x})
    y_sym = to_sympy(derivation.in_terms_of_y, {"y": sympy.Symbol("y")})
    gap = sympy.diff(f_sym, x) - y_sym.subs(sympy.Symbol("y"), f_sym)
    assert abs(float(gap.subs(x, 0.4))) < 1e-12
