"""The process around the math: standard streams that may be closed, full or gone, Ctrl-C,
and report files that are replaced whole or not at all. Light on purpose (no Typer, no
Rich): the launcher uses it before anything heavy is imported.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
import tempfile
from typing import NoReturn

from deriv_lecture.cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, OutputError, printable


def guard_streams() -> None:
    """Make stdin, stdout and stderr usable whatever the caller did. A closed descriptor
    (`deriv ... >&-`) is pointed at the null device, so that no file deriv opens later
    (a catalog, a report) can take its number and receive the output; and output never
    fails on a character its encoding lacks."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:  # fds below it are open, so it is fd itself; be sure anyway
                os.dup2(opened, fd)
                os.close(opened)
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        if stream is None:  # Python found the descriptor closed at start-up
            setattr(sys, name, io.TextIOWrapper(open(fd, "wb", closefd=False), "utf-8"))
            stream = getattr(sys, name)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def output_failed(error: OSError) -> int:
    """What a failed write to stdout means: a reader that left (`| head -1`) is no error
    and is not reported; anything else (a full disk) is one line on stderr and exit 1."""
    silence_stdout()
    if error.errno == errno.EPIPE or isinstance(error, BrokenPipeError):
        return -1  # the caller keeps the exit code it had
    reason = error.strerror or str(error)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"error: cannot write the output: {reason}\n")
        sys.stderr.flush()
    return EXIT_FAILED


def silence_stdout() -> None:
    """Point stdout at the null device: whatever is still buffered is dropped, and the
    interpreter's last flush cannot fail (it printed a traceback on a closed pipe)."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    with contextlib.suppress(Exception):
        sys.stdout = io.TextIOWrapper(open(os.devnull, "wb"), "utf-8")


def interrupted(message: str = "interrupted") -> int:
    """Ctrl-C: one line, exit 130; a second Ctrl-C during the way out changes nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(printable(message) + "\n")
        sys.stderr.flush()
    return EXIT_INTERRUPTED


def end(code: int) -> NoReturn:
    """Flush what is left and leave with code, never with a traceback on the way out.

    The process ends with os._exit after its own clean-up: the interpreter's finalization
    would put back the default Ctrl-C handler (a Ctrl-C then killed the process by signal,
    after its work was done) and flush streams that may be gone."""
    try:
        sys.stdout.flush()
    except OSError as error:
        failed = output_failed(error)
        code = code if failed < 0 else failed
    except ValueError:  # stdout was closed under us
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # from here on Ctrl-C changes nothing
    worker = sys.modules.get("deriv_lecture.core.referee.sympy_worker")
    if worker is not None:
        worker.stop()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def write_atomically(path: str, data: bytes) -> None:
    """Replace the file at path by data, whole: written to a temporary file beside it and
    renamed into place. On any failure the old file stays, the temporary one goes, and
    the error says why (exit 1: the input was fine)."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".deriv-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # as a plain open() would have made it
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
