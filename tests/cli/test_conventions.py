"""What people expect of a command-line tool, through the console script's path (in this
process, tests/cli/inprocess.py; shell completion and python -m in a real one):
`-` for standard input, `-V`, shell completion, `--color`, `FORCE_COLOR` and `NO_COLOR`, a
schema number in every JSON document, exit codes and the reference in --help, usage lines
as typed, and mistyped options named."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from unittest import mock

import pytest

from tests.cli.inprocess import Ran, run_inprocess
from tests.cli.test_console_script import deriv_executable


def run(*args: str, stdin: str = "", **env: str) -> Ran:
    with mock.patch.dict(os.environ):
        for name in ("NO_COLOR", "FORCE_COLOR"):
            os.environ.pop(name, None)
        return run_inprocess(list(args), stdin, **env)


def run_script(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([deriv_executable(), *args], capture_output=True, text=True,
                          timeout=60, env={**clean, **env})  # fmt: skip


def test_a_dash_reads_the_expression_from_standard_input() -> None:
    result = run("-", "--at", "2", "--json", stdin="x^3 - 2x\n")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["expr"] == "x^3 - 2x" and document["value"] == 10
    empty = run("-", stdin="")
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_short_version_flag() -> None:
    assert run("-V").stdout == run("--version").stdout != ""


def test_shell_completion_works() -> None:
    script = run_script("--show-completion", "bash")
    assert script.returncode == 0 and "_DERIV_COMPLETE=complete_bash" in script.stdout
    completed = run_script(_DERIV_COMPLETE="complete_bash", COMP_WORDS="deriv chec", COMP_CWORD="1")
    assert set(completed.stdout.split()) == {"check", "check-all"}


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [([], {}, False), (["--color", "always"], {}, True), (["--color", "never"], {}, False),
     ([], {"FORCE_COLOR": "1"}, True),
     (["--color", "always"], {"NO_COLOR": "1"}, True)],  # a flag outranks the environment
)  # fmt: skip
def test_colour_when_piped(args: list[str], env: dict[str, str], coloured: bool) -> None:
    result = run("x^2", *args, **env)
    assert result.returncode == 0
    assert ("\x1b[" in result.stdout) is coloured


def test_a_bad_colour_is_bad_input() -> None:
    result = run("x^2", "--color", "sometimes")
    assert result.returncode == 2 and "auto, always or never" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["x^2"], ["x^2", "--at", "2"], ["tangent", "x^2", "--at", "2"], ["backprop", "x^2"],
     ["check", "x^2", "--answer", "2x"], ["check-all"], ["x^^2"], ["tangent", "x^2"]],
)  # fmt: skip
def test_every_json_document_has_a_schema_number(args: list[str]) -> None:
    document = json.loads(run(*args, "--json").stdout)
    assert document["schema"] == 1


def test_help_gives_the_exit_codes_and_where_the_reference_is() -> None:
    text = run("--help").stdout
    assert "Exit codes: 0" in text and "130 interrupted" in text
    where = text.split("catalogs (catalog.md) are in", 1)[1].split()[0]
    assert (Path(where) / "syntax.md").is_file()


@pytest.mark.parametrize(
    ("args", "usage"),
    [(["x^2", "--help"], "Usage: deriv EXPR [OPTIONS]"),
     (["tangent", "--help"], "Usage: deriv tangent EXPR [OPTIONS]"),
     (["check-all", "--help"], "Usage: deriv check-all [OPTIONS]")],
)  # fmt: skip
def test_usage_lines_read_as_typed(args: list[str], usage: str) -> None:
    text = run(*args).stdout
    assert text.startswith(usage) and "diff" not in text.splitlines()[0] and "{" not in text


@pytest.mark.parametrize(
    ("args", "named"),
    [(["--jsn", "x^2"], "'--jsn'; did you mean '--json'?"),
     (["--att", "2", "x^2"], "'--att'; did you mean '--at'?"),
     (["x^2", "--plian"], "'--plian'; did you mean '--plain'?")],
)  # fmt: skip
def test_a_mistyped_option_is_blamed_not_the_expression(args: list[str], named: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: no such option {named}"


def test_python_m_runs_the_same_program() -> None:
    import sys

    result = subprocess.run([sys.executable, "-m", "deriv_lecture", "x^2", "--json"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and json.loads(result.stdout)["derivative"] == "2*x"
