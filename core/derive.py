"""The main job, end to end in the core: choose the variable, apply the rules, tidy."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import UsageError
from core.rules import differentiate
from core.simplify import simplify
from core.steps import Step
from core.tree import Expr, free_symbols


@dataclass(frozen=True, slots=True)
class Derivation:
    expr: Expr
    var: str
    steps: Step  # the root step; its result is the derivative as the rules produced it
    derivative: Expr  # the tidy form


def choose_variable(expr: Expr, requested: str | None) -> str:
    """--var if given; else x if present; else the only free symbol; else ask (SPEC.md)."""
    if requested:
        return requested
    names = free_symbols(expr)
    if "x" in names or not names:
        return "x"
    if len(names) == 1:
        return next(iter(names))
    listed = ", ".join(sorted(names))
    raise UsageError(f"the expression has several symbols ({listed}); choose one with --var")


def derive(expr: Expr, var: str) -> Derivation:
    steps = differentiate(expr, var)
    return Derivation(expr, var, steps, simplify(steps.result, var))
