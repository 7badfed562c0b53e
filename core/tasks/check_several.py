"""Catalog cases of several variables (SPEC.md "Several variables"): a partial or mixed
derivative (`wrt`), or a gradient (`grad`, with `dir` a directional derivative), checked
the same three ways as one-variable cases: against the expected answer, against SymPy,
and against the limit (each estimate from values of f alone within its error bar)."""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import InputError, MathError
from deriv_lecture.core.numeric.point import PointAnalysis
from deriv_lecture.core.problem import Problem, read_several
from deriv_lecture.core.referee.crosscheck import combine, compare_with_sympy
from deriv_lecture.core.referee.equivalence import compare_several
from deriv_lecture.core.referee.sympy_worker import Pending, submit_within
from deriv_lecture.core.referee.timebox import sympy_budget
from deriv_lecture.core.syntax.lists import parse_vector
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.catalog import Case
from deriv_lecture.core.tasks.check import (
    CLOSE,
    SYMPY_SECONDS,
    CaseResult,
    Check,
    guarded,
    sympy_check,
)
from deriv_lecture.core.tasks.partials import differentiate_in_turn, gradient, partial_derivative


def is_several(case: Case) -> bool:
    return (
        case.wrt is not None or case.grad is not None or case.dir is not None or bool(case.at_point)
    )


@dataclass(frozen=True, slots=True)
class SeveralBegun:
    """A case read and differentiated, its SymPy verdicts sent to the worker."""

    problem: Problem
    sympy: tuple[Pending, ...]  # one per derivation: the orders, or the components


def _is_gradient(case: Case) -> bool:
    return case.grad is not None or case.dir is not None


def start_several(case: Case) -> SeveralBegun | CaseResult:
    """Read the case and send SymPy its derivations at once, as one-variable cases do
    (core.tasks.check): SymPy works while this process checks the cases before it."""
    try:
        problem = _problem(case)
        if _is_gradient(case):
            pairs = [(v, derive(problem.expr, v)) for v in problem.variables]
        else:
            orders = differentiate_in_turn(problem.expr, problem.variables, False)
            pairs = list(zip(problem.variables, orders, strict=True))
    except InputError as error:
        return CaseResult(case, error=error.message, bad_input=True)
    except MathError as error:
        return CaseResult(case, error=error.message)
    # Agreement at 12 points, not a proof: as for every catalog case.
    sympy = tuple(
        submit_within(sympy_budget(SYMPY_SECONDS), compare_with_sympy, d.expr, d.derivative,
                      var, False)
        for var, d in pairs
    )  # fmt: skip
    return SeveralBegun(problem, sympy)


def finish_several(case: Case, begun: SeveralBegun) -> CaseResult:
    check = _gradient_case if _is_gradient(case) else _partial_case
    return guarded(case, lambda: check(case, begun))


def _problem(case: Case) -> Problem:
    lets = {name: parse_expr(text) for name, text in case.lets}
    at = ",".join(f"{n}={v}" for n, v in case.at_point) if case.at_point else case.at
    every = case.grad is not None or case.dir is not None
    return read_several(case.expr, case.wrt, case.var, at, lets, every_symbol=every)


def _partial_case(case: Case, begun: SeveralBegun) -> CaseResult:
    problem = begun.problem
    result = partial_derivative(problem, tidy=False)
    given = problem.lets.floats()
    checks: list[Check] = []
    if case.expect is not None:
        checks.append(_expected(result.derivative, parse_expr(case.expect), problem, given))
    verdict = combine([pending.result() for pending in begun.sympy])
    checks.append(sympy_check(verdict.agrees, verdict.counterexample, verdict.sympy_derivative,
                              problem.variables[-1], verdict.points_checked))  # fmt: skip
    value = None
    if result.at is not None:
        value = result.at.value
        analysis = result.at.analysis
        if analysis is not None:  # a higher order: the limit of the order before's quotients
            checks.append(_limit(analysis, "∂/∂" + problem.variables[-1]))
        if case.value is not None:
            checks.append(fact_check("value", value, parse_expr(case.value)))
    label = ",".join(problem.variables)
    return CaseResult(case, label, result.derivative, value, tuple(checks))


def _gradient_case(case: Case, begun: SeveralBegun) -> CaseResult:
    problem = begun.problem
    direction = parse_vector(case.dir, "dir") if case.dir is not None else None
    result = gradient(problem, direction, tidy=False)
    given = problem.lets.floats()
    checks: list[Check] = []
    if case.grad is not None:
        expected = parse_vector("[" + ", ".join(case.grad) + "]", "grad", len(problem.variables))
        for var, ours, theirs in zip(problem.variables, result.components, expected, strict=True):
            check = _expected(ours.derivative, theirs, problem, given)
            checks.append(Check("expected", check.ok, f"∂f/∂{var}: {check.detail}"))
    verdict = combine([pending.result() for pending in begun.sympy])
    checks.append(sympy_check(verdict.agrees, verdict.counterexample, verdict.sympy_derivative,
                              problem.variables[0], verdict.points_checked))  # fmt: skip
    value = None
    for var, analysis in zip(problem.variables, result.at, strict=True):
        checks.append(_limit(analysis, f"∂f/∂{var}"))
    if result.direction is not None:
        from deriv_lecture.core.numeric.precise import decimal

        exact = result.direction.exact
        value = decimal(exact) if exact is not None else None
        if result.direction.analysis is not None:
            checks.append(_limit(result.direction.analysis, "D_u f"))
        if case.value is not None:
            checks.append(fact_check("value", value, parse_expr(case.value)))
    label = ",".join(problem.variables)
    return CaseResult(case, label, result.components[0].derivative, value, tuple(checks))


def _expected(ours: Expr, expected: Expr, problem: Problem, given: dict[str, float]) -> Check:
    found = compare_several(ours, expected, tuple(dict.fromkeys(problem.variables)), given)
    if found.equal is True:
        return Check("expected", True, f"equal at {found.points} points")
    if found.equal is None:
        return Check("expected", False, "too few points where both are defined to compare")
    at = ", ".join(f"{k} = {v:.6g}" for k, v in sorted((found.counterexample or {}).items()))
    got, want = found.values or (float("nan"), float("nan"))
    return Check("expected", False, f"differs at {at}: deriv {got:.10g}, expected"
                 f" {to_input(expected)} = {want:.10g}")  # fmt: skip


def _limit(analysis: PointAnalysis, what: str) -> Check:
    estimate = analysis.estimate
    if not analysis.differentiable:
        return Check("limit", None if analysis.differentiable is None else True,
                     f"{what}: {analysis.kind}")  # fmt: skip
    if estimate is None or analysis.slope_value is None:
        return Check("limit", None, f"{what}: no estimate")
    gap = abs(estimate.value - analysis.slope_value)
    ok = gap <= max(estimate.error, CLOSE * abs(analysis.slope_value))
    return Check("limit", ok, f"{what} = {analysis.slope_value:.12g}, limit"
                 f" {estimate.value:.12g} ± {estimate.error:.0e}")  # fmt: skip


def fact_check(key: str, value: float | None, expected: Expr) -> Check:
    from deriv_lecture.core.numeric.precise import decimal

    want = decimal(expected)
    if value is None or want is None:
        return Check("facts", False, f"{key}: none, expected {to_input(expected)}")
    ok = abs(value - want) <= CLOSE * max(1.0, abs(want))
    return Check("facts", ok, f"{key} = {value:.12g}" + ("" if ok else f", expected {want:.12g}"))
