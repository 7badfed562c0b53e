"""The console script's entry point: start SymPy loading in a worker process first, then
import and run the command line (see core/sympy_worker.py). Help, version and an empty
command line need no SymPy, so they start none."""

from __future__ import annotations

import sys

NO_SYMPY = {"-h", "--help", "--version"}


def main() -> None:
    arguments = sys.argv[1:]
    if arguments and not NO_SYMPY & set(arguments):
        from core import sympy_worker

        sympy_worker.start()
    from cli.main import main as run

    run()
