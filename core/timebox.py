"""A time limit around calls that can run away (SymPy's simplify, diff, limit, ...).

Uses SIGALRM, so it limits only on the main thread of a Unix process; elsewhere the call
runs without a limit rather than failing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class TimedOut(Exception):
    """The time budget ran out."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def within(seconds: float, compute: Callable[[], T]) -> T | None:
    """compute(), or None if it took longer than seconds or blew the stack."""
    try:
        with time_limit(seconds):
            return compute()
    except (TimedOut, RecursionError):
        return None
