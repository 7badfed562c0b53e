"""The installed console script, in a real subprocess: what a person actually runs."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def deriv_executable() -> str:
    beside_python = Path(sys.executable).with_name("deriv")
    found = str(beside_python) if beside_python.exists() else shutil.which("deriv")
    if found is None:
        pytest.fail("the deriv console script is not installed in this environment")
    return found


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [deriv_executable(), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_main_job_runs() -> None:
    result = run("x^2")
    assert result.returncode == 0, result.stderr
    assert "2x" in result.stdout
    assert "✓" in result.stdout


def test_json_is_one_object() -> None:
    result = run("1/(1 + e^-x)", "--json")
    document = json.loads(result.stdout)
    assert document["derivative"] == "e^(-x)/(1 + e^(-x))^2"
    assert document["in_terms_of_y"] == "y*(1 - y)"


def test_errors_are_one_message_and_no_traceback() -> None:
    result = run("x^^2")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_ascii_only_locale_does_not_crash() -> None:
    result = run("x^2", PYTHONIOENCODING="ascii")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def test_usage_errors_with_json_are_json() -> None:
    result = run("tangent", "x^2", "--json")  # --at is missing: Typer's own usage error
    assert result.returncode == 2
    assert json.loads(result.stdout) == {
        "schema": 1,
        "error": {"kind": "usage", "message": "Missing option '--at'."},
    }


def test_missing_numbers_carry_a_note() -> None:
    from tests.cli.inprocess import run_inprocess

    document = json.loads(run_inprocess(["sqrt(1 - x)", "--at", "0.95", "--json"]).stdout)
    first = document["table"][0]
    assert first["quotient"] is None and "not defined" in first["note"]
    assert "note" not in document["table"][1]


def test_an_option_without_its_value_is_named() -> None:
    result = run("x^2", "--at", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["message"] == "--at needs a value"


@pytest.mark.parametrize(
    ("args", "code", "kind"),
    [(["tan(x)", "--at", "pi/2"], 1, None), (["ln(x)", "--at", "0"], 1, None),
     (["1/(x^2 - 2)", "--at", "sqrt(2)"], 1, None), (["abs(x)", "--at", "0"], 0, "kink"),
     (["x cbrt(x)", "--at", "0"], 0, "smooth"), (["cbrt(x^2)", "--at", "0"], 0, "cusp"),
     (["sqrt(x)", "--at", "1e-6"], 0, "smooth"), (["tan(x)", "--at", "1.5707963"], 0, "smooth"),
     (["relu(2x - 1)", "--at", "1/2"], 0, "kink"), (["sign(x)", "--at", "0"], 0, "discontinuous")],
)  # fmt: skip
def test_verdicts_do_not_change_when_sympy_has_no_time(
    args: list[str], code: int, kind: str | None
) -> None:
    from tests.cli.inprocess import run_inprocess  # the script's path, in this process

    for budget in ("2.5", "0"):
        result = run_inprocess([*args, "--json"], DERIV_SYMPY_BUDGET=budget)
        assert result.returncode == code, (budget, result.stderr)
        if kind is not None:
            assert json.loads(result.stdout)["kind"] == kind, budget


def test_check_all_passes_with_no_time_for_sympy() -> None:
    from tests.cli.inprocess import run_inprocess

    result = run_inprocess(["check-all", "--json"], DERIV_SYMPY_BUDGET="0")
    assert result.returncode == 0, result.stdout[-2000:]
    document = json.loads(result.stdout)
    assert document["failed"] == 0 and document["undecided"] > 0
