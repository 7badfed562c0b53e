"""The console script's entry point. Before anything heavy is imported it reads the
expression: one that does not parse is reported at once (no Typer, Rich or SymPy); one that
does starts a SymPy worker process (core/referee/sympy_worker.py), whose import then overlaps the
command line's own start-up. Help and version need no SymPy, so they start none."""

from __future__ import annotations

import sys

from deriv_lecture.core.errors import InputError

NO_SYMPY = {"-h", "--help", "--version", "-V", "--install-completion", "--show-completion"}


def main() -> None:
    """The whole run, with Ctrl-C at any moment (even while modules load) ending in one
    line and exit 130, never a traceback."""
    try:
        _run(sys.argv[1:])
    except KeyboardInterrupt:
        from deriv_lecture.cli.process import end, interrupted

        end(interrupted())


def _run(arguments: list[str]) -> None:
    from deriv_lecture.cli.process import end, guard_streams

    guard_streams()
    early_error, worker = plan(arguments)
    if early_error is not None:
        from deriv_lecture.cli.errors import EXIT_BAD_INPUT, report_error

        report_error(early_error, as_json="--json" in arguments)
        end(EXIT_BAD_INPUT)
    if worker:
        from deriv_lecture.core.referee import sympy_worker

        sympy_worker.start()
    from deriv_lecture.cli.main import main as run

    run()


def plan(arguments: list[str]) -> tuple[InputError | None, bool]:
    """(an error to report at once, whether to start the SymPy worker)."""
    from deriv_lecture.core.referee.timebox import sympy_budget

    if not arguments or NO_SYMPY & set(arguments):
        return None, False
    wanted = sympy_budget(1.0) > 0  # DERIV_SYMPY_BUDGET=0: SymPy is never asked
    from deriv_lecture.cli.errors import COMMANDS, mistyped_command
    from deriv_lecture.core.syntax.parser import parse

    first = arguments[0]
    if first.startswith("-") or first in COMMANDS or mistyped_command(first):
        return None, wanted  # Typer decides; the worker is cheap to have
    try:
        parse(first)  # the default command's EXPR: Typer would read it the same way
    except InputError as error:
        return error, False
    return None, wanted
