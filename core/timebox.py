"""A time limit around calls that can run away (SymPy's simplify, diff, limit, ...).

Uses SIGALRM, so it limits only on the main thread of a Unix process; elsewhere the call
runs without a limit rather than failing.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class TimedOut(Exception):
    """The time budget ran out."""


_active = threading.local()
_deadline: list[float] = []  # innermost budget last


def remaining() -> float | None:
    """Seconds left in the innermost budget, or None outside any budget."""
    return max(0.0, _deadline[-1] - time.monotonic()) if _deadline else None


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """All `within` calls in the body share this much time in total (one command's
    SymPy work), so many small limits cannot add up to a long wait."""
    end = time.monotonic() + seconds
    if _deadline:
        end = min(end, _deadline[-1])
    _deadline.append(end)
    try:
        yield
    finally:
        _deadline.pop()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimedOut in the body after `seconds`. Inside another limit, the outer one
    (already running) is the one that counts."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or getattr(_active, "on", False):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _active.on = True
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _active.on = False


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What a time-limited call gave: its value, or why there is none."""

    value: T | None
    failure: str | None = None  # "time" when the limit ran out, else the error, in words

    @property
    def timed_out(self) -> bool:
        return self.failure == "time"


def attempt(seconds: float, compute: Callable[[], T]) -> Outcome[T]:
    """compute() under a time limit, with the reason when it gives nothing.

    For SymPy calls that only add to an answer (a proof, an exact form, a limit): SymPy
    raises many kinds of errors (NotImplementedError, PolynomialError, ...) on inputs it
    cannot handle, and none of them may take the command down. Inside a `budget`, the
    limit is also what is left of the budget."""
    if _deadline:
        left = _deadline[-1] - time.monotonic()
        if left <= 0.01:
            return Outcome(None, "time")
        seconds = min(seconds, left)
    try:
        with time_limit(seconds):
            return Outcome(compute())
    except TimedOut:
        return Outcome(None, "time")
    except RecursionError:
        return Outcome(None, "the expression is nested too deeply for SymPy")
    except (ArithmeticError, ValueError, TypeError, NotImplementedError, AttributeError,
            KeyError, IndexError) as error:  # fmt: skip
        return Outcome(None, _described(error))
    except Exception as error:  # SymPy's own error classes (PolynomialError, ...)
        if type(error).__module__.startswith("sympy"):
            return Outcome(None, _described(error))
        raise


def within(seconds: float, compute: Callable[[], T]) -> T | None:
    """compute(), or None if it took longer than seconds, blew the stack or failed."""
    return attempt(seconds, compute).value


def _described(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:120]}" if text else type(error).__name__


BUDGET_VARIABLE = "DERIV_SYMPY_BUDGET"


def sympy_budget(default: float) -> float:
    """Seconds SymPy may spend on one command (one case of check-all). The environment
    variable DERIV_SYMPY_BUDGET sets it for every command; 0 means SymPy never answers in
    time, which is how the tests show that no verdict rests on SymPy's speed."""
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        return default
    return max(0.0, seconds) if math.isfinite(seconds) else default
