"""cli/main.py through Click's test runner: routing, views, JSON, exit codes, errors."""

import json
from typing import Any

import pytest
import typer

from deriv_lecture.cli.main import finish
from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.referee.crosscheck import compare_with_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from tests.cli.inprocess import deriv
from tests.conftest import case_id, lecture_cases


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["x^2"], "2x"),
        (["x(x+2)(x-2)"], "3x² − 4"),
        (["1/(1 + e^-x)"], "e⁻ˣ/(1 + e⁻ˣ)²"),
        (["1/(1 + e^-x)"], "y' = y(1 − y)"),
        (["sin(t - tau)", "--var", "t"], "cos(t − τ)"),
        (["--var", "t", "sin(t - tau)"], "cos(t − τ)"),
        (["-x^2"], "−2x"),
        (["cos(x^3)"], "d/du cos(u) = −sin(u)"),
        (["x^2"], "✓ agrees (proved equal; also at 12 points)"),
        # f is past the float range at every sample point: it is taken with digits there.
        (["(x + 1e200)(x + 2e200)"], "✓ agrees (proved equal; also at 12 points)\n"),
    ],
)
def test_main_job(args: list[str], shown: str) -> None:
    result = deriv(*args)
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


def test_steps_are_listed_with_their_rules() -> None:
    result = deriv("e^x ln(x)", "--plain")
    lines = result.stdout.splitlines()
    assert any(line.startswith("product rule") for line in lines)
    assert any("exponential rule" in line for line in lines)
    assert any("logarithm rule" in line for line in lines)


def test_json_has_the_spec_keys() -> None:
    result = deriv("e^x ln(x)", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"expr", "read_as", "var", "derivative", "steps", "sympy_agrees"} <= set(document)
    assert document["expr"] == "e^x ln(x)"
    assert document["var"] == "x"
    assert document["sympy_agrees"] is True
    assert document["steps"][0] == {
        "rule": "product rule",
        "expr": "e^x*ln(x)",
        "result": document["steps"][0]["result"],
        "depth": 0,
        "formula": "(fg)' = f'g + fg'",
        "parts": {"f": "e^x", "g": "ln(x)"},
    }
    assert all({"rule", "expr", "result"} <= set(step) for step in document["steps"])
    assert document["derivative"].isascii()


@pytest.mark.parametrize("case", lecture_cases(), ids=case_id)
def test_json_derivative_parses_back(case: dict[str, Any]) -> None:
    """The JSON derivative is input syntax: deriv reads it back, and SymPy finds it equal
    to the derivative of the original function."""
    args = [case["expr"], "--json"] + (["--var", case["var"]] if "var" in case else [])
    first = json.loads(deriv(*args).stdout)
    again = deriv(first["derivative"], "--json", "--var", first["var"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["read_as"] == first["derivative"]
    verdict = compare_with_sympy(
        parse_expr(case["expr"]), parse_expr(first["derivative"]), first["var"]
    )
    assert verdict.agrees is True


def test_trap_notes_are_shown() -> None:
    result = deriv("2/3x", "--plain")
    assert "note: '2/3x' is read as (2/3)*x" in result.stdout
    assert json.loads(deriv("e^-2x", "--json").stdout)["notes"][0].startswith("'e^-2x' is read as")


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [("x^^2", 3, "expected an operand"), ("foo(x)", 1, "unknown name 'foo'"), ("ax", 1, "a*x")],
)
def test_bad_input_exits_2_with_a_caret(source: str, column: int, fragment: str) -> None:
    result = deriv(source)
    assert result.exit_code == 2
    assert fragment in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].index("^") - 2 == column - 1
    assert "Traceback" not in result.output


def test_json_errors_go_to_stdout_too() -> None:
    result = deriv("x^^2", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "schema": 1,
        "error": {"kind": "parse", "message": "expected an operand, found '^'"},
    }


def test_several_symbols_need_var() -> None:
    result = deriv("t - tau")
    assert result.exit_code == 2
    assert "--var" in result.stderr


def test_math_errors_exit_1() -> None:
    def job() -> int:
        raise DomainError("ln is defined for positive numbers")

    with pytest.raises(typer.Exit) as caught:
        finish(job, as_json=False)
    assert caught.value.exit_code == 1


def test_version_and_help() -> None:
    version = deriv("--version")
    assert version.exit_code == 0 and version.stdout.startswith("deriv ")
    helped = deriv("--help")
    assert helped.exit_code == 0
    assert 'deriv "x^2"' in helped.stdout
    assert "EXPR" in helped.stdout
    assert deriv("x^2", "--help").exit_code == 0


def test_no_arguments_shows_help_and_exits_2() -> None:
    result = deriv()
    assert result.exit_code == 2
    assert "Usage" in result.output


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["tangent", "-x^2", "--at", "1"], "y = −2x + 1"),
        (["backprop", "-x^2", "--at", "1"], "y = −u₁"),
        (["check", "-x^2", "--answer", "-2x"], "your answer is the derivative"),
        (["-x^2", "--at", "1"], "y = −2x + 1"),
    ],
)
def test_every_command_takes_an_expression_with_a_leading_minus(
    args: list[str], shown: str
) -> None:
    result = deriv(*args, "--plain")
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x^2", "--att", "2"], "no such option '--att'; did you mean '--at'?"),
        (["x^2", "--at", "2", "--jsn"], "no such option '--jsn'; did you mean '--json'?"),
        (["tangent", "x^2", "--at", "2", "--vra", "x"], "did you mean '--var'?"),
        (["check", "x^2", "--answer", "2x", "--lett", "a=1"], "did you mean '--let'?"),
        (["x", "+", "1"], "unexpected extra argument(s) '+ 1'; quote an expression"),
    ],
)
def test_unknown_options_are_named_with_the_closest_one(args: list[str], message: str) -> None:
    result = deriv(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert json.loads(deriv(*args, "--json").stdout)["error"]["kind"] == "usage"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["-sinh(x)"], "−cosh(x)"),  # was the help page: click read -s -i -n -h
        (["--at", "1", "-x^2"], "y = −2x + 1"),
        (["tangent", "-sinh(x)", "--at", "0"], "y = −x"),
        (["check", "-tanh(x)", "--answer", "-sech(x)^2"], "your answer is the derivative"),
        (["backprop", "-sinh(x)", "--at", "0"], "y = −u₁"),
    ],
)
def test_an_expression_with_a_minus_and_an_h_is_not_a_help_flag(
    args: list[str], shown: str
) -> None:
    result = deriv(*args, "--plain")
    assert result.exit_code == 0, result.output
    assert shown in result.stdout and "Usage" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-x^2", "--att", "1"], "no such option '--att'; did you mean '--at'?"),
        (["x^2", "-5"], "unexpected extra argument(s) '-5'"),
        (["x^2", "--at", "-1", "-j"], "no such option '-j'"),
    ],
)
def test_leftovers_around_a_minus_expression_are_named(args: list[str], message: str) -> None:
    result = deriv(*args)
    assert result.exit_code == 2
    assert message in result.stderr
