"""core/sympy_worker.py: calls run in the worker process, errors come back as errors,
and a dead worker falls back to this process. Run in a fresh interpreter (it forks)."""

import subprocess
import sys

SCRIPT = """
import os, sys
from core import sympy_worker
from core.errors import DomainError
from core.exact import exact_value
from core.parser import parse_expr
from core.printer import to_input

sympy_worker.start()
worker = sympy_worker._worker
print("pid", worker.pid != os.getpid())
print("value", to_input(exact_value(parse_expr("sin(x)"), {"x": parse_expr("pi/4")})))
print("sympy here", "sympy" in sys.modules)
try:
    exact_value(parse_expr("ln(x)"), {"x": parse_expr("0")})
except DomainError as error:
    print("error", type(error).__name__, error.message)
first = sympy_worker.submit(exact_value, parse_expr("x^2"), {"x": parse_expr("5")})
second = sympy_worker.submit(exact_value, parse_expr("x^3"), {"x": parse_expr("2")})
print("out of order", to_input(second.result()), to_input(first.result()))
worker.stop()
print("fallback", to_input(exact_value(parse_expr("x^2"), {"x": parse_expr("3")})))
print("worker", sympy_worker._worker)
"""


def test_worker_round_trip_errors_and_fallback() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    lines = result.stdout.splitlines()
    assert lines == [
        "pid True",
        "value sqrt(2)/2",
        "sympy here False",  # the work happened in the worker
        "error DomainError the function is not defined there (division by zero or a pole)",
        "out of order 8 25",
        "fallback 9",
        "worker None",
    ], result.stderr
