"""`deriv backprop`: decompose, merge, run both passes, and compare with the rule engine and
the numeric limit."""

from __future__ import annotations

from dataclasses import dataclass

from core.backprop import Graph, Pass, agrees_with, decompose, merge, run_numeric, run_symbolic
from core.derive import derive
from core.errors import MathError
from core.evaluate import evaluate
from core.exact import exact_value
from core.numeric import Estimate, best_estimate
from core.point import constant_value
from core.tree import Expr


@dataclass(frozen=True, slots=True)
class BackpropResult:
    graph: Graph
    symbolic: Pass
    numeric: Pass | None  # with --at
    at: float | None
    derivative: Expr  # the rule engine's f'
    rule_exact: Expr | None  # f'(a) exactly
    rule_value: float | None  # f'(a)
    estimate: Estimate | None  # the limit, from values of f alone
    in_terms_of_y: Expr | None
    agrees: bool  # backward pass = rule engine (symbolically, and at the point)
    merged: bool = False


def backprop(
    expr: Expr,
    var: str,
    at: Expr | None,
    lets: dict[str, Expr],
    groups: list[tuple[int, int]] | None = None,
) -> BackpropResult:
    graph = decompose(expr, var)
    if groups:
        graph = merge(graph, groups)
    derivation = derive(expr, var)
    symbolic = run_symbolic(graph)
    agrees = agrees_with(graph, symbolic, derivation.derivative)
    shown_y = derivation.in_terms_of_y
    if at is None:
        return BackpropResult(
            graph, symbolic, None, None, derivation.derivative, None, None, None, shown_y,
            agrees, bool(groups),
        )  # fmt: skip
    point = constant_value(at, "--at", lets)
    values = {name: evaluate(constant_value(v, "--let", {}), {}) for name, v in lets.items()}
    a = evaluate(point, {})
    numeric = run_numeric(graph, a, values)
    rule_exact = exact_value(derivation.derivative, {**lets, var: point})
    rule_value = evaluate(derivation.derivative, {**values, var: a})
    backward = float(numeric.gradients[var])  # type: ignore[arg-type]
    close = abs(backward - rule_value) <= 1e-9 * max(1.0, abs(rule_value))

    def f(t: float) -> float:
        return evaluate(expr, {**values, var: t})

    try:
        estimate = best_estimate(f, a)
    except MathError:
        estimate = None
    return BackpropResult(
        graph, symbolic, numeric, a, derivation.derivative, rule_exact, rule_value, estimate,
        shown_y, agrees and close, bool(groups),
    )  # fmt: skip
