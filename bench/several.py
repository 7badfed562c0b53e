"""`make bench`, several variables: the gradient's estimates from values of f alone against
SymPy's partial derivatives to 30 digits, and the engine's gradient of a 10-variable
function against sympy.diff per variable, in the same run."""

from __future__ import annotations

import statistics
import time

import sympy
from memory import forget
from sympy.core.cache import clear_cache

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.problem import read_several
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.tasks.partials import gradient

# From the lecture's next chapter and the standard texts' worked examples: polynomials,
# products with trig and exponentials, a loss of (w, b), angles, logs, roots, three variables.
GRADIENT_CASES = [
    ("x^2 y + sin(x y)", "x=1,y=2"),
    ("x^3 y^2 - 4x y + y^3", "x=2,y=-1"),
    ("e^(x y) cos(x + y)", "x=0.5,y=-0.3"),
    ("ln(x^2 + y^2)", "x=3,y=4"),
    ("sqrt(x^2 + y^2)", "x=3,y=4"),
    ("atan(y/x)", "x=1,y=1"),
    ("x y / (x^2 + y^2)", "x=1,y=2"),
    ("(w x + b - 3)^2", "w=0.5,x=2,b=1"),
    ("1/(1 + e^-(w x + b))", "w=2,x=-1,b=0.5"),
    ("x y z + sin(x) cos(y) e^z", "x=1,y=2,z=0.5"),
    ("sin(x)^2 + cos(y)^2 + tan(z)", "x=pi/6,y=pi/4,z=pi/8"),
    ("x^y", "x=2,y=3"),
    ("log_2(x y) + x/y", "x=4,y=0.5"),
    ("sinh(x - y) + cosh(x y)", "x=0.7,y=1.3"),
    ("(x^2 + y^2 + z^2)^(3/2)", "x=1,y=2,z=2"),
]
CYCLE = 10
SYMPY_REPEAT = 5


def _relative(value: float, true: float) -> float:
    return abs(value - true) / abs(true) if abs(true) > 1e-10 else abs(value - true)


def gradient_accuracy() -> list[dict[str, object]]:
    """Each component's estimate (Ridders along its axis, from f's values) and error bar
    against SymPy's partial derivative evaluated to 30 digits at the same float point."""
    rows = []
    for source, at in GRADIENT_CASES:
        with budget(0):  # the estimates never ask SymPy
            result = gradient(read_several(source, None, None, at, {}, every_symbol=True))
        problem = result.problem
        assert problem.point is not None
        symbols: dict[str, sympy.Symbol] = {}
        f = to_sympy(problem.expr, symbols)
        floats = problem.point.floats()
        subs = {symbols[n]: sympy.Float(v, 30) for n, v in floats.items()}
        for var, analysis in zip(problem.variables, result.at, strict=True):
            true = float(sympy.diff(f, symbols[var]).evalf(30, subs=subs))
            estimate = analysis.estimate
            assert estimate is not None
            rows.append(
                {
                    "case": f"∂/∂{var} {source} at {at}",
                    "error": _relative(estimate.value, true),
                    "bar": estimate.error / abs(true) if abs(true) > 1e-10 else estimate.error,
                    "covered": abs(estimate.value - true) <= estimate.error,
                }
            )
    return rows


def accuracy_lines() -> list[str]:
    rows = gradient_accuracy()
    errors = [float(r["error"]) for r in rows]  # type: ignore[arg-type]
    covered = sum(1 for r in rows if r["covered"])
    median, worst = statistics.median(errors), max(errors)
    lines = [
        f"**{len(rows)} components of {len(GRADIENT_CASES)} gradients** (median / worst relative"
        f" error of the estimate from values of f alone): {median:.1e} / {worst:.1e}"
        f" (targets ≤ 1e-13 {'✓' if median <= 1e-13 else '✗'} / ≤ 1e-11"
        f" {'✓' if worst <= 1e-11 else '✗'}); the error bar covers the true error in {covered}"
        f" of {len(rows)}.",
        "",
        "| component | relative error | error bar | covers? |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['case']}` | {float(r['error']):.1e} | {float(r['bar']):.1e} |"  # type: ignore[arg-type]
            f" {'yes' if r['covered'] else '**no**'} |"
        )
    return lines


def cyclic(n: int) -> str:
    """Σ x_i² x_{i+1} + sin(x_{i−1} x_i), indices mod n."""
    terms = [f"x_{i}^2 x_{(i + 1) % n} + sin(x_{(i - 1) % n} x_{i})" for i in range(n)]
    return " + ".join(terms)


def gradient_speed_lines() -> list[str]:
    source = cyclic(CYCLE)
    expr = parse_expr(source)
    names = tuple(f"x_{i}" for i in range(CYCLE))

    def ours() -> float:
        forget()  # every run pays in full
        start = time.perf_counter()
        for name in names:
            derive(expr, name)  # the rules and the engine's own simplification
        return time.perf_counter() - start

    symbols: dict[str, sympy.Symbol] = {}
    function = to_sympy(expr, symbols)

    def theirs() -> float:
        clear_cache()  # SymPy memoises diff: a first call pays in full
        start = time.perf_counter()
        for name in names:
            sympy.diff(function, symbols[name])
        return time.perf_counter() - start

    def theirs_simplified() -> float:
        clear_cache()
        start = time.perf_counter()
        for name in names:
            sympy.simplify(sympy.diff(function, symbols[name]))
        return time.perf_counter() - start

    engine = min(ours() for _ in range(7))
    plain = min(theirs() for _ in range(SYMPY_REPEAT))
    tidy = min(theirs_simplified() for _ in range(2))
    verdict = "✓" if engine <= 0.05 else "✗"
    return [
        "Gradient of the cyclic 10-variable f = Σ x_i² x_(i+1) + sin(x_(i−1) x_i) (best of"
        " several runs, nothing remembered between them):",
        "",
        "| who | ms | ÷ deriv |",
        "|---|---|---|",
        f"| deriv engine: rules + its own simplification, 10 partials | {engine * 1000:.1f} |"
        f" 1 (target ≤ 50 ms {verdict}) |",
        f"| `sympy.diff` per variable (no simplification) | {plain * 1000:.1f} |"
        f" {plain / engine:.1f} |",
        f"| `sympy.simplify(sympy.diff(...))` per variable | {tidy * 1000:.0f} |"
        f" {tidy / engine:.0f} |",
    ]


def several_lines() -> list[str]:
    return [
        "Estimates from values of f alone, as `deriv grad --at` prints them: Ridders along each"
        " axis, against SymPy's partial derivative to 30 digits at the same float point.",
        "",
        *accuracy_lines(),
        "",
        *gradient_speed_lines(),
    ]


if __name__ == "__main__":
    print("\n".join(several_lines()))
