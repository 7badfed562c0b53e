"""deriv as a Python library, for scripts and notebooks: the same results as the command
line's JSON (schema 1, docs/json.md), as read-only mappings that show themselves in
Jupyter as LaTeX and Markdown.

    >>> from deriv_lecture import differentiate
    >>> differentiate("x^2 sin(x)")["derivative"]
    '2*x*sin(x) + x^2*cos(x)'

Errors are the core's typed errors: InputError (what the command line reports with exit
2) and MathError (exit 1), both DerivError.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from deriv_lecture.core.errors import DerivError, InputError, MathError

SYMPY_SECONDS = 2.5  # SymPy's share of one call, as for one command

__all__ = [
    "DerivError", "InputError", "MathError", "Result", "analyze_point", "backprop",
    "check_answer", "check_catalog", "differentiate",
]  # fmt: skip


@dataclass(frozen=True)
class Result(Mapping[str, Any]):
    """One result: `result["derivative"]`, `result.to_json()`; in Jupyter it shows
    itself (LaTeX where there are formulas, a Markdown table otherwise)."""

    data: dict[str, Any]
    latex: str = ""
    rows: tuple[tuple[str, str], ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON document, as a dict."""
        return {"schema": 1, **self.data}

    def _repr_latex_(self) -> str | None:
        return f"$${self.latex}$$" if self.latex else None

    def _repr_markdown_(self) -> str:
        lines = ["| | |", "|---|---|"]
        lines += [f"| {label} | {_cell(value)} |" for label, value in self.rows]
        return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def differentiate(
    expr: str, var: str | None = None, let: Mapping[str, str | float] | None = None
) -> Result:
    """f' with its steps and SymPy's verdict: the JSON of `deriv EXPR --json`."""
    return analyze_point(expr, None, var, let)


def analyze_point(
    expr: str,
    at: str | float | None,
    var: str | None = None,
    let: Mapping[str, str | float] | None = None,
    to: str | float | None = None,
) -> Result:
    """Everything at a point: the JSON of `deriv EXPR --at POINT --json` (at None: no point)."""
    from deriv_lecture.cli import jsonout
    from deriv_lecture.cli.latexout import latex_parts
    from deriv_lecture.core.calculus.derive import check_lets, choose_variable, derive
    from deriv_lecture.core.numeric.point import analyze
    from deriv_lecture.core.problem import Point, Problem
    from deriv_lecture.core.referee.crosscheck import compare_with_sympy
    from deriv_lecture.core.syntax.parser import parse, parse_expr
    from deriv_lecture.core.syntax.printer import to_pretty

    with _budget():
        parsed = parse(expr)
        lets = _lets(let)
        chosen = choose_variable(parsed.expr, var)
        check_lets(chosen, lets)
        derivation = derive(parsed.expr, chosen, key_forms=True)
        verdict = compare_with_sympy(parsed.expr, derivation.derivative, chosen)
        point = None
        if at is not None:
            end = parse_expr(str(to)) if to is not None else None
            problem = Problem((parsed.expr,), (chosen,), Point.of({chosen: parse_expr(str(at))}),
                              Point.of(lets), tuple(parsed.notes))  # fmt: skip
            point = analyze(problem, derivation.derivative, end,
                            rules_derivative=derivation.steps.result)  # fmt: skip
    data = jsonout.derivative_document(expr, derivation, verdict, parsed.notes)
    if point is not None:
        data.update(jsonout.point_document(str(at), point))
    parts = latex_parts(derivation, point)
    latex = r"\begin{gathered} " + r" \\ ".join([parts.derivative, *parts.at_point])
    latex += r" \end{gathered}"
    rows = [("f", to_pretty(derivation.expr)), ("f'", to_pretty(derivation.derivative))]
    if point is not None:
        shown = data["exact"] if data.get("exact") is not None else data.get("note", "")
        rows.append((f"f'({at})", str(shown)))
    rows.append(("SymPy", {True: "agrees", False: "disagrees", None: "could not decide"}[
        verdict.agrees]))  # fmt: skip
    return Result(data, latex, tuple(rows))


def check_answer(
    expr: str, answer: str, var: str | None = None, let: Mapping[str, str | float] | None = None
) -> Result:
    """Is answer the derivative of expr? The JSON of `deriv check ... --json`."""
    from deriv_lecture.cli import jsonout
    from deriv_lecture.core.numeric.evaluate import evaluate
    from deriv_lecture.core.syntax.parser import parse_expr
    from deriv_lecture.core.tasks.answer import check_answer as judge

    with _budget():
        given = {name: evaluate(value, {}) for name, value in _lets(let).items()}
        result = judge(parse_expr(expr), parse_expr(answer), var, given)
    data = jsonout.answer_document(expr, answer, result)
    verdict = "the derivative" if result.correct else "not the derivative"
    rows = [("answer", answer), ("f'", data["derivative"]), ("verdict", verdict)]
    if result.diagnosis:
        rows.append(("probably", result.diagnosis))
    return Result(data, "", tuple(rows))


def backprop(
    expr: str,
    at: str | float | None = None,
    var: str | None = None,
    let: Mapping[str, str | float] | None = None,
    merge: str | None = None,
) -> Result:
    """The lecture's modules of backpropagation: the JSON of `deriv backprop ... --json`."""
    from deriv_lecture.cli import jsonout
    from deriv_lecture.core.problem import read_problem
    from deriv_lecture.core.tasks.backprop import parse_groups
    from deriv_lecture.core.tasks.backprop_run import backprop as run

    with _budget():
        problem = read_problem(expr, var, None if at is None else str(at), _lets(let))
        groups = parse_groups(merge) if merge else None
        result = run(problem, groups)
    data = jsonout.backprop_document(expr, None if at is None else str(at), result)
    rows = tuple((m["name"], f"{m['formula']} (gradient {m['gradient']})") for m in data["modules"])
    return Result(data, "", rows)


def check_catalog(path: str | None = None) -> Result:
    """Every case of a catalog (default: the lecture's) checked three ways: the JSON of
    `deriv check-all --json`."""
    from deriv_lecture.cli import jsonout
    from deriv_lecture.core.tasks.catalog import builtin_catalog, load_catalog
    from deriv_lecture.core.tasks.check import check_cases

    cases = load_catalog(path) if path is not None else builtin_catalog()
    results = list(check_cases(cases))
    data = jsonout.catalog_document(results)
    rows = tuple((c["name"], "✓" if c["ok"] else f"✗ {c['error']}") for c in data["cases"])
    return Result(data, "", rows)


def _lets(let: Mapping[str, str | float] | None) -> dict[str, Any]:
    from deriv_lecture.core.syntax.parser import parse_assignment

    found: dict[str, Any] = {}
    for name, value in (let or {}).items():
        key, parsed = parse_assignment(f"{name}={value}")
        found[key] = parsed
    return found


def _budget() -> Any:
    from deriv_lecture.core.referee.timebox import budget, sympy_budget

    return budget(sympy_budget(SYMPY_SECONDS))
