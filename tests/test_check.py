"""core/tasks/check.py, core/tasks/answer.py, core/referee/equivalence.py: three checks per case,
and a
student's answer judged without being fooled."""

import pytest

from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.referee.equivalence import compare
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.tasks.answer import check_answer
from deriv_lecture.core.tasks.catalog import builtin_catalog, parse_catalog
from deriv_lecture.core.tasks.check import check_case


def test_every_lecture_case_passes_three_ways() -> None:
    for result in map(check_case, builtin_catalog()):
        assert result.ok, (result.case.name, result.checks, result.error)
        names = {c.name for c in result.checks}
        has_point = result.case.at is not None or bool(result.case.at_point)
        assert "sympy" in names and ("limit" in names or not has_point)
        assert "expected" in names or result.case.differentiable is False or result.case.value
        assert "limit" in names or "expected" in names


def one_case(body: str):  # type: ignore[no-untyped-def]
    (case,) = parse_catalog("[[case]]\n" + body, "answers.toml")
    return check_case(case)


def test_a_wrong_expected_answer_fails_and_says_where() -> None:
    result = one_case('expr = "-2/x^3"\nat = "2"\nexpect = "6/x^2"')
    assert not result.ok
    expected = result.check("expected")
    assert expected is not None and not expected.ok
    assert "differs at x = " in expected.detail and "6/x^2" in expected.detail
    assert result.check("sympy").ok and result.check("limit").ok  # type: ignore[union-attr]


def test_a_wrong_fact_fails() -> None:
    result = one_case('expr = "x^2"\nat = "2"\nto = "4"\naverage = "5"\ntangent = "4x - 3"')
    facts = result.check("facts")
    assert facts is not None and not facts.ok
    assert "expected 5" in facts.detail and "tangent" in facts.detail


def test_an_unparsable_case_is_that_cases_error() -> None:
    result = one_case('expr = "x^^2"')
    assert result.error is not None and result.bad_input and not result.ok


def test_a_point_outside_the_domain_fails_the_limit_check() -> None:
    result = one_case('expr = "ln(x)"\nat = "-1"')
    limit = result.check("limit")
    assert limit is not None and not limit.ok and "not defined" in limit.detail


def test_expected_kink_that_is_smooth_fails() -> None:
    result = one_case('expr = "x^2"\nat = "0"\ndifferentiable = false')
    assert not result.check("limit").ok  # type: ignore[union-attr]


@pytest.mark.parametrize("answer", ["-3x^2 sin(x^3)", "-3*x**2*sin(x**3)", "-sin(x^3)*3x^2"])
def test_every_correct_form_is_accepted(answer: str) -> None:
    result = check_answer(parse_expr("cos(x^3)"), parse_expr(answer), None, {})
    assert result.correct and result.proved


@pytest.mark.parametrize(
    "answer",
    [
        "3x^2 sin(x^3)",
        "-3x^2 sin(x^3) if x > 0 else 0",  # right on part of the domain only
        "-3x^2 sin(x^3) + (x - 0.29)(x - 0.61)(x - 1.43)",  # right at three points only
        "-3x^2 sin(x^3) * sqrt(x)^2/x",  # right where it is defined, undefined for x < 0
    ],
)
def test_wrong_answers_are_not_accepted(answer: str) -> None:
    result = check_answer(parse_expr("cos(x^3)"), parse_expr(answer), None, {})
    assert not result.correct


def test_comparison_gives_a_counterexample() -> None:
    found = compare(parse_expr("3x^2 sin(x^3)"), parse_expr("-3x^2 sin(x^3)"), "x")
    assert found.equal is False and found.counterexample is not None
    x, got, want = found.counterexample
    assert got == pytest.approx(-want)


@pytest.mark.parametrize(
    ("answer", "reference", "at"),
    [
        ("3x^2 + 1", "3x^2", 0.0),  # the simplest point where they differ
        ("1", "sign(x)", -1.0),  # not 0: sign(0) = 0 is no derivative of |x| at its kink
        ("0", "1 if x > 0 else 0", 1.0),  # relu's jump at 0 is passed over too
        ("1/x^2", "-1/x^2", 1.0),  # 0 is outside the domain
    ],
)
def test_the_counterexample_is_a_point_to_check_by_hand(
    answer: str, reference: str, at: float
) -> None:
    found = compare(parse_expr(answer), parse_expr(reference), "x")
    assert found.counterexample is not None
    x, got, want = found.counterexample
    assert x == at
    assert got == evaluate(parse_expr(answer), {"x": x})
    assert want == evaluate(parse_expr(reference), {"x": x}) and got != pytest.approx(want)


def test_a_case_defined_nowhere_fails_and_the_others_still_run() -> None:
    catalog = parse_catalog('[[case]]\nexpr = "1/0"\n\n[[case]]\nexpr = "x sqrt(cos(2))"\n\n'
                            '[[case]]\nexpr = "x^2"\nexpect = "2x"\n', "test.toml")  # fmt: skip
    results = [check_case(case) for case in catalog]
    assert [r.ok for r in results] == [False, False, True]
    assert not any(r.bad_input for r in results)  # bad math is exit 1, not bad input
    assert "no value" in (results[0].error or "") and "sqrt(cos(2))" in (results[1].error or "")


