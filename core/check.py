"""Check a catalog case three ways: the rule engine's derivative against the expected
answer, against SymPy, and its value at the point against the numeric limit; plus the
lecture's facts at the point (value, average rate, tangent, kinks)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from core.catalog import Case
from core.crosscheck import compare_with_sympy
from core.derive import choose_variable, derive
from core.equivalence import compare
from core.errors import InputError, MathError
from core.evaluate import evaluate
from core.parser import parse_expr
from core.point import KIND_NOTES, PointAnalysis, analyze
from core.printer import to_input
from core.sympy_worker import Pending, submit_within
from core.timebox import sympy_budget
from core.tree import Expr

CLOSE = 1e-9


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # "expected", "sympy", "limit", "facts"
    ok: bool | None  # None: could not decide in the time allowed (not a failure)
    detail: str


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    var: str | None = None
    derivative: Expr | None = None
    value: float | None = None  # f'(at) where it exists
    checks: tuple[Check, ...] = ()
    error: str | None = None  # the case could not be run at all
    bad_input: bool = False  # ... because the case itself is malformed (exit 2)

    @property
    def ok(self) -> bool:
        """No check failed. A check that could not decide in time fails nothing: a
        verdict never rests on how fast SymPy was (see `undecided`)."""
        return self.error is None and all(c.ok is not False for c in self.checks)

    @property
    def undecided(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.ok is None)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)


SYMPY_SECONDS = 2.5  # SymPy's share of one case


def check_case(case: Case) -> CaseResult:
    return next(check_cases([case]))


def check_cases(cases: list[Case]) -> Iterator[CaseResult]:
    """Each case checked three ways, in order. Every SymPy cross-check is handed to the
    SymPy worker (core.sympy_worker) before the first case's own checks start, so SymPy
    works through them while this process does the expected answers and the limits."""
    started = [_start(case) for case in cases]
    for case, begun in zip(cases, started, strict=True):
        yield _finish(case, begun)


@dataclass(frozen=True, slots=True)
class _Begun:
    expr: Expr
    var: str
    lets: dict[str, Expr]
    derivative: Expr
    rules_derivative: Expr
    facts: dict[str, Expr]
    sympy: Pending


def _start(case: Case) -> _Begun | InputError | MathError:
    try:
        expr = parse_expr(case.expr)
        var = choose_variable(expr, case.var)
        lets = {name: parse_expr(text) for name, text in case.lets}
        derivation = derive(expr, var)
        facts = _facts(case)
    except (InputError, MathError) as error:  # this case fails; the others still run
        return error
    # A catalog wants agreement, not a proof: 12 points of the domain (a proof of each
    # case would cost more than the rest of the case together).
    sympy = submit_within(sympy_budget(SYMPY_SECONDS), compare_with_sympy, expr,
                          derivation.derivative, var, False)  # fmt: skip
    return _Begun(expr, var, lets, derivation.derivative, derivation.steps.result, facts, sympy)


def _finish(case: Case, begun: _Begun | InputError | MathError) -> CaseResult:
    if isinstance(begun, InputError):
        return CaseResult(case, error=begun.message, bad_input=True)
    if isinstance(begun, MathError):  # f defined nowhere (1/0): a failed case, exit 1
        return CaseResult(case, error=begun.message)
    expr, var, lets, derivative = begun.expr, begun.var, begun.lets, begun.derivative
    given = _let_values(lets)
    checks = []
    if case.expect is not None:
        checks.append(expected_check(derivative, parse_expr(case.expect), var, given))
    value = None
    limit_checks: list[Check] = []
    if case.at is not None:
        try:
            analysis = analyze(
                expr, derivative, var, parse_expr(case.at), lets,
                parse_expr(case.to) if case.to else None, with_limits=False,
                with_lines=case.tangent is not None, tidy=False,
                rules_derivative=begun.rules_derivative,
            )  # fmt: skip
        except (MathError, InputError) as error:
            limit_checks.append(Check("limit", False, f"at {case.at}: {error.message}"))
        else:
            value = analysis.slope_value
            limit_checks.append(limit_check(case, analysis))
            if begun.facts:
                limit_checks.append(facts_check(case, analysis, begun.facts, var, given))
    verdict = begun.sympy.result()
    theirs = verdict.sympy_derivative
    checks.append(
        sympy_check(verdict.agrees, verdict.counterexample, theirs, var, verdict.points_checked)
    )
    return CaseResult(case, var, derivative, value, tuple(checks + limit_checks))


def expected_check(ours: Expr, expected: Expr, var: str, given: dict[str, float]) -> Check:
    found = compare(ours, expected, var, given)
    if found.equal is True:
        where = (
            f"; the expected form is undefined at {var} = {found.narrower_at:g}"
            if found.narrower_at is not None
            else ""
        )
        return Check("expected", True, f"equal at {found.points} points{where}")
    if found.equal is None:
        return Check("expected", False, "too few points where both are defined to compare")
    assert found.counterexample is not None
    x, got, want = found.counterexample
    return Check(
        "expected",
        False,
        f"differs at {var} = {x:.6g}: f' = {got:.10g} but the expected {to_input(expected)}"
        f" = {want:.10g}",
    )


def sympy_check(
    agrees: bool | None,
    counterexample: tuple[float, float, float] | None,
    theirs: str,
    var: str,
    points: int = 0,
) -> Check:
    if agrees is True:
        return Check("sympy", True, f"agrees with SymPy's {theirs} at {points} points")
    if agrees is None:
        return Check("sympy", None, f"SymPy could not decide ({theirs})")
    assert counterexample is not None
    x, ours, sympy_value = counterexample
    return Check(
        "sympy", False, f"differs at {var} = {x:.6g}: ours {ours:.10g}, SymPy's {sympy_value:.10g}"
    )


def limit_check(case: Case, analysis: PointAnalysis) -> Check:
    if analysis.differentiable is None:
        return Check("limit", None, f"at {case.at}: could not decide: {analysis.reason}")
    if case.differentiable is False:
        if analysis.differentiable:
            return Check("limit", False, f"expected no derivative at {case.at}, but f' exists")
        return Check("limit", True, KIND_NOTES.get(analysis.kind, analysis.kind))
    if not analysis.differentiable:
        return Check(
            "limit", False, f"at {case.at}: {KIND_NOTES.get(analysis.kind, analysis.kind)}"
        )
    estimate, slope = analysis.estimate, analysis.slope_value
    if estimate is None or slope is None:
        return Check("limit", False, f"no numeric estimate at {case.at}")
    # Both are uncertain by rounding: the estimate by its bar, f'(a) by a few ulps.
    allowed = estimate.error + 4 * 2.0**-52 * abs(slope)
    gap = abs(slope - estimate.value)
    detail = f"f'({case.at}) = {slope:.12g}, limit {estimate.value:.12g} ± {estimate.error:.0e}"
    return Check("limit", gap <= allowed, detail)


def facts_check(
    case: Case, analysis: PointAnalysis, facts: dict[str, Expr], var: str, given: dict[str, float]
) -> Check:
    problems: list[str] = []
    shown: list[str] = []
    for key, expected in facts.items():
        want = None if key == "tangent" else evaluate(expected, given)
        if key == "value":
            _close_or(problems, shown, "f'(a)", analysis.slope_value, want)
        elif key == "average":
            rate = analysis.average.rate_value if analysis.average else None
            _close_or(problems, shown, f"average over [{case.at}, {case.to}]", rate, want)
        elif key in ("left", "right"):
            side = analysis.left if key == "left" else analysis.right
            _close_or(problems, shown, f"{key} slope", side.value if side else None, want)
        elif key == "tangent":
            line = analysis.tangent
            if line is None or line.equation is None:
                problems.append("no tangent line")
                continue
            found = compare(line.equation, expected, var, given)
            text = f"tangent y = {to_input(line.equation)}"
            (shown if found.equal else problems).append(text)
    if problems:
        return Check("facts", False, "; ".join(problems))
    return Check("facts", True, "; ".join(shown))


def _close_or(
    problems: list[str], shown: list[str], label: str, got: float | None, want: float | None
) -> None:
    if got is None or want is None:
        problems.append(f"{label}: none, expected {want}")
    elif math.isclose(got, want, rel_tol=CLOSE, abs_tol=CLOSE):
        shown.append(f"{label} = {got:.10g}")
    else:
        problems.append(f"{label} = {got:.10g}, expected {want:.10g}")


def _facts(case: Case) -> dict[str, Expr]:
    wanted = {
        "value": case.value, "average": case.average, "tangent": case.tangent,
        "left": case.left, "right": case.right,
    }  # fmt: skip
    return {key: parse_expr(text) for key, text in wanted.items() if text is not None}


def _let_values(lets: dict[str, Expr]) -> dict[str, float]:
    return {name: evaluate(value, {}) for name, value in lets.items()}
