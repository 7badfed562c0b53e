"""`deriv EXPR --at`, `--to`, `--let` and `deriv tangent` through Click's test runner."""

import json
from typing import Any

import pytest

from deriv_lecture.core.problem import Point, Problem
from tests.cli.inprocess import deriv


def document(*args: str) -> dict[str, Any]:
    result = deriv(*args, "--json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_the_users_own_words() -> None:
    result = deriv("x^2", "--at", "2", "--plain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "f(2)                   4" in lines
    assert "f'(2)                  4" in lines
    assert "tangent                y = 4x − 4" in lines
    assert any(line.startswith("1e−01  4.1 ") for line in lines)  # the h-table
    assert any(line.startswith("2      6 ") for line in lines)  # secant over [2, 4]
    assert "from the limit         ((2 + h)² − 4)/h = 4 + h → 4" in lines


def test_to_adds_the_lectures_secant() -> None:
    result = deriv("x^2", "--at", "2", "--to", "4", "--plain")
    assert "average rate over [2, 4]  6" in result.stdout
    assert "instantaneous rate at 2   4" in result.stdout


def test_json_keys_at_a_point() -> None:
    doc = document("x^2", "--at", "2", "--to", "4")
    for key in ("at", "f_value", "value", "exact", "estimate", "estimate_error", "table",
                "secants", "tangent", "normal", "differentiable", "average"):  # fmt: skip
        assert key in doc, key
    assert (doc["at"], doc["f_value"], doc["value"], doc["exact"]) == ("2", 4, 4, "4")
    assert abs(doc["estimate"] - 4) <= doc["estimate_error"] < 1e-12
    assert doc["table"][0] == {
        "h": 0.1,
        "quotient": pytest.approx(4.1),
        "error": pytest.approx(0.1),
    }
    assert {"dx", "rate", "gap"} == set(doc["secants"][0])
    assert doc["tangent"]["equation"] == "y = 4*x - 4"
    assert doc["tangent"]["slope"] == 4 and doc["tangent"]["intercept"] == -4
    assert doc["normal"]["slope"] == -0.25
    assert doc["average"] == {"from": "2", "to": "4", "rate": 6, "rate_exact": "6"}
    assert doc["differentiable"] is True


def test_sin_at_pi_over_4_shows_root_two_over_two() -> None:
    result = deriv("sin(x)", "--at", "pi/4", "--plain")
    assert "f'(π/4)                √2/2 ≈ 0.707106781187" in result.stdout
    assert document("sin(x)", "--at", "pi/4")["exact"] == "sqrt(2)/2"


@pytest.mark.parametrize(("source", "left", "right"), [("abs(x)", -1, 1), ("relu(x)", 0, 1)])
def test_kinks_are_answers_not_errors(source: str, left: float, right: float) -> None:
    result = deriv(source, "--at", "0", "--plain")
    assert result.exit_code == 0
    assert "not differentiable" in result.stdout
    doc = document(source, "--at", "0")
    assert doc["differentiable"] is False and doc["value"] is None
    assert doc["left"] == left and doc["right"] == right
    assert "note" in doc


def test_vertical_tangent_is_named() -> None:
    doc = document("sqrt(x)", "--at", "0")
    assert doc["kind"] == "vertical tangent"
    assert doc["tangent"]["equation"] == "x = 0"
    assert doc["right"] is None and doc["right_note"] == "+infinity"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ln(x)", "--at", "-1"], "not defined at x = -1"),
        (["1/x", "--at", "0"], "division by zero"),
        (["tan(x)", "--at", "pi/2"], "pole"),
        (["x^(1/3)", "--at", "-8"], "cbrt"),
    ],
)
def test_outside_the_domain_exits_1(args: list[str], fragment: str) -> None:
    result = deriv(*args)
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert json.loads(deriv(*args, "--json").stdout)["error"]["kind"] == "domain"