def test_functions_defined_only_far_from_zero_are_compared_there() -> None:
    # sqrt(x − 100) has no value at any of the usual points in [−10, 10].
    right = check_answer(parse_expr("sqrt(x - 100)"), parse_expr("1/(2 sqrt(x - 100))"), None, {})
    assert right.correct and right.comparison.points >= 3
    wrong = check_answer(parse_expr("sqrt(x - 100)"), parse_expr("1/sqrt(x - 100)"), None, {})
    assert not wrong.correct and wrong.comparison.counterexample is not None
    x, got, want = wrong.comparison.counterexample
    assert x > 100 and got == pytest.approx(2 * want)


# -- judged on f's domain, in f's terms, exactly (issue: every verdict right) ---------------
import sympy  # noqa: E402

from deriv_lecture.core.errors import UsageError  # noqa: E402

SX = sympy.Symbol("x", real=True)


def sympy_equal_on(f: str, answer: str, domain: sympy.Set) -> bool:
    """Does SymPy find answer = f' on f's domain (at 40 points of it, to 30 digits)?"""
    derivative = sympy.diff(sympy.sympify(f, locals={"x": SX}), SX)
    guess = sympy.sympify(answer, locals={"x": SX})
    inf, sup = float(max(domain.inf, -8)), float(min(domain.sup, 8))
    points = [inf + (sup - inf) * (k + 0.5) / 40 for k in range(40)]
    inside = [sympy.Rational(p) for p in points if sympy.Rational(p) in domain]
    return all(abs(sympy.N((guess - derivative).subs(SX, p), 30)) < 1e-25 for p in inside)


@pytest.mark.parametrize(
    ("f", "answer", "sym_f", "sym_answer", "domain"),
    [
        ("ln(x)", "1/abs(x)", "log(x)", "1/Abs(x)", sympy.Interval.open(0, sympy.oo)),
        ("sqrt(x)", "1/(2 sqrt(abs(x)))", "sqrt(x)", "1/(2*sqrt(Abs(x)))",
         sympy.Interval.Lopen(0, sympy.oo)),
        ("acos(x)", "-1/sqrt(abs(1 - x^2))", "acos(x)", "-1/sqrt(Abs(1 - x**2))",
         sympy.Interval.open(-1, 1)),
        ("ln(x - 2)", "1/abs(x - 2)", "log(x - 2)", "1/Abs(x - 2)",
         sympy.Interval.open(2, sympy.oo)),
        ("sqrt(4 - x^2)", "-x/sqrt(abs(4 - x^2))", "sqrt(4 - x**2)", "-x/sqrt(Abs(4 - x**2))",
         sympy.Interval.open(-2, 2)),
    ],
)  # fmt: skip
def test_answers_right_on_fs_domain_are_right(
    f: str, answer: str, sym_f: str, sym_answer: str, domain: sympy.Set
) -> None:
    assert sympy_equal_on(sym_f, sym_answer, domain)  # the truth, from SymPy
    assert check_answer(parse_expr(f), parse_expr(answer), None, {}).correct


@pytest.mark.parametrize(
    ("f", "answer", "sym_f", "sym_answer"),
    [("1/(1+e^-x)", "y(1-y)", "1/(1 + exp(-x))", "y*(1 - y)"),
     ("1/(1+e^-x)", "y(1+y)", "1/(1 + exp(-x))", "y*(1 + y)"),
     ("e^x", "y", "exp(x)", "y"), ("tanh(x)", "1 - y^2", "tanh(x)", "1 - y**2"),
     ("tan(x)", "1 + y^2", "tan(x)", "1 + y**2"), ("e^(2x)", "2y", "exp(2*x)", "2*y"),
     ("e^(2x)", "y", "exp(2*x)", "y")],
)  # fmt: skip
def test_y_in_an_answer_is_the_output(f: str, answer: str, sym_f: str, sym_answer: str) -> None:
    function = sympy.sympify(sym_f, locals={"x": SX})
    written = sympy.sympify(sym_answer, locals={"y": function})
    right = sympy.simplify(written - sympy.diff(function, SX)) == 0
    result = check_answer(parse_expr(f), parse_expr(answer), None, {})
    assert result.uses_output and result.correct is right


@pytest.mark.parametrize(("f", "answer"), [("x^2", "2t"), ("x^2", "2x + b"), ("sin(x)", "cos(u)")])
def test_an_answer_with_a_symbol_f_does_not_have_is_bad_input(f: str, answer: str) -> None:
    with pytest.raises(UsageError, match="which f does not have"):
        check_answer(parse_expr(f), parse_expr(answer), None, {})


