"""core/referee/sympy_worker.py: calls run in the worker process (forked, spawned, or none at
all), errors come back as errors, answers come back in any order, and a call that does
not answer in time is undecided while the stuck worker is replaced. Each scenario runs in
a fresh interpreter (the worker forks)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import os, sys, time
from deriv_lecture.core.referee import sympy_worker, timebox
from deriv_lecture.core.errors import DomainError
from tests import worker_probe as probe

sympy_worker.start()
pid, square = probe.where(7)
print("elsewhere", pid != os.getpid(), square)
try:
    probe.failing()
except DomainError as error:
    print("error", error.message)
first = sympy_worker.submit(probe.where, 2)
second = sympy_worker.submit(probe.where, 3)
print("out of order", second.result()[1], first.result()[1])
many = [sympy_worker.submit(probe.where, k) for k in range(300)]
print("many", sum(p.result()[1] for p in many) == sum(k * k for k in range(300)))
if os.environ["DERIV_WORKER"] != "none":  # in this process a sleep cannot be stopped
    with timebox.budget(0.3):
        started = time.monotonic()
        print("stuck", probe.stuck(30), time.monotonic() - started < 5)
    print("replaced", probe.where(5)[1])
with timebox.budget(0.3):
    print("spinning", probe.spinning(5))
print("sympy here", "sympy" in sys.modules)
"""


@pytest.mark.parametrize("mode", ["fork", pytest.param("spawn", marks=pytest.mark.slow), "none"])
def test_each_way_of_having_a_worker(mode: str) -> None:
    env = {**os.environ, "DERIV_WORKER": mode, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120, env=env, cwd=ROOT)  # fmt: skip
    lines = result.stdout.splitlines()
    elsewhere = mode != "none"
    assert lines == [
        f"elsewhere {elsewhere} 49",
        "error no value here",
        "out of order 9 4",
        "many True",
        *(["stuck undecided True", "replaced 25"] if elsewhere else []),
        "spinning stopped",
        "sympy here False",
    ], result.stderr
