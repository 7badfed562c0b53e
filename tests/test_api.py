"""deriv_lecture's Python API: the same data as the command line's JSON, results that show
themselves in Jupyter, and the core's typed errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import deriv_lecture
from deriv_lecture import (
    InputError,
    MathError,
    analyze_point,
    backprop,
    check_answer,
    check_catalog,
    differentiate,
)
from tests.cli.inprocess import run_inprocess

STABLE = ("read_as", "var", "derivative", "in_terms_of_y", "steps", "value", "exact",
          "differentiable", "kind", "table", "tangent", "normal", "f_exact")  # fmt: skip


def command_line(*args: str) -> dict[str, object]:
    """The console script's JSON (its whole path, run in this process: tests/cli/inprocess)."""
    document: dict[str, object] = json.loads(run_inprocess([*args, "--json"]).stdout)
    return document


@pytest.mark.parametrize(
    ("source", "at"), [("x^2 sin(x)", None), ("1/(1 + e^-x)", "0"), ("abs(x)", "0"),
                       ("(a - x)^2", "1")],
)  # fmt: skip
def test_the_api_gives_the_command_lines_json(source: str, at: str | None) -> None:
    ours = analyze_point(source, at) if at is not None else differentiate(source)
    theirs = command_line(source, *(["--at", at] if at is not None else []))
    for key in STABLE:
        assert ours.to_json().get(key) == theirs.get(key), key
    assert ours.to_json()["schema"] == 1


def test_results_show_themselves_in_jupyter() -> None:
    result = analyze_point("sin(x)", "pi/4")
    latex = result._repr_latex_()
    assert latex is not None and latex.startswith("$$") and r"\cos" in latex
    markdown = result._repr_markdown_()
    assert markdown.startswith("| |") and "f'" in markdown
    assert check_answer("x^2", "2x")._repr_markdown_().count("\n") >= 3


def test_check_backprop_and_catalogs() -> None:
    assert check_answer("ln(x)", "1/abs(x)")["equivalent"] is True
    assert check_answer("x^3", "6x^2")["diagnosis"].startswith("off by a constant factor")
    assert backprop("1/(1 + e^-x)", at=0)["dy_dx"] == 0.25
    assert backprop("relu(x)", at=0)["dy_dx"] is None
    lecture = check_catalog()
    assert lecture["failed"] == 0 and lecture["passed"] >= 50


def test_parameters_and_typed_errors() -> None:
    assert analyze_point("(a - x)^2", 1, let={"a": 3})["value"] == -4
    with pytest.raises(InputError):
        differentiate("x^^2")
    with pytest.raises(MathError):
        analyze_point("ln(x)", -1)


def test_the_api_loads_only_when_asked() -> None:
    probe = ("import sys, deriv_lecture.cli.launch; "
             "print('deriv_lecture.api' in sys.modules, 'sympy' in sys.modules)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.stdout.split() == ["False", "False"]
    assert "differentiate" in dir(deriv_lecture)
