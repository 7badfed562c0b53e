"""The process around the math, through the installed console script as CI and autograders
run it: a killed parent leaves no worker behind, Ctrl-C at any moment is one line and exit
130, closed and full output streams end cleanly, reports are written whole, a course-sized
catalog finishes, and every way of having a worker gives the same answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.cli.test_console_script import deriv_executable
from tests.conftest import LONG_RUN

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
ROOT = Path(__file__).resolve().parents[2]
NO_SYMPY = {**os.environ, "DERIV_SYMPY_BUDGET": "0"}  # no worker: for tests of files alone


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def big_catalog(path: Path, cases: int) -> Path:
    functions = ["x^{k}", "sin({k}x)", "e^({k}x) cos(x)", "ln(x + {k})", "sqrt(x^2 + {k})",
                 "atan(x/{k})", "x^2 sin(x)/{k}", "(x + {k})^3"]  # fmt: skip
    lines = []
    for n in range(cases):
        expr = functions[n % len(functions)].format(k=n % 7 + 1)
        lines += ["[[case]]", f'name = "case {n}"', f'expr = "{expr}"', f'at = "{n % 5 + 1}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_course_sized_catalog_finishes(tmp_path: Path) -> None:
    cases = 1000 if LONG_RUN else 300  # a course's size in the long run, a week's here
    catalog = big_catalog(tmp_path / "course.toml", cases)
    result = subprocess.run([deriv_executable(), "check-all", "--catalog", str(catalog),
                             "--json"], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["passed"] == cases and document["failed"] == 0


def test_a_killed_parent_leaves_no_worker(tmp_path: Path) -> None:
    catalog = big_catalog(tmp_path / "course.toml", 1000)
    process = subprocess.Popen([deriv_executable(), "check-all", "--catalog", str(catalog)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    workers: list[int] = []
    for _ in range(100):  # until the worker is there
        workers = children(process.pid)
        if workers:
            break
        time.sleep(0.05)
    assert workers, "no worker process started"
    time.sleep(0.5)
    process.kill()  # an autograder's timeout: SIGKILL, no clean-up in the parent
    process.wait()
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "the worker outlived its parent"
    assert process.stderr is not None and b"Traceback" not in process.stderr.read()


@pytest.mark.parametrize("after", [0.05, 0.3, 0.8, pytest.param(1.5, marks=pytest.mark.slow)])
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(tmp_path: Path, after: float) -> None:
    catalog = big_catalog(tmp_path / "course.toml", 300)
    report = tmp_path / "report.xml"
    process = subprocess.Popen(
        [deriv_executable(), "check-all", "--catalog", str(catalog), "--junit", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(after)
    workers = children(process.pid)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr + stdout
    # 130 from deriv; -2 (killed by the signal, which a shell also reports as 130) only
    # before the interpreter has started, when no Python code runs yet.
    assert process.returncode in (130, 0) or (process.returncode == -2 and not stderr), stderr
    if process.returncode == 130:
        assert len(stderr.strip().splitlines()) <= 1, stderr
        if report.exists():  # interrupted during the run: the report says how far it got
            root = ET.parse(report).getroot()
            assert any(
                e.get("message", "").startswith("the run stopped") for e in root.iter("error")
            )
    time.sleep(0.3)
    assert not any(alive(w) for w in workers)


def shell(command: str, worker: bool = False) -> subprocess.CompletedProcess[str]:
    """command in bash with $DERIV the console script; without `worker`, SymPy gets no time
    (so no worker starts: these tests are about streams and files, and run faster)."""
    env = {**os.environ, "DERIV": deriv_executable()}
    if not worker:
        env["DERIV_SYMPY_BUDGET"] = "0"
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True,
                          text=True, timeout=60, env=env)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "worker"),
    [('"x^2"', False), ('"x^2" --json', True), ("--help", False), ("--version", False),
     ('"sin(x)" --at 1', True)],
)  # fmt: skip
def test_closed_or_full_output_streams(args: str, worker: bool) -> None:
    closed_reader = shell(f'"$DERIV" {args} | head -1 > /dev/null', worker)
    assert closed_reader.returncode == 0 and closed_reader.stderr == "", closed_reader.stderr
    closed = shell(f'"$DERIV" {args} >&-', worker)
    assert closed.returncode == 0 and "Traceback" not in closed.stderr, closed.stderr
    full = shell(f'"$DERIV" {args} > /dev/full', worker)
    assert full.returncode == 1, full.stderr
    assert full.stderr.strip().splitlines() == [
        "error: cannot write the output: No space left on device"
    ]


def test_a_reader_that_leaves_keeps_the_verdicts_exit_code() -> None:
    result = shell('"$DERIV" check "x^2" --answer "3x" --plain | head -1 > /dev/null')
    assert result.returncode == 1 and result.stderr == ""


def test_a_closed_stdout_never_lands_in_the_catalog(tmp_path: Path) -> None:
    catalog = big_catalog(tmp_path / "answers.toml", 3)
    before = catalog.read_bytes()
    result = shell(f'"$DERIV" check-all --catalog {catalog} >&-')
    assert result.returncode == 0 and catalog.read_bytes() == before


def test_reports_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    catalog = big_catalog(tmp_path / "answers.toml", 3)
    blocked = tmp_path / "report.xml"
    blocked.mkdir()  # the rename onto it fails: nothing is half-written, the error says so
    result = shell(f'"$DERIV" check-all --catalog {catalog} --junit {blocked}')
    assert result.returncode == 1 and "cannot write" in result.stderr
    assert blocked.is_dir() and not list(tmp_path.glob(".deriv-*"))
    missing = tmp_path / "no" / "such" / "folder" / "report.xml"
    result = shell(f'"$DERIV" check-all --catalog {catalog} --junit {missing}')
    assert result.returncode == 1 and "cannot write" in result.stderr
    same = shell(f'"$DERIV" check-all --catalog {catalog} --junit {catalog}')
    assert same.returncode == 2 and catalog.read_text().startswith("[[case]]")


def test_a_malformed_catalog_still_leaves_a_report_that_says_so(tmp_path: Path) -> None:
    catalog = tmp_path / "answers.toml"
    catalog.write_text('[[case]]\nexpr = "x^2"\nexpect = "2x^^"\n', encoding="utf-8")
    report = tmp_path / "report.xml"
    report.write_text("last week's report", encoding="utf-8")
    result = shell(f'"$DERIV" check-all --catalog {catalog} --junit {report}')
    assert result.returncode == 2
    errors = [e.get("message", "") for e in ET.parse(report).getroot().iter("error")]
    assert errors and "expect" in errors[0]


def test_names_that_xml_and_terminals_cannot_take(tmp_path: Path) -> None:
    catalog = tmp_path / "answers.toml"
    catalog.write_text('[[case]]\nname = "bell\\u0007 \\u001b]0;owned\\u0007 \\uffff"\n'
                       'expr = "x^2"\n', encoding="utf-8")  # fmt: skip
    report = tmp_path / "report.xml"
    result = shell(f'"$DERIV" check-all --catalog {catalog} --junit {report} --plain')
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    names = [case.get("name") for case in ET.parse(report).getroot().iter("testcase")]
    assert names and "\x07" not in names[0] and "\x1b" not in names[0]


WORKER_MODES = [
    {"DERIV_WORKER": "fork"}, {"DERIV_WORKER": "spawn"}, {"DERIV_WORKER": "none"},
    {"DERIV_TIMER": "off"}, {"DERIV_WORKER": "spawn", "DERIV_TIMER": "off"},
]  # fmt: skip


def test_every_way_of_having_a_worker_gives_the_same_answers(tmp_path: Path) -> None:
    """Smooth points, a kink, a pole and SymPy's agreement, with the worker forked, spawned,
    absent, and without the CPU timer: the same answers each way."""
    catalog = tmp_path / "modes.toml"
    catalog.write_text(
        '[[case]]\nexpr = "x^2 sin(x)"\nat = "pi/4"\n\n[[case]]\nexpr = "abs(x)"\nat = "0"\n'
        "differentiable = false\nleft = -1\nright = 1\n\n"
        '[[case]]\nexpr = "1/(1 + e^-x)"\nexpect = "y(1 - y)"\n\n'
        '[[case]]\nexpr = "ln(x)"\nat = "2"\n',
        encoding="utf-8",
    )

    def check_all(env: dict[str, str]) -> list[tuple[object, ...]]:
        command = [deriv_executable(), "check-all", "--catalog", str(catalog), "--json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                env={**os.environ, **env})  # fmt: skip
        assert result.returncode == 0, (env, result.stderr)
        document = json.loads(result.stdout)
        assert document["failed"] == 0 and document["undecided"] == 0, (env, document)
        return [(c["expr"], c["derivative"], c["value"], c["ok"]) for c in document["cases"]]

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(check_all, WORKER_MODES))
    assert all(a == answers[0] for a in answers[1:])


def test_a_constant_too_large_for_exact_arithmetic_answers_at_once() -> None:
    started = time.monotonic()
    result = subprocess.run([deriv_executable(), "x (3^9999 + 1)^9999", "--json"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and time.monotonic() - started < 5
    assert "too large for exact arithmetic" in json.loads(result.stdout)["sympy"]["derivative"]


def test_a_catalog_that_is_not_a_file_is_refused_at_once(tmp_path: Path) -> None:
    for target in ("/dev/zero", str(tmp_path)):
        command = [deriv_executable(), "check-all", "--catalog", target]
        result = subprocess.run(command, capture_output=True, text=True, timeout=10, env=NO_SYMPY)
        assert (
            result.returncode == 2
            and "regular file" in result.stderr
            or "directory" in (result.stderr)
        )
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    result = subprocess.run([deriv_executable(), "check-all", "--catalog", str(fifo)],
                            capture_output=True, text=True, timeout=10, env=NO_SYMPY)  # fmt: skip
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_too_few_file_descriptors_for_a_worker_is_no_traceback() -> None:
    result = shell('ulimit -n 12; "$DERIV" "x^2" --at 2 --json')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["value"] == 4