@pytest.mark.parametrize(
    "args",
    [["x^2", "--to", "3"], ["x^2", "--at", "2", "--to", "2"], ["x^2", "--at", "2+"],
     ["x^2", "--at", "y"], ["x^2", "--at", "1", "--let", "a"]],
)  # fmt: skip
def test_bad_points_exit_2(args: list[str]) -> None:
    result = deriv(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


def test_let_gives_parameters_values() -> None:
    without = document("(a - x)^2", "--at", "1")
    assert without["exact"] == "2 - 2*a" and without["value"] is None
    given = document("(a - x)^2", "--at", "1", "--let", "a=3")
    assert given["value"] == -4 and given["exact"] == "-4"


def test_tangent_command() -> None:
    result = deriv("tangent", "x^2", "--at", "2", "--plain")
    assert result.exit_code == 0
    assert "y = 4x − 4" in result.stdout
    doc = json.loads(deriv("tangent", "x^2", "--at", "2", "--json").stdout)
    assert set(doc) >= {"expr", "var", "at", "f_value", "tangent", "normal"}
    assert doc["tangent"] == {
        "slope": 4.0, "intercept": -4.0, "equation": "y = 4*x - 4",
        "slope_exact": "4", "intercept_exact": "-4",
    }  # fmt: skip


def test_mistyped_command_is_met_with_a_suggestion() -> None:
    result = deriv("tangnet", "x^2", "--at", "2")
    assert result.exit_code == 2
    result = deriv("tangnet")
    assert "did you mean 'tangent'" in result.stderr


# -- small verdicts and words (every verdict right) -----------------------------------------
def test_the_variable_cannot_be_given_a_value_with_let() -> None:
    for args in (["x^2", "--let", "x=3"], ["x^2", "--at", "1", "--let", "x=3"],
                 ["tangent", "x^2", "--at", "1", "--let", "x=3"]):  # fmt: skip
        result = deriv(*args)
        assert result.exit_code == 2 and "variable of differentiation" in result.stderr


def test_zero_to_a_power_has_derivative_zero_and_a_negative_base_none() -> None:
    document = json.loads(deriv("0^x", "--json").stdout)
    assert document["derivative"] == "0"
    result = deriv("(-2)^x")
    assert result.exit_code == 1 and "whole-number" in result.stderr


def test_tables_at_a_kink_come_from_both_sides() -> None:
    document = json.loads(deriv("abs(x)", "--at", "0", "--json").stdout)
    steps = [row["h"] for row in document["table"]]
    assert min(steps) < 0 < max(steps)
    for row in document["table"][:8]:  # far from round-off: each side near its own slope
        slope = -1 if row["h"] < 0 else 1
        assert row["quotient"] == pytest.approx(slope) and abs(row["error"]) < 1e-6


def test_printed_estimates_are_numbers() -> None:
    from deriv_lecture.cli.views import estimate_text
    from deriv_lecture.core.numeric.estimates import Estimate

    for value, error in [(3e-45, 1e-45), (2.0, 0.3), (8e-16, 2e-16), (4.0, 7e-14), (-1.5, 0.04)]:
        shown, _, bar = estimate_text(Estimate(value, error)).partition(" ± ")
        # Human numbers print a real minus sign (U+2212); float() reads ASCII.
        shown, bar = shown.replace("−", "-"), bar.replace("−", "-")
        assert float(shown) == pytest.approx(value, rel=0.5) and float(bar) > 0
        assert not shown.endswith(".") and ".e" not in shown


def test_titles_and_paths_with_brackets_reach_the_terminal_whole() -> None:
    import io

    from deriv_lecture.cli.render import write_rich
    from deriv_lecture.cli.views import catalog_report, derivative_report
    from deriv_lecture.core.calculus.derive import derive
    from deriv_lecture.core.numeric.point import analyze
    from deriv_lecture.core.referee.crosscheck import compare_with_sympy
    from deriv_lecture.core.syntax.parser import parse, parse_expr
    from deriv_lecture.core.tasks.catalog import parse_catalog
    from deriv_lecture.core.tasks.check import check_case

    parsed = parse("x^2")
    derivation = derive(parsed.expr, "x")
    problem = Problem((parsed.expr,), ("x",), Point.of({"x": parse_expr("2")}))
    point = analyze(problem, derivation.derivative)
    verdict = compare_with_sympy(parsed.expr, derivation.derivative, "x")
    out = io.StringIO()
    console_report = derivative_report("x^2", derivation, verdict, (), point)
    write_rich(console_report, out)
    assert "[a, a+Δx]" in out.getvalue()
    (case,) = parse_catalog('[[case]]\nname = "[bold]x[/b]"\nexpr = "x^2"', "t.toml")
    out = io.StringIO()
    write_rich(catalog_report([check_case(case)], "answers[/b].toml"), out)
    assert "answers[/b].toml" in out.getvalue() and "[bold]x[/b]" in out.getvalue()
