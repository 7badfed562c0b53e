"""SymPy in a second process: its import (most of a command's start-up) runs while the
first process imports the command line, and a SymPy call that runs away can be stopped
from outside, whatever it is doing.

Functions marked `@remote` run in the worker when there is one, else here. Every call has
a budget of CPU seconds, counted by the worker's own timer (core.referee.timebox), and a
wall-clock backstop in this process: a call that has not answered by then (stuck in C,
or on a platform without the timer) gets its function's "could not decide" answer, and
the worker is killed and replaced. At most MAX_IN_FLIGHT calls are outstanding at once,
and a thread here reads every answer as it comes, so neither process ever waits on a full
pipe (a 300-case catalog used to deadlock).

Where the worker comes from, tried in turn: fork (POSIX; it starts importing SymPy at
once), a spawned interpreter (`python -m core.referee.sympy_worker`, where fork is missing or
fails), or none: the calls run here, under the same limits. DERIV_WORKER=fork, spawn or
none forces one of them (the tests force each). The worker dies with this process:
Linux's parent-death signal, and a thread that watches the parent's pid elsewhere.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from deriv_lecture.core.referee import timebox

F = TypeVar("F", bound=Callable[..., Any])
_HEADER = struct.Struct("!Q")
MODE_VARIABLE = "DERIV_WORKER"
MAX_IN_FLIGHT = 4
MAX_RESTARTS = 2  # replacements of a killed worker per command; after that, undecided
UNDECIDED = "undecided"


class WorkerGone(Exception):
    """The worker died, or could not be reached."""


class _Worker:
    """The other end: a process, the pipes to it, and a thread that reads its answers."""

    def __init__(self, pid: int, reader: int, writer: int, process: Any = None) -> None:
        self.pid, self.reader, self.writer, self.process = pid, reader, writer, process
        self.answers: dict[int, tuple[str, Any, float]] = {}
        self.changed = threading.Condition()
        self.dead = False
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self) -> None:
        """Runs until the worker's end of the pipe closes (it exits or is killed); only
        then is the descriptor closed, here, so that its number cannot be reused for a new
        worker's pipe while this thread still reads from it."""
        try:
            while True:
                call_id, status, payload, cpu = _receive(self.reader)
                with self.changed:
                    self.answers[call_id] = (status, payload, cpu)
                    self.changed.notify_all()
        except Exception:  # EOF, a closed pipe, nonsense: the worker is gone
            with self.changed:
                self.dead = True
                self.changed.notify_all()
        finally:
            try:
                os.close(self.reader)
            except OSError:
                pass

    def send(self, message: tuple[Any, ...]) -> None:
        try:
            _send(self.writer, message)
        except (OSError, ValueError, pickle.PickleError) as error:
            raise WorkerGone from error

    def wait(self, call_id: int, until: float) -> tuple[str, Any, float] | None:
        """The answer to a call, or None once time.monotonic() passes `until`."""
        with self.changed:
            while call_id not in self.answers:
                if self.dead:
                    raise WorkerGone
                left = until - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(min(left, 0.5))
            return self.answers.pop(call_id)

    def answered(self, call_id: int) -> bool:
        with self.changed:
            return call_id in self.answers or self.dead

    def kill(self) -> None:
        try:
            os.close(self.writer)
        except OSError:
            pass
        try:
            if self.process is not None:
                self.process.kill()
                self.process.wait(timeout=5)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError, subprocess.TimeoutExpired):
            pass


