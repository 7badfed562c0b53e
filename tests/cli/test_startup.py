"""Paths that need no SymPy never import it (a fresh interpreter per path)."""

import subprocess
import sys

import pytest

PROBE = """
import os, sys
from deriv_lecture.cli.main import main
os._exit = sys.exit  # the program ends with os._exit; here it must come back to report
sys.argv = ["deriv", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("SYMPY" if "sympy" in sys.modules else "NO-SYMPY", file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["x^^2"], ["foo(x)"], ["tangent", "--help"], ["tangnet"]]
)
def test_no_sympy_import(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip().endswith("NO-SYMPY"), result.stderr


def test_the_main_job_does_use_sympy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "x^2"], capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip().endswith("SYMPY")


@pytest.mark.parametrize(
    ("args", "error", "worker"),
    [
        ([], False, False),
        (["--help"], False, False),
        (["x^2", "--help"], False, False),
        (["--version"], False, False),
        (["x^^2"], True, False),
        (["foo(x)", "--json"], True, False),
        (["tangnet"], False, True),  # Typer suggests 'tangent'
        (["x^2"], False, True),
        (["x^2", "--at", "2"], False, True),
        (["--let", "a=3", "x^2"], False, True),  # an option first: Typer decides
        (["tangent", "x^2", "--at", "2"], False, True),
        (["check-all"], False, True),
    ],
)
def test_the_launcher_plan(args: list[str], error: bool, worker: bool) -> None:
    from deriv_lecture.cli.launch import plan

    early, start = plan(args)
    assert (early is not None, start) == (error, worker)


@pytest.mark.parametrize("args", [["x^2"], ["x^2", "--at", "2"], ["check-all"], ["tangent", "x"]])
def test_no_sympy_time_means_no_worker(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """DERIV_SYMPY_BUDGET=0 (an autograder's choice): no worker is started, since no call
    would be sent to it; every SymPy question is undecided at once."""
    from deriv_lecture.cli.launch import plan

    monkeypatch.setenv("DERIV_SYMPY_BUDGET", "0")
    assert plan(args) == (None, False)
