"""Paths that need no SymPy never import it (a fresh interpreter per path)."""

import subprocess
import sys

import pytest

PROBE = """
import sys
from cli.main import main
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
    ("args", "expected"),
    [
        ([], False),
        (["--help"], False),
        (["x^2", "--help"], False),
        (["--version"], False),
        (["x^^2"], False),
        (["foo(x)"], False),
        (["x^2"], True),
        (["x^2", "--at", "2"], True),
        (["tangent", "x^2", "--at", "2"], True),
        (["check-all"], True),
    ],
)
def test_the_launcher_starts_a_sympy_worker_only_when_useful(
    args: list[str], expected: bool
) -> None:
    from cli.launch import needs_sympy

    assert needs_sympy(args) is expected
