"""core/check.py, core/answer.py, core/equivalence.py: three checks per case, and a
student's answer judged without being fooled."""

import pytest

from core.answer import check_answer
from core.catalog import builtin_catalog, parse_catalog
from core.check import check_case
from core.equivalence import compare
from core.evaluate import evaluate
from core.parser import parse_expr


def test_every_lecture_case_passes_three_ways() -> None:
    for result in map(check_case, builtin_catalog()):
        assert result.ok, (result.case.name, result.checks, result.error)
        names = {c.name for c in result.checks}
        assert {"sympy", "limit"} <= names
        assert "expected" in names or result.case.differentiable is False


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
