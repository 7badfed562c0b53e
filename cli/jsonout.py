"""JSON documents (SPEC.md's keys), written with the json module, never through Rich.

Strict JSON: a float that is not finite becomes null (callers add a "note").
"""

from __future__ import annotations

import json
import math
from typing import Any, TextIO

from core.crosscheck import Verdict
from core.derive import Derivation
from core.errors import DerivError
from core.printer import to_input, to_pretty
from core.steps import flatten


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def derivative_document(
    source: str, derivation: Derivation, verdict: Verdict, notes: tuple[str, ...]
) -> dict[str, Any]:
    counterexample = None
    if verdict.counterexample is not None:
        at, ours, theirs = verdict.counterexample
        counterexample = {"at": finite(at), "ours": finite(ours), "sympy": finite(theirs)}
    return {
        "expr": source,
        "read_as": to_input(derivation.expr),
        "notes": list(notes),
        "var": derivation.var,
        "derivative": to_input(derivation.derivative),
        "derivative_pretty": to_pretty(derivation.derivative),
        "in_terms_of_y": (
            to_input(derivation.in_terms_of_y) if derivation.in_terms_of_y is not None else None
        ),
        "steps": [
            {
                "rule": step.rule,
                "expr": to_input(step.expr),
                "result": to_input(step.result),
                "depth": depth,
                **({"inner": to_input(step.inner)} if step.inner is not None else {}),
            }
            for depth, step in flatten(derivation.steps)
        ]
        + (
            [
                {
                    "rule": "simplify",
                    "expr": to_input(derivation.steps.result),
                    "result": to_input(derivation.derivative),
                    "depth": 0,
                }
            ]
            if derivation.derivative != derivation.steps.result
            else []
        ),
        "sympy_agrees": verdict.agrees,
        "sympy": {
            "method": verdict.method,
            "points_checked": verdict.points_checked,
            "derivative": verdict.sympy_derivative,
            "counterexample": counterexample,
        },
    }


def error_document(error: DerivError) -> dict[str, Any]:
    return {"error": {"kind": error.kind, "message": error.message}}


def write_json(document: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(document, ensure_ascii=True, allow_nan=False) + "\n")
