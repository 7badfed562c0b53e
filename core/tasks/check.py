"""Check a catalog case three ways: the rule engine's derivative against the expected
answer, against SymPy, and its value at the point against the numeric limit; plus the
lecture's facts at the point (value, average rate, tangent, kinks)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from deriv_lecture.core.calculus.derive import choose_variable, derive
from deriv_lecture.core.errors import InputError, MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.point import KIND_NOTES, PointAnalysis, analyze
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.numeric.signs import sign_of
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.referee.crosscheck import compare_with_sympy
from deriv_lecture.core.referee.equivalence import compare
from deriv_lecture.core.referee.sympy_worker import Pending, submit_within
from deriv_lecture.core.referee.timebox import sympy_budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Add, Expr, Neg, free_symbols, substitute
from deriv_lecture.core.tasks.answer import with_y_as_f
from deriv_lecture.core.tasks.catalog import Case

CLOSE = 1e-12


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

T = TypeVar("T")


def guarded(case: Case, work: Callable[[], T]) -> T | CaseResult:
    """work(), or the case failed with its error: bad input (exit 2) or math (exit 1)."""
    try:
        return work()
    except InputError as error:
        return CaseResult(case, error=error.message, bad_input=True)
    except MathError as error:
        return CaseResult(case, error=error.message)


def check_case(case: Case) -> CaseResult:
    return next(check_cases([case]))


def check_cases(cases: list[Case]) -> Iterator[CaseResult]:
    """Each case checked three ways, in order. Every SymPy cross-check is handed to the
    SymPy worker (core.referee.sympy_worker) before the first case's own checks start, so SymPy
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


def _start(case: Case) -> _Begun | InputError | MathError | CaseResult | Any:
    from deriv_lecture.core.tasks.check_implicit import is_implicit, start_implicit
    from deriv_lecture.core.tasks.check_matrix import is_matrix, start_matrix
    from deriv_lecture.core.tasks.check_several import is_several, start_several

    if is_implicit(case):  # curves: SymPy's idiff sent first as well
        return start_implicit(case)
    if is_matrix(case):  # Jacobians and Hessians: SymPy's verdict sent first as well
        return start_matrix(case)
    if is_several(case):  # partials and gradients: their SymPy verdicts are sent first too
        return start_several(case)
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


def _finish(case: Case, begun: _Begun | InputError | MathError | CaseResult | Any) -> CaseResult:
    from deriv_lecture.core.tasks.check_implicit import ImplicitBegun, finish_implicit
    from deriv_lecture.core.tasks.check_matrix import MatrixBegun, finish_matrix
    from deriv_lecture.core.tasks.check_several import SeveralBegun, finish_several

    if isinstance(begun, CaseResult):
        return begun
    if isinstance(begun, SeveralBegun):
        return finish_several(case, begun)
    if isinstance(begun, MatrixBegun):
        return finish_matrix(case, begun)
    if isinstance(begun, ImplicitBegun):
        return finish_implicit(case, begun)
    if isinstance(begun, InputError):
        return CaseResult(case, error=begun.message, bad_input=True)
    if isinstance(begun, MathError):  # f defined nowhere (1/0): a failed case, exit 1
        return CaseResult(case, error=begun.message)
    expr, var, lets, derivative = begun.expr, begun.var, begun.lets, begun.derivative
    given = _let_values(lets)
    checks = []
    if case.expect is not None:
        expected = with_y_as_f(parse_expr(case.expect), expr, var)  # y(1 − y), as in check
        checks.append(expected_check(derivative, expected, var, given))
    value = None
    limit_checks: list[Check] = []
    if case.at is not None:
        try:
            problem = Problem((expr,), (var,), Point.of({var: parse_expr(case.at)}), Point.of(lets))
            analysis = analyze(
                problem, derivative, parse_expr(case.to) if case.to else None, with_limits=False,
                with_lines=case.tangent is not None, tidy=False,
                rules_derivative=begun.rules_derivative,
            )  # fmt: skip
        except (MathError, InputError) as error:
            limit_checks.append(Check("limit", False, f"at {case.at}: {error.message}"))
        else:
            value = analysis.slope_value
            limit_checks.append(limit_check(case, analysis))
            if begun.facts:
                limit_checks.append(facts_check(case, analysis, begun.facts, var, lets))
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
    case: Case, analysis: PointAnalysis, facts: dict[str, Expr], var: str, lets: dict[str, Expr]
) -> Check:
    """The catalog's numbers at the point, compared exactly where both sides are exact
    (f'(0) = 0 is not 1e-9), else to 12 digits."""
    problems: list[str] = []
    shown: list[str] = []
    given = _let_values(lets)
    for key, expected in facts.items():
        if key == "tangent":
            line = analysis.tangent
            if line is None or line.equation is None:
                problems.append("no tangent line")
                continue
            found = compare(line.equation, expected, var, given)
            text = f"tangent y = {to_input(line.equation)}"
            (shown if found.equal else problems).append(text)
            continue
        side = analysis.left if key == "left" else analysis.right if key == "right" else None
        average = analysis.average
        exact, value, label = {
            "value": (analysis.slope_exact, analysis.slope_value, "f'(a)"),
            "average": (
                average.rate if average else None,
                average.rate_value if average else None,
                f"average over [{case.at}, {case.to}]",
            ),
            "left": (side.slope if side else None, side.value if side else None, "left slope"),
            "right": (side.slope if side else None, side.value if side else None, "right slope"),
        }[key]
        _same_or(problems, shown, label, exact, value, _with(expected, lets))
    if problems:
        return Check("facts", False, "; ".join(problems))
    return Check("facts", True, "; ".join(shown))


def _with(expr: Expr, lets: dict[str, Expr]) -> Expr:
    for name, value in lets.items():
        expr = substitute(expr, name, value)
    return expr


def _same_or(
    problems: list[str], shown: list[str], label: str, exact: Expr | None, got: float | None,
    expected: Expr,
) -> None:  # fmt: skip
    want = decimal(expected)
    if exact is None and got is None:
        problems.append(f"{label}: none, expected {to_input(expected)}")
        return
    if exact is not None and not free_symbols(exact) and not free_symbols(expected):
        same = sign_of(Add((exact, Neg(expected)))).value
        if same is not None:
            text = f"{label} = {to_input(exact)}"
            if same == 0:
                shown.append(text)
            else:
                problems.append(f"{text}, expected {to_input(expected)}")
            return
    if got is not None and want is not None and math.isclose(got, want, rel_tol=CLOSE, abs_tol=0):
        shown.append(f"{label} = {got:.12g}")
    else:
        problems.append(f"{label} = {got}, expected {to_input(expected)}")


def _facts(case: Case) -> dict[str, Expr]:
    wanted = {
        "value": case.value, "average": case.average, "tangent": case.tangent,
        "left": case.left, "right": case.right,
    }  # fmt: skip
    return {key: parse_expr(text) for key, text in wanted.items() if text is not None}


def _let_values(lets: dict[str, Expr]) -> dict[str, float]:
    return {name: evaluate(value, {}) for name, value in lets.items()}
