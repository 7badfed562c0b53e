"""`make bench`, matrices: the engine's Jacobian of a cyclic system and Hessian of a
10-variable function against SymPy's Matrix.jacobian and hessian in the same run, and the
time to evaluate a 10×10 Jacobian at a point."""

from __future__ import annotations

import subprocess
import sys
import time

from memory import forget

from deriv_lecture.core.numeric.evaluate import compiled
from deriv_lecture.core.problem import read_several, read_vector
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.tasks.hessian import hessian
from deriv_lecture.core.tasks.jacobian import jacobian, matrix_at


def cyclic_system(n: int) -> str:
    """F_i = x_i² x_(i+1) + sin(x_(i−1) x_i) + e^(x_i − x_(i+1)), indices mod n."""
    return "[" + ", ".join(
        f"x_{i}^2 x_{(i + 1) % n} + sin(x_{(i - 1) % n} x_{i}) + e^(x_{i} - x_{(i + 1) % n})"
        for i in range(n)
    ) + "]"  # fmt: skip


def cyclic_function(n: int) -> str:
    return " + ".join(f"x_{i}^2 x_{(i + 1) % n} + sin(x_{(i - 1) % n} x_{i})" for i in range(n))


SYMPY_SCRIPT = """
import sys, time
import sympy
n, what = int(sys.argv[1]), sys.argv[2]
x = sympy.symbols(f"x_0:{n}", real=True)
if what == "hessian":
    f = sum(x[i]**2 * x[(i + 1) % n] + sympy.sin(x[i - 1] * x[i]) for i in range(n))
    start = time.perf_counter(); sympy.hessian(f, x); print(time.perf_counter() - start)
else:
    F = sympy.Matrix([x[i]**2 * x[(i + 1) % n] + sympy.sin(x[i - 1] * x[i])
                      + sympy.exp(x[i] - x[(i + 1) % n]) for i in range(n)])
    start = time.perf_counter()
    J = F.jacobian(x)
    if what == "simplified":
        J = J.applyfunc(sympy.simplify)
    print(time.perf_counter() - start)
"""


def sympy_seconds(n: int, what: str) -> float:
    """SymPy's time in a fresh process (its caches empty, as a person's first call)."""
    out = subprocess.run([sys.executable, "-c", SYMPY_SCRIPT, str(n), what],
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    return float(out.stdout.strip())


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        forget()  # nothing remembered from the run before
        start = time.perf_counter()
        with budget(0):  # the engine alone: no SymPy determinant or verdict
            work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def matrix_lines() -> list[str]:
    rows = []
    for n, target in ((10, 0.05), (30, 0.2)):
        names = ",".join(f"x_{i}" for i in range(n))
        problem = read_vector(cyclic_system(n), names, None, {})
        ours = best_of(3, lambda p=problem: jacobian(p, shown=False))
        plain = sympy_seconds(n, "jacobian")
        tidy = sympy_seconds(n, "simplified") if n == 10 else None
        tidy_text = f"{tidy * 1000:.0f}" if tidy is not None else "—"
        verdict = "✓" if ours <= target else "✗"
        rows.append(f"| Jacobian {n}×{n}, simplified | {ours * 1000:.1f} | ≤ {target * 1000:.0f} {verdict}"
                    f" | {plain * 1000:.1f} | {tidy_text} |")  # fmt: skip
    f = read_several(cyclic_function(10), None, None, None, {}, every_symbol=True)
    ours = best_of(3, lambda: hessian(f))
    theirs = sympy_seconds(10, "hessian")
    rows.append(f"| Hessian of a 10-variable f | {ours * 1000:.1f} | ≤ 80 {'✓' if ours <= 0.08 else '✗'}"
                f" | {theirs * 1000:.1f} | — |")  # fmt: skip
    names = ",".join(f"x_{i}" for i in range(10))
    at = ",".join(f"x_{i}={i + 1}" for i in range(10))
    problem = read_vector(cyclic_system(10), names, at, {})
    with budget(0):
        entries = jacobian(problem).entries
    values = problem.point.floats() if problem.point else {}
    functions = [[compiled(e) for e in row] for row in entries]
    start = time.perf_counter()
    for _ in range(100):
        [[function(values) for function in row] for row in functions]
    floats = (time.perf_counter() - start) / 100
    start = time.perf_counter()
    matrix_at(problem, entries)
    exact = time.perf_counter() - start
    return [
        "The cyclic system F_i = x_i² x_(i+1) + sin(x_(i−1) x_i) + e^(x_i − x_(i+1)) (and f, its"
        " sum without the exponentials, for the Hessian). deriv: the engine's rules and its own"
        " simplification, best of 3, nothing remembered between runs; SymPy: `Matrix.jacobian`"
        " (unsimplified) and `.applyfunc(simplify)`, `hessian`, each in a fresh process.",
        "",
        "| what | deriv engine (ms) | target | SymPy (ms) | SymPy simplified (ms) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Evaluating the 10×10 Jacobian at a point: {floats * 1000:.3f} ms in floats (target ≤ 5 ms"
        f" {'✓' if floats <= 0.005 else '✗'}); its exact values by the engine's arithmetic"
        f" {exact * 1000:.1f} ms.",
    ]


if __name__ == "__main__":
    print("\n".join(matrix_lines()))
