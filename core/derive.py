"""The main job, end to end in the core: choose the variable, apply the rules, tidy."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import DomainError, MathError, UsageError
from core.evaluate import evaluate
from core.gc_pause import paused_gc
from core.names import CONSTANTS, is_symbol_name
from core.output_form import in_terms_of_output
from core.rules import differentiate
from core.simplify import simplify
from core.steps import Step
from core.timebox import TimedOut, time_limit
from core.tree import Expr, free_symbols


@dataclass(frozen=True, slots=True)
class Derivation:
    expr: Expr
    var: str
    steps: Step  # the root step; its result is the derivative as the rules produced it
    derivative: Expr  # the tidy form (the rules' own result if tidying ran out of time)
    in_terms_of_y: Expr | None  # the derivative as a polynomial in y = f(x), if it is one
    simplified: bool = True  # False: SIMPLIFY_SECONDS ran out, derivative is unsimplified


def choose_variable(expr: Expr, requested: str | None) -> str:
    """--var if given; else x if present; else the only free symbol; else ask (SPEC.md)."""
    if requested:
        if not is_symbol_name(requested) or requested in CONSTANTS:
            raise UsageError(f"--var: '{requested}' is not a variable name (x, t, theta, x1, ...)")
        return requested
    names = free_symbols(expr)
    if "x" in names or not names:
        return "x"
    if len(names) == 1:
        return next(iter(names))
    listed = ", ".join(sorted(names))
    raise UsageError(f"the expression has several symbols ({listed}); choose one with --var")


SIMPLIFY_SECONDS = 2.0


def derive(expr: Expr, var: str) -> Derivation:
    if not free_symbols(expr):
        _defined_somewhere(expr)
    with paused_gc():
        steps = differentiate(expr, var)
    try:
        with time_limit(SIMPLIFY_SECONDS):
            tidy = simplify(steps.result, var)
    except TimedOut:
        return Derivation(expr, var, steps, steps.result, None, simplified=False)
    return Derivation(expr, var, steps, tidy, in_terms_of_output(expr, tidy, var))


def _defined_somewhere(constant: Expr) -> None:
    """A constant such as 1/0 or ln(0) is a function defined nowhere: no derivative."""
    try:
        evaluate(constant, {})
    except DomainError as error:
        raise DomainError(f"f is a constant with no value: {error.message}") from None
    except MathError:
        pass  # too large for a float (10^10^10) is still a number
