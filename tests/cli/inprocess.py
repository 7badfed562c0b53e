"""The console script's whole path (cli/launch.py: the early parse, the worker, Typer,
the one exit) run inside the test process: the same words and exit codes as the installed
script at a fraction of the cost of a new interpreter per case. What only a real process
can show (signals, closed streams, orphans, the start-up) stays in subprocess tests."""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any
from unittest import mock


def deriv(*args: str) -> Any:
    """deriv ARGS through Click's test runner (Typer's rebuilds the command per call):
    the commands, views and exit codes without the console script's launch."""
    from click.testing import CliRunner

    from deriv_lecture.cli.main import command

    return CliRunner().invoke(command(), list(args), prog_name="deriv")


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


class _Ended(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def run_inprocess(args: list[str], stdin: str = "", **env: str) -> Ran:
    """deriv ARGS as the console script runs it, with process.end raising instead of
    leaving the interpreter."""
    from deriv_lecture.cli import launch, process

    def end(code: int) -> None:
        sys.stdout.flush()
        raise _Ended(code)

    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(process, "end", end),
        mock.patch.object(sys, "argv", ["deriv", *args]),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        mock.patch.dict(os.environ, {"COLUMNS": "100", **env}),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            launch._run(args)
            code = 0
        except _Ended as ended:
            code = ended.code
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue())