class Pending:
    """A call to a `@remote` function, sent to the worker when there is room; its answer
    is read when `result()` asks for it (or, with no worker, computed then)."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any], seconds: float | None = None) -> None:  # fmt: skip
        self.function, self.args, self.kwargs = function, args, kwargs
        left = timebox.remaining()
        if seconds is not None and left is not None:  # a call's own budget fits the command's
            seconds = min(seconds, left)
        self.seconds = seconds
        self.call_id: int | None = None
        self.deadline = 0.0
        self.outcome: tuple[str, Any] | None = None  # ("ok" | "error" | UNDECIDED, payload)
        if (seconds if seconds is not None else timebox.remaining()) == 0:
            # The command's SymPy time is spent (or was 0): undecided at once, without
            # sending the call or, with no worker, importing SymPy here.
            self.outcome = (UNDECIDED, None)
        elif _wants_worker():
            _queue.append(self)
            _pump()

    def result(self) -> Any:
        while self.outcome is None and (self in _queue or self.call_id is not None):
            _pump()
            if self.call_id is None:  # waiting for room: the oldest call first
                oldest = next(iter(_in_flight.values()), None)
                if oldest is None:
                    break
                oldest._collect()
            else:
                self._collect()
        if self.outcome is None:
            return self._here()
        status, payload = self.outcome
        if status == "error":
            raise payload
        if status == UNDECIDED:
            return _undecided(self.function, self.args, self.kwargs)
        return payload

    def _collect(self) -> None:
        """Wait for this call's answer (until its deadline); a call past it is undecided
        and the worker, stuck somewhere, is replaced."""
        worker = _worker
        assert self.call_id is not None
        if worker is None:
            self._finish(UNDECIDED, None)
            return
        try:
            answer = worker.wait(self.call_id, self.deadline)
        except WorkerGone:
            _drop_worker()
            return
        if answer is None:
            _drop_worker()
            return
        status, payload, cpu = answer
        timebox.charge(cpu)
        self._finish(status, payload)

    def _finish(self, status: str, payload: Any) -> None:
        self.outcome = (status, payload)
        if self.call_id is not None:
            _in_flight.pop(self.call_id, None)
        self.call_id = None

    def _here(self) -> Any:
        local = getattr(self.function, "__wrapped__", self.function)
        if self.seconds is None:
            return local(*self.args, **self.kwargs)
        with timebox.budget(self.seconds):
            return local(*self.args, **self.kwargs)


def submit(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Pending:
    """Start function (a `@remote` one) in the worker now; read its result later."""
    return Pending(function, args, kwargs)


def submit_within(seconds: float, function: Callable[..., Any], *args: Any) -> Pending:
    """submit, with its own budget of CPU seconds wherever it runs."""
    return Pending(function, args, {}, seconds)


def remote(undecided: Callable[..., Any]) -> Callable[[F], F]:
    """Run the function in the worker when there is one (arguments and results are
    pickled). `undecided(*args)` is its answer when the worker had to be stopped."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            if timebox.remaining() == 0:  # no SymPy time left in this command
                return _undecided(call, args, kwargs)
            if not _wants_worker():
                return function(*args, **kwargs)
            return submit(call, *args, **kwargs).result()

        call._undecided = undecided  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate


