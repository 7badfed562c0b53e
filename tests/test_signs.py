"""core/numeric/signs.py: the sign of a constant, exactly, by digits, or by a SymPy proof; never a
guess, and with no time for SymPy at most "could not decide". The expected signs are
SymPy's, at 400 digits where it takes that many."""

import pytest
import sympy

from deriv_lecture.core.numeric.signs import sign_of
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.parser import parse_expr


def sympys_sign(text: str) -> int:
    """text in SymPy's own syntax, numbers exact."""
    value = sympy.sympify(text, rational=True)
    if value.is_zero:
        return 0
    return int(sympy.sign(sympy.N(value, 400)))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("0", "0"), ("1/3 - 0.333", "1/3 - 333/1000"), ("cos(pi/2)", "cos(pi/2)"),
     ("sin(pi)", "sin(pi)"), ("tan(pi/4) - 1", "tan(pi/4) - 1"), ("sqrt(2)^2 - 2", "0"),
     ("cos(2pi/3) + 1/2", "cos(2*pi/3) + 1/2"), ("sin(7pi/6) + 1/2", "sin(7*pi/6) + 1/2"),
     ("e^0 - 1", "exp(0) - 1"), ("ln(1)", "log(1)"), ("2^10 - 1024", "2**10 - 1024"),
     ("-3/7", "-3/7"), ("sec(pi) + 1", "sec(pi) + 1")],
)  # fmt: skip
def test_the_engines_own_arithmetic_decides(ours: str, theirs: str) -> None:
    with budget(0):
        found = sign_of(parse_expr(ours))
    assert found.value == sympys_sign(theirs) and found.how == "exact"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("cos(pi/2 + 1e-300)", "cos(pi/2 + 10**-300)"), ("sin(1e-200)", "sin(10**-200)"),
     ("e^(1e-30) - 1", "exp(10**-30) - 1"),
     ("tan(1.5707963267948966)", "tan(15707963267948966/10**16)"),
     ("tan(pi/2 + 1e-300)", "tan(pi/2 + 10**-300)"), ("1 - cos(1e-10)", "1 - cos(10**-10)"),
     ("ln(2) - 0.6931471805599453", "log(2) - 6931471805599453/10**16"),
     ("1/(pi - 3.141592653589793)", "1/(pi - 3141592653589793/10**15)")],
)  # fmt: skip
def test_values_floats_cannot_see_are_decided_by_digits(ours: str, theirs: str) -> None:
    with budget(0):
        found = sign_of(parse_expr(ours))
    assert found.value == sympys_sign(theirs) != 0


@pytest.mark.parametrize(
    "text", ["sqrt(5 + 2 sqrt(6)) - sqrt(2) - sqrt(3)", "cos(pi/5) - (1 + sqrt(5))/4"]
)
def test_a_zero_only_sympy_can_prove_is_undecided_without_it(text: str) -> None:
    assert sign_of(parse_expr(text)).value == 0
    with budget(0):
        found = sign_of(parse_expr(text))
    assert found.value is None and "no proof" in found.how


def test_parameters_leave_a_sign_open() -> None:
    assert sign_of(parse_expr("a - 1")).value is None