@pytest.mark.parametrize(
    ("f", "answer", "sym_f", "sym_answer"),
    [("ln(x)", "1/x + 1e-9", "log(x)", "1/x + 10**-9"),
     ("x^2", "2x + 1e-12", "x**2", "2*x + 10**-12"),
     ("sin(x)", "cos(x)(1 + 1e-10)", "sin(x)", "cos(x)*(1 + 10**-10)"),
     ("e^x", "2.718281828459045^x", "exp(x)", "(2718281828459045/10**15)**x")],
)  # fmt: skip
def test_close_is_not_equal(f: str, answer: str, sym_f: str, sym_answer: str) -> None:
    derivative = sympy.diff(sympy.sympify(sym_f, locals={"x": SX}), SX)
    difference = sympy.simplify(sympy.sympify(sym_answer, locals={"x": SX}) - derivative)
    assert difference != 0  # SymPy: not the same function
    result = check_answer(parse_expr(f), parse_expr(answer), None, {})
    assert not result.correct


@pytest.mark.parametrize(
    ("f", "answer", "fragment"),
    [("cos(x^3)", "3x^2 sin(x^3)", "sign"), ("x^2 + 3x", "-2x - 3", "sign"),
     ("x^3", "6x^2", "constant factor"), ("sin(2x)", "cos(2x)", "constant factor"),
     ("e^(x^2)", "e^(x^2)", "inner derivative"), ("sin(x^2 + 1)", "cos(x^2 + 1)", "inner"),
     ("x^2 sin(x)", "2x cos(x)", "product rule"), ("e^x ln(x)", "e^x/x", "product rule")],
)  # fmt: skip
def test_a_wrong_answer_gets_a_diagnosis(f: str, answer: str, fragment: str) -> None:
    result = check_answer(parse_expr(f), parse_expr(answer), None, {})
    assert not result.correct
    assert result.diagnosis is not None and fragment in result.diagnosis


def test_where_a_wrong_answer_still_holds_is_named() -> None:
    result = check_answer(parse_expr("ln(abs(x))"), parse_expr("1/abs(x)"), None, {})
    assert not result.correct and result.holds_where == "x > 0"
    result = check_answer(parse_expr("abs(x)^3"), parse_expr("-3x^2"), None, {})
    assert not result.correct and result.holds_where == "x < 0"


NARROW_AND_AWKWARD = """
[[case]]
expr = "acos(sqrt(2t - 1))"
var = "t"
at = "3/4"
expect = "-1/sqrt((2 - 2t)(2t - 1))"

[[case]]
expr = "asin(10x - 7)"
at = "0.71"
expect = "10/sqrt(1 - (10x - 7)^2)"

[[case]]
expr = "ln(ln(x))"
at = "e"
expect = "1/(x ln(x))"

[[case]]
expr = "sqrt(1e-4 - x^2)"
at = "0.005"
expect = "-x/sqrt(1e-4 - x^2)"

[[case]]
expr = "x^4 e^x"
at = "0"
value = "0"
expect = "x^3 e^x (4 + x)"

[[case]]
expr = "sec(x)^2 - tan(x)^2"
at = "1.5"
value = "0"
expect = "0"
"""

WRONG_ONES = """
[[case]]
expr = "acos(sqrt(2t - 1))"
var = "t"
at = "3/4"
expect = "1/sqrt((2 - 2t)(2t - 1))"

[[case]]
expr = "ln(ln(x))"
at = "e"
expect = "1/ln(x)"

[[case]]
expr = "x^4 e^x"
at = "0"
value = "1e-9"
"""


@pytest.mark.parametrize("seconds", [2.5, 0.0])
def test_check_all_on_narrow_domains_whatever_the_time(seconds: float) -> None:
    from deriv_lecture.core.referee.timebox import budget

    with budget(seconds):
        right = [check_case(c) for c in parse_catalog(NARROW_AND_AWKWARD, "right.toml")]
        wrong = [check_case(c) for c in parse_catalog(WRONG_ONES, "wrong.toml")]
    assert all(r.ok for r in right), [(r.case.name, r.checks) for r in right if not r.ok]
    assert not any(r.ok for r in wrong)
    if seconds:  # with time, SymPy decides every right case too
        assert all(r.check("sympy").ok for r in right)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("f", "expect"),
    [("1/(1 + e^-x)", "y(1 - y)"), ("e^(3x)", "3y"), ("tan(x)", "1 + y^2"),
     ("1/(1 + e^-(2x+1))", "2y(1 - y)"), ("sqrt(x)", "1/(2y)"), ("x e^x", "y + e^x")],
)  # fmt: skip
def test_an_expected_answer_in_y_means_f_as_in_check(f: str, expect: str) -> None:
    """A catalog's expect reads y as f exactly as `deriv check --answer` does; the truth
    is SymPy's f' with y replaced by f."""
    import sympy

    from deriv_lecture.core.referee.crosscheck import to_sympy

    x, y = sympy.symbols("x y", real=True)
    function = to_sympy(parse_expr(f), {"x": x})
    claimed = to_sympy(parse_expr(expect), {"x": x, "y": y})
    truth = sympy.simplify(sympy.diff(function, x) - claimed.subs(y, function)) == 0
    result = one_case(f'expr = "{f}"\nexpect = "{expect}"')
    assert result.check("expected").ok is truth is True  # type: ignore[union-attr]
    wrong = one_case(f'expr = "{f}"\nexpect = "{expect} + y"')
    assert wrong.check("expected").ok is False  # type: ignore[union-attr]
