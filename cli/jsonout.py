"""JSON documents (docs/json.md's keys), written with the json module, never through Rich.

Strict JSON: a float that is not finite becomes null (callers add a "note").
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, TextIO

from deriv_lecture.core.calculus.steps import Step, formula
from deriv_lecture.core.syntax.printer import to_input, to_pretty

if TYPE_CHECKING:  # types only: an error document must not import the whole core
    from deriv_lecture.core.calculus.derive import Derivation, StepListing
    from deriv_lecture.core.errors import DerivError
    from deriv_lecture.core.numeric.estimates import RateRow
    from deriv_lecture.core.numeric.point import Line, PointAnalysis, Side
    from deriv_lecture.core.referee.crosscheck import Verdict
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.answer import AnswerCheck
    from deriv_lecture.core.tasks.backprop_run import BackpropResult
    from deriv_lecture.core.tasks.check import CaseResult


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def steps_document(listing: StepListing, var: str) -> list[dict[str, Any]]:
    """The steps that listed_steps keeps, in pre-order, as JSON (docs/json.md)."""
    return [
        {
            "rule": step.rule,
            "expr": to_input(step.expr),
            "result": to_input(step.result),
            "depth": depth,
            **({"inner": to_input(step.inner)} if step.inner is not None else {}),
            **({"wrt": step.wrt} if step.wrt not in (None, var) else {}),
            **({"formula": formula(step)} if formula(step) is not None else {}),
            **({"parts": {n: to_input(p) for n, p in step.parts}} if step.parts else {}),
            **({"working": _working(step)} if step.working else {}),
        }
        for depth, step in listing.rows
    ]


def derivative_document(
    source: str, derivation: Derivation, verdict: Verdict, notes: tuple[str, ...]
) -> dict[str, Any]:
    counterexample = None
    if verdict.counterexample is not None:
        at, ours, theirs = verdict.counterexample
        counterexample = {"at": finite(at), "ours": finite(ours), "sympy": finite(theirs)}
    from deriv_lecture.core.calculus.derive import listed_steps

    listing = listed_steps(derivation)
    notes = (*notes, *derivation.notes)
    if listing.note is not None:
        notes = (*notes, listing.note)
    return {
        "expr": source,
        "read_as": to_input(derivation.expr),
        "notes": list(notes),
        "var": derivation.var,
        "derivative": to_input(derivation.derivative),
        "derivative_pretty": to_pretty(derivation.derivative),
        "simplified": derivation.simplified,
        "in_terms_of_y": (
            to_input(derivation.in_terms_of_y) if derivation.in_terms_of_y is not None else None
        ),
        "steps": steps_document(listing, derivation.var),
        **({"steps_omitted": listing.omitted} if listing.omitted else {}),
        "sympy_agrees": verdict.agrees,
        "sympy": {
            "method": verdict.method,
            "points_checked": verdict.points_checked,
            "derivative": verdict.sympy_derivative,
            "counterexample": counterexample,
        },
    }


def _working(step: Step) -> list[dict[str, str]]:
    return [
        {"label": label, "rule": rule, "value": to_input(value)}
        for label, rule, value in step.working
    ]


def error_document(error: DerivError) -> dict[str, Any]:
    return {"error": {"kind": error.kind, "message": error.message}}


SCHEMA = 1  # raised when a key is removed or changes meaning (docs/json.md)


def write_json(document: dict[str, Any], out: TextIO) -> None:
    stamped = {"schema": SCHEMA, **document}
    out.write(json.dumps(stamped, ensure_ascii=True, allow_nan=False) + "\n")


def side_value(side: Side | None) -> tuple[float | None, str | None]:
    if side is None or not side.exists:
        return None, "f is not defined on this side"
    if not side.decided:
        return None, "could not decide"
    if not side.continuous:
        return None, "f jumps on this side: no one-sided derivative"
    if side.infinite:
        return None, "+infinity" if side.infinite > 0 else "-infinity"
    if not side.settles or side.slope is None:
        return None, "the one-sided quotients do not settle"
    return finite(side.value), None


def line_document(line: Line | None, var: str) -> dict[str, Any] | None:
    if line is None:
        return None
    if line.vertical_at is not None:
        return {
            "slope": None,
            "intercept": None,
            "equation": f"{var} = {to_input(line.vertical_at)}",
            "note": "a vertical line has no slope",
        }
    assert line.equation is not None
    return {
        "slope": finite(line.slope_value),
        "intercept": finite(line.intercept_value),
        "equation": f"y = {to_input(line.equation)}",
        "slope_exact": _text(line.slope),
        "intercept_exact": _text(line.intercept),
    }


def point_document(at_text: str, analysis: PointAnalysis) -> dict[str, Any]:
    var = analysis.var
    document: dict[str, Any] = {
        "at": at_text,
        "at_value": finite(analysis.at_value),
        "f_value": finite(analysis.f_value),
        "f_exact": _text(analysis.f_exact),
        "value": finite(analysis.slope_value) if analysis.differentiable else None,
        "exact": _text(analysis.slope_exact),
        "differentiable": analysis.differentiable,
        "kind": analysis.kind,
        "estimate": finite(analysis.estimate.value) if analysis.estimate else None,
        "estimate_error": finite(analysis.estimate.error) if analysis.estimate else None,
        "table": [
            _row({"h": row.step, "quotient": row.rate, "error": row.gap}, row, analysis)
            for row in analysis.table
        ],
        "secants": [
            _row({"dx": row.step, "rate": row.rate, "gap": row.gap}, row, analysis)
            for row in analysis.secants
        ],
        "tangent": line_document(analysis.tangent, var),
        "normal": line_document(analysis.normal, var),
        "first_principles": [to_input(row) for row in analysis.first_principles],
    }
    if not analysis.differentiable:
        from deriv_lecture.core.numeric.point import KIND_NOTES

        document["note"] = KIND_NOTES.get(analysis.kind, "")
        if analysis.reason:
            document["note"] += f": {analysis.reason}"
        for key, side in (("left_exact", analysis.left), ("right_exact", analysis.right)):
            if side is not None and side.slope is not None:
                document[key] = to_input(side.slope)
        document["left"], left_note = side_value(analysis.left)
        document["right"], right_note = side_value(analysis.right)
        if left_note:
            document["left_note"] = left_note
        if right_note:
            document["right_note"] = right_note
    if analysis.f_value is None:
        document["f_note"] = _no_decimal(analysis)
    if analysis.differentiable and analysis.slope_value is None:
        document["value_note"] = _no_decimal(analysis)
    if analysis.average is not None:
        average = analysis.average
        document["average"] = {
            "from": to_input(average.start),
            "to": to_input(average.end),
            "rate": finite(average.rate_value),
            "rate_exact": _text(average.rate),
        }
    if analysis.notes:
        document["point_notes"] = list(analysis.notes)
    return document


def _no_decimal(analysis: PointAnalysis) -> str:
    if analysis.numeric:
        return "no decimal value: too large (or too small) for a float; the exact value is given"
    return "no decimal value: a parameter has no value (use --let)"


def _row(values: dict[str, float | None], row: RateRow, analysis: PointAnalysis) -> dict[str, Any]:
    """A table row in strict JSON; where a number is missing, a note says why."""
    document: dict[str, Any] = {key: finite(value) for key, value in values.items()}
    if row.rate is None:
        document["note"] = "f is not defined at a + step (outside its domain)"
    elif row.gap is None:
        document["note"] = "f'(a) does not exist here: nothing to compare with"
    return document


def tangent_document(source: str, at_text: str, analysis: PointAnalysis) -> dict[str, Any]:
    return {
        "expr": source,
        "var": analysis.var,
        "at": at_text,
        "f_value": finite(analysis.f_value),
        "f_exact": _text(analysis.f_exact),
        "differentiable": analysis.differentiable,
        "tangent": line_document(analysis.tangent, analysis.var),
        "normal": line_document(analysis.normal, analysis.var),
    }


def _text(expr: Expr | None) -> str | None:
    return None if expr is None else to_input(expr)


def catalog_document(results: list[CaseResult]) -> dict[str, Any]:
    passed = sum(1 for r in results if r.ok)
    return {
        "passed": passed,
        "failed": len(results) - passed,
        "undecided": sum(1 for r in results if r.ok and r.undecided),
        "cases": [_case_document(r) for r in results],
    }


def _case_document(result: CaseResult) -> dict[str, Any]:
    case = result.case
    failed = [f"{c.name}: {c.detail}" for c in result.checks if c.ok is False]
    error = result.error if result.error is not None else ("; ".join(failed) or None)
    return {
        "name": case.name,
        "group": case.group,
        "expr": case.expr,
        "var": result.var,
        "derivative": _text(result.derivative),
        "at": case.at,
        "value": finite(result.value),
        "ok": result.ok,
        "error": error,
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in result.checks},
    }


def answer_document(source: str, answer_text: str, result: AnswerCheck) -> dict[str, Any]:
    comparison = result.comparison
    counterexample = None
    if comparison.counterexample is not None:
        at, answer, slope = comparison.counterexample
        counterexample = {"at": at, "answer": finite(answer), "derivative": finite(slope)}
    return {
        "expr": source,
        "var": result.var,
        "answer": to_input(result.answer),  # input syntax, ASCII (docs/json.md)
        "answer_typed": answer_text,
        "derivative": to_input(result.derivative),
        "equivalent": result.correct,
        "points_checked": comparison.points,
        "proved": result.proved,
        "counterexample": counterexample,
        "answer_undefined_at": comparison.narrower_at,
        "uses_y": result.uses_output,
        "diagnosis": result.diagnosis,
        "right_only_where": result.holds_where,
    }


def backprop_document(source: str, at_text: str | None, result: BackpropResult) -> dict[str, Any]:
    graph = result.graph
    numeric = result.numeric
    passes = numeric or result.symbolic
    modules = []
    for m in graph.modules:
        modules.append(
            {
                "name": m.name,
                "formula": to_input(m.formula),
                "inputs": list(m.inputs),
                "local": {i: to_input(d) for i, d in zip(m.inputs, m.local, strict=True)},
                "value": finite(numeric.values[m.name]) if numeric else None,
                "gradient": _number_or_text(passes.gradients.get(m.name)),
            }
        )
    return {
        "expr": source,
        "var": graph.var,
        "at": at_text,
        "modules": modules,
        "backward": [
            {
                "from": c.source,
                "to": c.to,
                "upstream": _number_or_text(c.upstream),
                "local": _number_or_text(c.local),
                "contribution": _number_or_text(c.amount),
            }
            for c in passes.contributions
        ],
        "dy_dx": _number_or_text(passes.gradients[graph.var]),
        "dy_dx_formula": _number_or_text(result.symbolic.gradients[graph.var]),
        "derivative": to_input(result.derivative),
        "value": finite(result.rule_value),
        "estimate": finite(result.estimate.value) if result.estimate else None,
        "estimate_error": finite(result.estimate.error) if result.estimate else None,
        "in_terms_of_y": _text(result.in_terms_of_y),
        "agrees": result.agrees,
        **_backprop_point(result),
    }


def _backprop_point(result: BackpropResult) -> dict[str, Any]:
    """At a point: whether dy/dx exists there; where it does not, no number claims to be it."""
    verdict = result.verdict
    if verdict is None or result.numeric is None:
        return {}
    document: dict[str, Any] = {
        "differentiable": verdict.differentiable,
        "kind": verdict.kind,
        "conventions": list(result.conventions),
    }
    if not verdict.differentiable:
        from deriv_lecture.core.numeric.point import KIND_NOTES

        backward = result.numeric.gradients[result.graph.var]
        document["dy_dx"] = None
        document["dy_dx_note"] = (
            f"{KIND_NOTES[verdict.kind]}; the backward pass gives {backward}"
            " by a convention at the kink, which is not a derivative"
        )
        document["backward_value"] = _number_or_text(backward)
        document["left"], left_note = side_value(verdict.left)
        document["right"], right_note = side_value(verdict.right)
        if left_note:
            document["left_note"] = left_note
        if right_note:
            document["right_note"] = right_note
    return document


def _number_or_text(value: float | Expr | None) -> float | str | None:
    if value is None or isinstance(value, float):
        return finite(value)
    return to_input(value)
