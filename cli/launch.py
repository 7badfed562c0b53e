"""The console script's entry point: start SymPy loading in a worker process first, then
import and run the command line (see core/sympy_worker.py). Help, version, an empty
command line and an expression that does not parse need no SymPy, so they start none."""

from __future__ import annotations

import sys

NO_SYMPY = {"-h", "--help", "--version"}
COMMANDS = {"tangent", "backprop", "check", "check-all"}


def main() -> None:
    if needs_sympy(sys.argv[1:]):
        from core import sympy_worker

        sympy_worker.start()
    from cli.main import main as run

    run()


def needs_sympy(arguments: list[str]) -> bool:
    """A quick look before anything heavy is imported (the CLI decides for real later)."""
    if not arguments or NO_SYMPY & set(arguments):
        return False
    words = [a for a in arguments if not a.startswith("-")]
    if words and words[0] in COMMANDS:
        words = words[1:]
    if not words:
        return True
    from core.errors import InputError
    from core.parser import parse

    try:
        parse(words[0])  # the expression, unless an option value came first: then no harm
    except InputError:
        return False
    return True
