"""`deriv backprop` with many inputs: the graph (inputs → modules → y, forks visible), the
forward and backward passes with the patterns of backward flow named, the "data | grad"
table of every node, and every input's gradient against the rule engine, SymPy and an
estimate from values of f alone; its JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deriv_lecture.cli.jsonout import finite
from deriv_lecture.cli.report import Cell, Fields, Report, Section, Status, Table
from deriv_lecture.cli.several import glyph
from deriv_lecture.cli.views import (
    estimate_text,
    exact_and_decimal,
    factor_text,
    number,
    repeated,
    side_text,
    sympy_status,
    uses,
)
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.tasks.network import DISTRIBUTES, ROUTES, SIGMOID, SWAPS

if TYPE_CHECKING:
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.network import NetworkResult

PATTERN_WORDS = {
    DISTRIBUTES: "add gate: distributes the upstream gradient unchanged to every input",
    SWAPS: "multiply gate: swaps (each input gets the other's value × upstream)",
    ROUTES: "max gate: routes the whole gradient to the larger input, 0 to the other",
    SIGMOID: "sigmoid gate: its local derivative is y(1 − y), in terms of its own output",
}


def _shown(value: float | Expr | None) -> str:
    if value is None:
        return "—"
    return number(value) if isinstance(value, float) else to_pretty(value)


def network_report(result: NetworkResult) -> Report:
    problem, graph = result.problem, result.graph
    inputs = ", ".join(glyph(v) for v in graph.inputs)
    rows: list[tuple[str, Cell]] = [
        ("f", to_pretty(problem.expr)),
        ("inputs", f"{inputs}: one backward pass gives the gradient of each"),
        ("modules", str(len(graph.modules))),
        ("SymPy", sympy_status(result.verdict, graph.inputs[0])),
        ("verdict", _agreement(result.agrees)),
    ]
    sections: list[Section] = [Fields("Backpropagation with many inputs", tuple(rows))]
    sections.append(_graph_table(result))
    sections.append(_flow_table(result))
    sections.append(_backward_table(result))
    sections.append(_data_grad_table(result))
    sections.append(_gradients_table(result))
    notes = [*problem.notes, *_fork_notes(result), *result.conventions]
    return Report(tuple(sections), tuple(notes))


def _agreement(agrees: bool | None) -> Status:
    if agrees is None:
        return Status(None, "could not compare the backward pass with the rule engine")
    if agrees:
        return Status(True, "every input's gradient from the backward pass is the rule"
                      " engine's partial derivative")  # fmt: skip
    return Status(False, "the backward pass and the rule engine DISAGREE")


def _graph_table(result: NetworkResult) -> Table:
    """The graph as text: each module, what it reads, and its pattern; forks in the notes."""
    rows: list[tuple[Cell, ...]] = [(glyph(v), "input", "", "") for v in result.graph.inputs]
    patterns = result.patterns or {}
    for m in result.graph.modules:
        reads = ", ".join(glyph(i) for i in m.inputs)
        rows.append((glyph(m.name), to_pretty(m.formula), f"← {reads}", patterns.get(m.name, "")))
    title = f"The graph: inputs → modules → {glyph(result.graph.output)}"
    return Table(title, ("node", "formula", "reads", "pattern"),
                 tuple(rows))  # fmt: skip


def _flow_table(result: NetworkResult) -> Table:
    """The graph drawn as text: each node and the modules it feeds, a fork branching."""
    readers: dict[str, list[str]] = {}
    for m in result.graph.modules:
        for name in m.inputs:
            readers.setdefault(name, []).append(m.name)
    formulas = {m.name: to_pretty(m.formula) for m in result.graph.modules}
    rows: list[tuple[Cell, ...]] = []
    for name in (*result.graph.inputs, *(m.name for m in result.graph.modules)):
        fed = readers.get(name, [])
        if not fed:
            rows.append((glyph(name), "the output" if name == result.graph.output else "unused"))
            continue
        indent = " " * (len(glyph(name)) + 2)
        for k, reader in enumerate(fed):
            if len(fed) == 1:
                node = f"{glyph(name)} ──→"
            elif k == 0:
                node = f"{glyph(name)} ─┬→"
            else:
                node = indent + ("└→" if k == len(fed) - 1 else "├→")
            rows.append((node, f"{glyph(reader)} = {formulas[reader]}"))
    title = "Data flow (┬: a fork; its gradient is a sum)"
    return Table(title, ("node", "feeds"), tuple(rows))


def _fork_notes(result: NetworkResult) -> list[str]:
    readers: dict[str, list[str]] = {}
    for m in result.graph.modules:
        for name in m.inputs:
            readers.setdefault(name, []).append(m.name)
    return [
        f"{glyph(name)} forks into {', '.join(glyph(r) for r in who)}: its gradient is the sum"
        f" of {len(who)} contributions (+=, where hand-written autograds go wrong with =)"
        for name, who in readers.items()
        if len(who) > 1
    ]


def _backward_table(result: NetworkResult) -> Table:
    graph = result.graph
    passes = result.passes
    local_of = {
        (m.name, i): d for m in graph.modules for i, d in zip(m.inputs, m.local, strict=True)
    }
    patterns = result.patterns or {}
    rows: list[tuple[Cell, ...]] = []
    for c in passes.contributions:
        gets = "+=" if repeated(passes, c) else "="
        source, to = glyph(c.source), glyph(c.to)
        out = glyph(graph.output)
        step = f"d{out}/d{to} {gets} d{out}/d{source} · ∂{source}/∂{to}"
        local = to_pretty(local_of[(c.source, c.to)])
        if isinstance(c.local, float) and local != number(c.local):
            local = f"{local} = {number(c.local)}"  # the local derivative's value, too
        amount = f"{factor_text(c.upstream)} · {factor_text(c.local)} = {_shown(c.amount)}"
        rows.append((step, local, amount, patterns.get(c.source, "")))
    out = glyph(graph.output)
    title = f"Backward pass: from d{out}/d{out} = 1 down, module by module in reverse order"
    columns = ("step", "local derivative", "upstream · local = contribution", "pattern")
    return Table(title, columns, tuple(rows), formulas=2)  # wrapped at operators


def _data_grad_table(result: NetworkResult) -> Table:
    """micrograd's "data | grad" view: every node's value (forward) and gradient (backward)."""
    graph = result.graph
    numeric = result.numeric
    passes = result.passes
    rows: list[tuple[Cell, ...]] = []
    for name in (*graph.inputs, *(m.name for m in graph.modules)):
        formula = next((to_pretty(m.formula) for m in graph.modules if m.name == name), "input")
        data = _shown(numeric.values.get(name)) if numeric else to_pretty(
            graph.expansions.get(name) or _symbol(name))  # fmt: skip
        rows.append((glyph(name), formula, data, _shown(passes.gradients.get(name, 0.0))))
    title = "Every node: data (forward) | grad (backward)"
    return Table(title, ("node", "formula", "data", "grad"), tuple(rows))


def _symbol(name: str) -> Expr:
    from deriv_lecture.core.syntax.tree import Sym

    return Sym(name)


def _gradients_table(result: NetworkResult) -> Table:
    graph = result.graph
    rows: list[tuple[Cell, ...]] = []
    differentiable = result.differentiable
    for k, var in enumerate(graph.inputs):
        partial = result.partials[k].derivative
        if result.numeric is None:
            gradient = result.passes.gradients.get(var, 0.0)
            rows.append((f"∂f/∂{glyph(var)}", _shown(gradient), to_pretty(partial), ""))
            continue
        at = result.along[k]
        backward = result.numeric.gradients.get(var, 0.0)
        rule = exact_and_decimal(at.exact, at.value) if at.value is not None else "no value here"
        if at.differentiable is False and at.analysis is not None:
            rule = f"left {side_text(at.analysis.left)}, right {side_text(at.analysis.right)}"
        if differentiable is False:
            claimed = f"{_shown(backward)} (a convention, not a gradient)"
            rows.append((f"∂f/∂{glyph(var)}", claimed, rule, "—"))
        else:
            estimate = estimate_text(at.estimate) if at.estimate else "—"
            rows.append((f"∂f/∂{glyph(var)}", _shown(backward), rule, estimate))
    if result.numeric is None:
        title = "Every input's gradient: the backward pass against the rule engine's partial"
        return Table(title, ("input", "backward pass", "rule engine", ""), tuple(rows))
    title = "Every input's gradient at the point"
    if differentiable is False:
        title = "No gradient here: f is not differentiable at this point (one-sided partials)"
    columns = ("input", "backward pass", "rule engine (exact)", "estimate from f alone")
    return Table(title, columns, tuple(rows))


# -- JSON ------------------------------------------------------------------------------------
def _value(value: float | Expr | None) -> float | str | None:
    if value is None:
        return None
    return finite(value) if isinstance(value, float) else to_input(value)


def network_document(source: str, result: NetworkResult) -> dict[str, Any]:
    graph, numeric = result.graph, result.numeric
    passes = result.passes
    patterns = result.patterns or {}
    document: dict[str, Any] = {
        "expr": source,
        "inputs": list(graph.inputs),
        "at": (
            {k: to_input(v) for k, v in result.problem.point.items()}
            if result.problem.point
            else None
        ),  # fmt: skip
        "modules": [
            {
                "name": m.name,
                "formula": to_input(m.formula),
                "inputs": list(m.inputs),
                "local": {i: to_input(d) for i, d in zip(m.inputs, m.local, strict=True)},
                "value": finite(numeric.values[m.name]) if numeric else None,
                "gradient": _value(passes.gradients.get(m.name)),
                **({"pattern": patterns[m.name]} if m.name in patterns else {}),
            }
            for m in graph.modules
        ],
        "backward": [
            {
                "from": c.source,
                "to": c.to,
                "upstream": _value(c.upstream),
                "local": _value(c.local),
                "contribution": _value(c.amount),
            }
            for c in passes.contributions
        ],  # fmt: skip
        "gradients": {v: _value(passes.gradients.get(v, 0.0)) for v in graph.inputs},
        "gradient_formulas": None
        if result.symbolic is None
        else {v: _value(result.symbolic.gradients.get(v, 0.0)) for v in graph.inputs},  # fmt: skip
        "partials": {d.var: to_input(d.derivative) for d in result.partials},
        "uses": {name: n for name, n in uses(graph).items() if n > 1},
        "sympy_agrees": result.verdict.agrees,
        "agrees": result.agrees,
        "differentiable": result.differentiable,
    }
    if numeric is not None:
        document["values"] = {v: finite(numeric.values[v]) for v in graph.inputs}
        document["exact"] = {v: _value(a.exact) for v, a in zip(graph.inputs, result.along,
                                                                  strict=True)}  # fmt: skip
        document["estimates"] = {
            v: (None if a.estimate is None else
                {"value": finite(a.estimate.value), "error": finite(a.estimate.error)})
            for v, a in zip(graph.inputs, result.along, strict=True)
        }  # fmt: skip
        if result.differentiable is False:
            document["gradients"] = dict.fromkeys(graph.inputs)
            document["backward_values"] = {v: _value(numeric.gradients.get(v, 0.0))
                                           for v in graph.inputs}  # fmt: skip
            document["one_sided"] = {
                v: (None if a.analysis is None else {
                    "left": finite(a.analysis.left.value) if a.analysis.left else None,
                    "right": finite(a.analysis.right.value) if a.analysis.right else None})
                for v, a in zip(graph.inputs, result.along, strict=True)
            }  # fmt: skip
        document["conventions"] = list(result.conventions)
    return document
