"""`deriv backprop`: decompose, merge, run both passes, and compare with the rule engine and
the numeric limit."""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import check_lets, derive
from deriv_lecture.core.errors import MathError
from deriv_lecture.core.functions import SWITCH
from deriv_lecture.core.numeric.classify import Classification, classify
from deriv_lecture.core.numeric.domains import guards
from deriv_lecture.core.numeric.estimates import Estimate, best_estimate
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.local import SMOOTH, Local, reach
from deriv_lecture.core.numeric.point import constant_value
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Problem
from deriv_lecture.core.referee.exact import exact_value
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.backprop import (
    Graph,
    Module,
    Pass,
    agrees_with,
    by_convention,
    decompose,
    expand_modules,
    merge,
    run_numeric,
    run_symbolic,
)


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
    agrees: bool | None  # backward pass = rule engine (as formulas, and at the point)
    merged: bool = False
    verdict: Classification | None = None  # at the point: does dy/dx exist there?
    conventions: tuple[str, ...] = ()  # local derivatives taken at a kink, by convention

    @property
    def differentiable(self) -> bool | None:
        return None if self.verdict is None else self.verdict.differentiable


def backprop(problem: Problem, groups: list[tuple[int, int]] | None = None) -> BackpropResult:
    """The problem's function as modules, values forward and gradients backward (at its
    point, if it has one), checked against the rule engine."""
    expr, var, at, lets = problem.expr, problem.var, problem.at, dict(problem.lets)
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
    check_lets(var, lets)
    point = constant_value(at, "--at", lets)
    values = {name: evaluate(constant_value(v, "--let", {}), {}) for name, v in lets.items()}
    local = Local(var, {**lets, var: point})
    verdict = classify(expr, (derivation.derivative, derivation.steps.result), local)
    a = evaluate(point, {})
    numeric = run_numeric(graph, a, values)
    conventions = conventions_at(graph, numeric, local)
    if not verdict.differentiable:
        # No dy/dx to compare with: the backward pass's number comes from a convention
        # at the kink (relu'(0) = 0, as PyTorch takes it), and the limit has two sides.
        return BackpropResult(
            graph, symbolic, numeric, a, derivation.derivative, None, None, None, shown_y,
            agrees, bool(groups), verdict, conventions,
        )  # fmt: skip
    assert verdict.slope is not None
    rule_exact = exact_value(verdict.slope, {}) or verdict.slope
    rule_value = decimal(verdict.slope)
    backward = float(numeric.gradients[var])  # type: ignore[arg-type]
    close = rule_value is not None and abs(backward - rule_value) <= 1e-9 * max(
        1.0, abs(rule_value)
    )

    def f(t: float) -> float:
        return evaluate(expr, {**values, var: t})

    try:
        radius = reach((expr,), var, {**values, var: a})
        estimate = best_estimate(f, a, radius) if local.status(expr).state == SMOOTH else None
    except MathError:
        estimate = None
    return BackpropResult(
        graph, symbolic, numeric, a, derivation.derivative, rule_exact, rule_value, estimate,
        shown_y, close if agrees is None else (agrees and close), bool(groups), verdict,
        conventions,
    )  # fmt: skip


def conventions_at(graph: Graph, numeric: Pass, local: Local) -> tuple[str, ...]:
    """Modules whose input sits exactly on their kink (relu at 0, |u| at 0, a tie of max),
    decided exactly from the module in terms of the variable: the backward pass used the
    formula's value there, a convention, not a derivative."""
    found = []
    for module in graph.modules:
        for guard in guards(module.formula, graph.inputs[0], lambda e: None, lambda e: e):
            if guard.kind != SWITCH:
                continue
            quantity = expand_modules(guard.quantity, graph.expansions)
            if local.sign(quantity).value == 0:
                found.append(
                    f"{module.name} = {to_input(module.formula)} is at its kink ({guard.edge}):"
                    f" its local derivative there ({_local_values(module, numeric.values)}) is"
                    " a convention (PyTorch's relu'(0) = 0, |u|'(0) = 0), not a derivative"
                )
    return tuple(found)


def _local_values(module: Module, point: dict[str, float]) -> str:
    parts = []
    for name, local in zip(module.inputs, module.local, strict=True):
        try:
            parts.append(f"∂{module.name}/∂{name} = {evaluate(by_convention(local), point):g}")
        except MathError:
            parts.append(f"∂{module.name}/∂{name} undefined")
    return ", ".join(parts)