def _undecided(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    make = getattr(function, "_undecided", None)
    return None if make is None else make(*args, **kwargs)


# -- this process's side ------------------------------------------------------------------
_worker: _Worker | None = None
_in_worker = False  # True inside the worker: its own @remote calls run there
_wanted = False  # a worker was started for this process (so one is replaced when killed)
_restarts = 0
_next_id = 0
_queue: deque[Pending] = deque()
_in_flight: dict[int, Pending] = {}


def _wants_worker() -> bool:
    return _wanted and not _in_worker and (_worker is not None or _restarts <= MAX_RESTARTS)


def _pump() -> None:
    """Send queued calls while there is room (MAX_IN_FLIGHT); start a worker if needed."""
    global _next_id
    for call_id in [c for c in _in_flight if _worker is not None and _worker.answered(c)]:
        answered = _in_flight.get(call_id)
        if answered is not None:
            answered._collect()
    while _queue and len(_in_flight) < MAX_IN_FLIGHT:
        worker = _worker or _replace_worker()
        if worker is None:
            for pending in list(_queue):
                pending.outcome = (UNDECIDED, None)
            _queue.clear()
            return
        pending = _queue.popleft()
        _next_id += 1
        seconds = pending.seconds if pending.seconds is not None else timebox.remaining()
        pending.call_id = _next_id
        function = pending.function
        message = (_next_id, function.__module__, function.__qualname__, pending.args,
                   pending.kwargs, seconds)  # fmt: skip
        try:
            worker.send(message)
        except WorkerGone:
            pending.call_id = None
            _queue.appendleft(pending)
            _drop_worker()
            continue
        earlier = max((p.deadline for p in _in_flight.values()), default=time.monotonic())
        allowed = timebox.backstop(seconds if seconds is not None else 10.0)
        pending.deadline = max(earlier, time.monotonic()) + allowed
        command_left = timebox.wall_remaining()
        if command_left is not None:
            pending.deadline = min(pending.deadline, time.monotonic() + command_left + 0.5)
        _in_flight[_next_id] = pending


def _drop_worker() -> None:
    """Kill the worker (stuck or dead); its calls in flight are undecided."""
    global _worker, _restarts
    if _worker is not None:
        _worker.kill()
    _worker = None
    _restarts += 1
    for pending in list(_in_flight.values()):
        pending._finish(UNDECIDED, None)
    _in_flight.clear()


def _replace_worker() -> _Worker | None:
    """A fresh worker after one was killed: spawned (this process now has threads, and a
    fork would copy them half-way)."""
    global _worker
    if _restarts > MAX_RESTARTS:
        return None
    _worker = _spawn()
    return _worker


def start() -> None:
    """Start the worker the way the platform (or DERIV_WORKER) allows; it starts
    importing SymPy at once."""
    global _worker, _wanted
    if _worker is not None or _in_worker:
        return
    mode = os.environ.get(MODE_VARIABLE, "auto").strip().lower()
    if mode == "none":
        return
    _wanted = True
    if mode in ("auto", "fork"):
        _worker = _fork()
    if _worker is None and mode in ("auto", "spawn"):
        _worker = _spawn()
    if _worker is None:
        _wanted = False  # neither way works here: everything runs in this process
    else:
        atexit.register(stop)


def stop() -> None:
    global _worker
    if _worker is not None:
        _worker.kill()
        _worker = None


def _fork() -> _Worker | None:
    global _in_worker
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    try:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
    except OSError:
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the next way
        for fd in (to_child, from_parent, to_parent, from_child):
            os.close(fd)
        return None
    if pid == 0:
        _in_worker = True
        try:
            os.close(from_parent)
            os.close(to_parent)
            _serve(to_child, from_child, parent)
        finally:
            os._exit(0)
    os.close(to_child)
    os.close(from_child)
    return _Worker(pid, to_parent, from_parent)


def _spawn() -> _Worker | None:
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True,
        )  # fmt: skip
    except (OSError, ValueError):
        return None
    assert process.stdin is not None and process.stdout is not None
    # Descriptors of our own: the file objects are closed now, not at some later garbage
    # collection that could close a number by then given to another pipe.
    reader, writer = os.dup(process.stdout.fileno()), os.dup(process.stdin.fileno())
    process.stdout.close()
    process.stdin.close()
    return _Worker(process.pid, reader, writer, process)


# -- the worker's side --------------------------------------------------------------------
def _serve(reader: int, writer: int, parent: int) -> None:
    _guard_parent(parent)
    try:
        import sympy  # noqa: F401  # the point of the worker: pay for this in parallel
    except Exception:  # a broken SymPy shows up in the calls themselves
        pass
    while True:
        try:
            call_id, module, name, args, kwargs, seconds = _receive(reader)
        except Exception:  # the parent closed the pipe or is gone
            return
        started = timebox.clock()
        try:
            function = getattr(importlib.import_module(module), name)
            function = getattr(function, "__wrapped__", function)
            if seconds is None:
                value = function(*args, **kwargs)
            else:
                with timebox.budget(seconds):
                    value = function(*args, **kwargs)
            answer: tuple[Any, ...] = (call_id, "ok", value)
        except (timebox.TimedOut, RecursionError, MemoryError):
            answer = (call_id, UNDECIDED, None)
        except Exception as error:  # raised in the caller, as if local
            answer = (call_id, "error", error)
        cpu = timebox.clock() - started
        try:
            _send(writer, (*answer, cpu))
        except (pickle.PickleError, TypeError, AttributeError):
            _send(writer, (call_id, UNDECIDED, None, cpu))
        except OSError:
            return  # the parent is gone


def _guard_parent(parent: int) -> None:
    """Ctrl-C is the parent's to handle, and the worker never outlives the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _receive(fd: int) -> Any:
    header = _read_exactly(fd, _HEADER.size)
    (length,) = _HEADER.unpack(header)
    return pickle.loads(_read_exactly(fd, length))


def _read_exactly(fd: int, count: int) -> bytes:
    chunks = []
    while count:
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _serve_spawned() -> None:
    """python -m core.referee.sympy_worker PARENT_PID: the protocol on copies of stdin and stdout,
    which themselves point nowhere (a stray print cannot corrupt a message)."""
    reader, writer = os.dup(0), os.dup(1)
    nowhere = os.open(os.devnull, os.O_RDWR)
    os.dup2(nowhere, 0)
    os.dup2(nowhere, 1)
    _serve(reader, writer, int(sys.argv[1]))


if __name__ == "__main__":
    _serve_spawned()
