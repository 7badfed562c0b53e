"""SymPy in a second process, so that its import (most of a command's start-up) runs
while the first process imports the command line and parses the input.

`start()` forks a worker that imports SymPy at once and then answers calls. Functions
marked `@remote` run in the worker when there is one, else here; a worker that fails
is dropped and the call runs here. Only the console script starts a worker
(cli/launch.py); tests and library use run everything in one process.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_HEADER = struct.Struct("!I")


class WorkerGone(Exception):
    """The worker died or answered nonsense; the caller falls back to this process."""


class _Worker:
    def __init__(self, pid: int, reader: int, writer: int) -> None:
        self.pid, self.reader, self.writer = pid, reader, writer
        self.next_id = 0
        self.answers: dict[int, tuple[str, Any]] = {}  # arrived before they were asked for

    def send(
        self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        seconds: float | None = None,
    ) -> int:  # fmt: skip
        from core.timebox import remaining

        self.next_id += 1
        budget = seconds if seconds is not None else remaining()
        try:
            _send(self.writer, (self.next_id, module, name, args, kwargs, budget))
        except (OSError, pickle.PickleError) as error:
            raise WorkerGone from error
        return self.next_id

    def answer(self, call_id: int) -> Any:
        while call_id not in self.answers:  # answers come in the order of the calls
            try:
                got_id, status, payload = _receive(self.reader)
            except (OSError, EOFError, pickle.PickleError, struct.error) as error:
                raise WorkerGone from error
            self.answers[got_id] = (status, payload)
        status, payload = self.answers.pop(call_id)
        if status == "error":
            raise payload
        return payload

    def call(self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return self.answer(self.send(module, name, args, kwargs))

    def stop(self) -> None:
        for fd in (self.reader, self.writer):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass


class Pending:
    """A call sent to the worker whose answer is read when needed (or a local result)."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any], seconds: float | None = None) -> None:  # fmt: skip
        self.function, self.args, self.kwargs = function, args, kwargs
        self.seconds = seconds
        self.call_id: int | None = None
        worker = _worker
        if worker is not None and not _in_worker:
            try:
                self.call_id = worker.send(
                    function.__module__, function.__qualname__, args, kwargs, seconds
                )
            except WorkerGone:
                stop()

    def result(self) -> Any:
        worker = _worker
        if self.call_id is not None and worker is not None:
            try:
                return worker.answer(self.call_id)
            except WorkerGone:
                stop()
        if self.seconds is None:
            return _local(self.function)(*self.args, **self.kwargs)
        from core.timebox import budget

        with budget(self.seconds):
            return _local(self.function)(*self.args, **self.kwargs)


def submit(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Pending:
    """Start function (a `@remote` one) in the worker now; read its result later."""
    return Pending(function, args, kwargs)


def submit_within(seconds: float, function: Callable[..., Any], *args: Any) -> Pending:
    """submit, with its own time budget wherever it runs."""
    return Pending(function, args, {}, seconds)


def _local(function: Callable[..., Any]) -> Callable[..., Any]:
    return getattr(function, "__wrapped__", function)


_worker: _Worker | None = None
_in_worker = False


def start() -> None:
    """Fork the worker (where fork exists); it starts importing SymPy immediately."""
    global _worker, _in_worker
    if _worker is not None or _in_worker or not hasattr(os, "fork"):
        return
    if threading.current_thread() is not threading.main_thread():
        return
    to_child, from_parent = os.pipe()
    to_parent, from_child = os.pipe()
    pid = os.fork()
    if pid == 0:
        _in_worker = True
        os.close(from_parent)
        os.close(to_parent)
        _serve(to_child, from_child)
        os._exit(0)
    os.close(to_child)
    os.close(from_child)
    _worker = _Worker(pid, to_parent, from_parent)
    atexit.register(stop)


def stop() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def remote(function: F) -> F:
    """Run function in the worker when there is one (arguments and results are pickled)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _worker is None or _in_worker:
            return function(*args, **kwargs)
        return submit(call, *args, **kwargs).result()

    return call  # type: ignore[return-value]


def _serve(reader: int, writer: int) -> None:
    try:
        import sympy  # noqa: F401  # the point of the worker: pay for this in parallel
    except Exception:  # noqa: S110  # a broken SymPy shows up in the calls themselves
        pass
    from core.timebox import budget

    while True:
        try:
            call_id, module, name, args, kwargs, seconds = _receive(reader)
        except (EOFError, OSError):
            return
        function = getattr(importlib.import_module(module), name)
        try:
            if seconds is None:
                result = (call_id, "ok", function(*args, **kwargs))
            else:
                with budget(seconds):
                    result = (call_id, "ok", function(*args, **kwargs))
        except Exception as error:  # sent back and raised in the caller, as if local
            result = (call_id, "error", error)
        try:
            _send(writer, result)
        except (pickle.PickleError, TypeError, AttributeError):
            failure = RuntimeError(f"{name}: result could not be sent back")
            _send(writer, (call_id, "error", failure))


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
        chunk = os.read(fd, count)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)
