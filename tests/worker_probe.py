"""Remote functions for tests/test_sympy_worker.py: the worker imports them by name."""

import os
import time

from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.referee.sympy_worker import remote


@remote(undecided=lambda *_: "undecided")
def where(value: int) -> tuple[int, int]:
    """(the process id it ran in, value squared)."""
    return os.getpid(), value * value


@remote(undecided=lambda *_: "undecided")
def stuck(seconds: float) -> str:
    """Sleeps: no CPU time passes, so only the wall-clock backstop can stop it (as with a
    computation stuck in C)."""
    time.sleep(seconds)
    return "finished"


@remote(undecided=lambda *_: "undecided")
def spinning(seconds: float) -> str:
    """Burns CPU in Python: the worker's own CPU timer stops it."""
    from deriv_lecture.core.referee.timebox import within

    def spin() -> str:
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass
        return "finished"

    return within(seconds, spin) or "stopped"


@remote(undecided=lambda *_: "undecided")
def failing() -> None:
    raise DomainError("no value here")
