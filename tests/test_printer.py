"""core/syntax/printer.py: ASCII that parses back to the same function, and readable Unicode."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.syntax.tree import Num
from tests.conftest import examples

SOURCES = [
    "x^2", "-x^2", "2^3^2", "e^-x", "2/3x", "x(x+2)(x-2)", "e^x ln(x)", "2 sin(x)", "|x|",
    "log_2(x)", "log(x, a+1)", "sin^2(x)", "sqrt(x+1)", "x^2 if x >= 1 else 2x - 1",
    "1/(1 + e^-x)", "sin(t - tau)", "pi/4", "x^(1/3)", "x^-2", "(x^2)^3", "(-x)^2", "-(a+b)",
    "a-(b-c)", "2*-x", "0.5x", "3x^3 - 2x^2 + 10x - 20", "e^(2x)", "x/(2y)", "x/y/z",
    "x^(y^z)", "2^-1", "(1/3)^x", "-(-x)", "max(x, 1 - x)", "cbrt(x)^2", "a - -b",
    "(x if x > 0 else -x)^2", "sigmoid(x)*relu(x)", "log_1.5(x)", "x^(-1/2)",
]  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_input_syntax_parses_back_to_the_same_text(source: str) -> None:
    text = to_input(parse_expr(source))
    assert to_input(parse_expr(text)) == text
    assert text.isascii()


@pytest.mark.parametrize("source", SOURCES)
def test_input_syntax_is_the_same_function(source: str) -> None:
    original = parse_expr(source)
    reread = parse_expr(to_input(original))
    env = {"x": 0.7, "y": 1.3, "z": 0.4, "a": 2.2, "b": 0.9, "c": 1.1, "t": 0.3, "tau": 0.2}
    assert evaluate(reread, env) == pytest.approx(evaluate(original, env), rel=1e-12)


@pytest.mark.parametrize(
    ("source", "pretty"),
    [
        ("x^2", "x²"),
        ("-x^2", "−x²"),
        ("e^-x", "e⁻ˣ"),
        ("3x^3 - 2x^2 + 10x - 20", "3x³ − 2x² + 10x − 20"),
        ("sqrt(x)", "√x"),
        ("sqrt(x+1)", "√(x + 1)"),
        ("cbrt(x)", "∛x"),
        ("pi/4", "π/4"),
        ("sin(t - tau)", "sin(t − τ)"),
        ("log_2(x)", "log₂(x)"),
        ("abs(x)", "|x|"),
        ("e^x ln(x)", "eˣ ln(x)"),
        ("2 sin(x)", "2 sin(x)"),
        ("x(x+2)", "x(x + 2)"),
        ("x^2 if x >= 1 else 0", "x² if x ≥ 1 else 0"),
        ("e^(2x)", "e²ˣ"),
    ],
)
def test_pretty(source: str, pretty: str) -> None:
    assert to_pretty(parse_expr(source)) == pretty


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(10**200), "1e200"),
        (Fraction(3 * 10**20), "3e20"),
        (Fraction(-12345 * 10**40), "-1.2345e44"),
        (Fraction(1, 10**300), "1e-300"),
        (Fraction(1, 5 * 10**299), "2e-300"),
        (Fraction(1, 4000000), "1/4000000"),  # short enough as it is
        (Fraction(1, 3 * 10**30), "1/3e30"),  # no decimal ends: a fraction of two numbers
        (Fraction(2**100), str(2**100)),  # 31 significant digits: written in full
        (Fraction(123456789012345), "123456789012345"),
        (Fraction(1, 10**15), "0.000000000000001"),
    ],
)
def test_long_numbers_are_written_exactly_and_briefly(value: Fraction, shown: str) -> None:
    assert to_input(Num(value)) == shown
    # read back exactly (−a and a/b parse as a minus sign and a quotient of two numbers)
    assert simplify(parse_expr(to_input(Num(value)))) == Num(value)
    assert to_pretty(Num(value)) == (shown.replace("-", "−", 1) if value < 0 else shown)


@pytest.mark.parametrize(
    ("source", "pretty"), [("3e20 x", "3e20 x"), ("(1e20)^x", "(1e20)ˣ"), ("2x", "2x")]
)
def test_scientific_numbers_keep_apart_from_what_follows(source: str, pretty: str) -> None:
    assert to_pretty(parse_expr(source)) == pretty


@pytest.mark.parametrize(
    ("source", "pretty"),
    [("(1/2) y^2", "(1/2)y²"), ("(2/3) x", "(2/3)x"), ("0.5 sin(x)", "(1/2)sin(x)")],
)
def test_a_leading_fraction_is_bracketed_so_it_cannot_read_as_a_denominator(
    source: str, pretty: str
) -> None:
    assert to_pretty(parse_expr(source)) == pretty  # 1/2y² would read as 1/(2y²)


@given(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=60),
    st.sampled_from([1, 2, 3, 5, 7, 16, 25, 125]),
)
@settings(max_examples=examples(400), deadline=None)
def test_every_number_prints_back_to_itself(m: int, tens: int, shift: int, odd: int) -> None:
    value = Fraction(m * 10**tens, odd * 10**shift)
    written = to_input(Num(value))
    assert simplify(parse_expr(written)) == Num(value), written
    if odd != 3 and odd != 7 and len(str(abs(m)).rstrip("0")) <= 10:
        # A terminating decimal of at most 14 significant digits: never hundreds of zeros.
        assert len(written) <= 40, written


def test_a_number_too_long_to_print_is_a_limit_error_not_a_crash() -> None:
    from deriv_lecture.core.errors import LimitError

    with pytest.raises(LimitError, match="too large to print"):
        to_input(Num(Fraction(3**300_000)))  # 143,000 digits
