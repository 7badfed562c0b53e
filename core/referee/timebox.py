"""Time limits around calls that can run away (SymPy's simplify, diff, limit, ...).

Counted in CPU time of this process (`time.process_time`, the ITIMER_PROF timer), so a
busy machine takes none of a command's budget: 40 commands side by side each get their
whole 2.5 s. The timer interrupts only Python code on the main thread of a POSIX
process; a computation stuck in C, or a platform without the timer (Windows), is stopped
from outside instead: the SymPy worker is killed at a wall-clock backstop
(core.referee.sympy_worker). A limit that runs out turns an answer into "could not decide",
never into another answer.

DERIV_SYMPY_BUDGET sets the seconds SymPy gets per command (0: none at all, how the
tests show that no verdict rests on SymPy's speed); DERIV_TIMER=off runs without the
timer signal, as on a platform that has none.
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
BUDGET_VARIABLE = "DERIV_SYMPY_BUDGET"
TIMER_VARIABLE = "DERIV_TIMER"
clock = time.process_time  # CPU seconds of this process


class TimedOut(Exception):
    """The time budget ran out."""


@dataclass(slots=True)
class _Budget:
    cpu_end: float  # clock() value where it runs out
    wall_end: float  # time.monotonic() backstop: CPU time elsewhere (the worker) counts too


_active = threading.local()
_budgets: list[_Budget] = []  # innermost last


def remaining() -> float | None:
    """CPU seconds left in the innermost budget, or None outside any budget."""
    if not _budgets:
        return None
    inner = _budgets[-1]
    return max(0.0, min(inner.cpu_end - clock(), inner.wall_end - time.monotonic()))


def wall_remaining() -> float | None:
    """Wall-clock seconds left before the innermost budget's backstop."""
    return max(0.0, _budgets[-1].wall_end - time.monotonic()) if _budgets else None


def charge(seconds: float) -> None:
    """Count CPU time spent elsewhere (the worker's, for this command) against the budget."""
    if _budgets:
        _budgets[-1].cpu_end -= seconds


def backstop(seconds: float) -> float:
    """The wall-clock time a job of `seconds` CPU time may take before it is stopped from
    outside: twice its CPU time (a machine shared with one other busy process) and a
    second to start."""
    return 2 * seconds + 1.0


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """All `within` calls in the body share this much CPU time in total (one command's
    SymPy work), so many small limits cannot add up to a long wait."""
    outer = _budgets[-1] if _budgets else None
    cpu_end = clock() + seconds
    wall_end = time.monotonic() + backstop(seconds)
    if outer is not None:
        cpu_end, wall_end = min(cpu_end, outer.cpu_end), min(wall_end, outer.wall_end)
    _budgets.append(_Budget(cpu_end, wall_end))
    try:
        yield
    finally:
        _budgets.pop()


def timer_available() -> bool:
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGPROF")
        and threading.current_thread() is threading.main_thread()
        and os.environ.get(TIMER_VARIABLE, "").strip().lower() != "off"
    )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimedOut in the body after `seconds` of CPU time. Inside another limit, the
    outer one (already running) is the one that counts."""
    if not timer_available() or getattr(_active, "on", False):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, max(seconds, 1e-6))
    _active.on = True
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
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
    left = remaining()
    if left is not None:
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
