"""Catalog cases with a matrix (SPEC.md "Several variables"): an expected Jacobian of a
vector `expr` or Hessian of `expr`, and its determinant `det`, checked the three ways every
case is: against the expected matrix entry by entry (its transpose named as such), against
SymPy (one call for the whole matrix, sent before the case's own checks start), and at
`at` against the limit (each entry's estimate within its error bar)."""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import InputError, MathError
from deriv_lecture.core.numeric.estimates import Estimate, axis_estimate
from deriv_lecture.core.problem import Problem, read_several, read_vector
from deriv_lecture.core.referee.matrices import sympy_partials_verdict
from deriv_lecture.core.referee.sympy_worker import Pending, submit_within
from deriv_lecture.core.referee.timebox import sympy_budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.answer import check_matrix
from deriv_lecture.core.tasks.catalog import Case
from deriv_lecture.core.tasks.check import SYMPY_SECONDS, CaseResult, Check, guarded, sympy_check
from deriv_lecture.core.tasks.check_several import fact_check
from deriv_lecture.core.tasks.jacobian import matrix_at, own_determinant


def is_matrix(case: Case) -> bool:
    return case.jacobian is not None or case.hessian is not None


@dataclass(frozen=True, slots=True)
class MatrixBegun:
    problem: Problem
    functions: tuple[Expr, ...]  # the rows' functions: F1, F2, ... or ∂f/∂x1, ...
    entries: tuple[tuple[Expr, ...], ...]
    sympy: Pending


def start_matrix(case: Case) -> MatrixBegun | CaseResult:
    try:
        lets = {name: parse_expr(text) for name, text in case.lets}
        at = ",".join(f"{n}={v}" for n, v in case.at_point) if case.at_point else case.at
        if case.jacobian is not None:
            problem = read_vector(case.expr, case.wrt, at, lets)
            functions = problem.expressions
        else:
            problem = read_several(case.expr, case.wrt, case.var, at, lets, every_symbol=True)
            functions = tuple(derive(problem.expr, v).derivative for v in problem.variables)
        entries = tuple(
            tuple(derive(f, v).derivative for v in problem.variables) for f in functions
        )
    except InputError as error:
        return CaseResult(case, error=error.message, bad_input=True)
    except MathError as error:
        return CaseResult(case, error=error.message)
    partials = tuple(
        (f, v, entry)
        for f, row in zip(functions, entries, strict=True)
        for v, entry in zip(problem.variables, row, strict=True)
    )
    sympy = submit_within(sympy_budget(SYMPY_SECONDS), sympy_partials_verdict, partials)
    return MatrixBegun(problem, functions, entries, sympy)


def finish_matrix(case: Case, begun: MatrixBegun) -> CaseResult:
    return guarded(case, lambda: _checked(case, begun))


def _checked(case: Case, begun: MatrixBegun) -> CaseResult:
    problem = begun.problem
    kind = "jacobian" if case.jacobian is not None else "hessian"
    expected_text = case.jacobian if case.jacobian is not None else case.hessian
    assert expected_text is not None
    expected = tuple(tuple(parse_expr(t) for t in row) for row in expected_text)
    given = problem.lets.floats()
    checks: list[Check] = []
    # Agreement at points, not a proof per entry: as for every catalog case.
    judged = check_matrix(begun.functions, expected, problem.variables, given, kind, prove=False)
    wrong = judged.first_wrong
    if judged.transposed:
        checks.append(Check("expected", False, "the expected matrix is the transpose of the"
                            " right one (the denominator layout)"))  # fmt: skip
    elif wrong is not None:
        i, j, entry = wrong
        checks.append(Check("expected", False, f"entry ({i + 1}, {j + 1}) differs from deriv's"
                            f" {_text(entry.derivative)}"))  # fmt: skip
    else:
        count = sum(len(row) for row in judged.rows)
        checks.append(Check("expected", True, f"{count} entries equal at points of the domain"))
    verdict = begun.sympy.result()
    checks.append(sympy_check(verdict.agrees, verdict.counterexample, verdict.sympy_derivative,
                              problem.variables[0], verdict.points_checked))  # fmt: skip
    value = None
    if problem.point is not None:
        checks.append(_limits(problem, begun))
        at = matrix_at(problem, begun.entries)
        if case.det is not None and all(e is not None for row in at.exact for e in row):
            from deriv_lecture.core.numeric.precise import decimal

            det = own_determinant(at.exact)  # type: ignore[arg-type]
            value = decimal(det) if det is not None else None
            checks.append(fact_check("det", value, parse_expr(case.det)))
    elif case.det is not None:
        checks.append(_det_formula(begun, parse_expr(case.det), given))
    label = ",".join(problem.variables)
    return CaseResult(case, label, begun.entries[0][0], value, tuple(checks))


def _text(expr: Expr) -> str:
    from deriv_lecture.core.syntax.printer import to_input

    return to_input(expr)


def _limits(problem: Problem, begun: MatrixBegun) -> Check:
    """Each entry's estimate from values of its row's function along e_j (F itself for a
    Jacobian, ∂f/∂xᵢ for a Hessian) must cover the entry's value within its error bar."""
    assert problem.point is not None
    at = matrix_at(problem, begun.entries)
    values = {**problem.lets.floats(), **problem.point.floats()}
    worst = 0.0
    for i, function in enumerate(begun.functions):
        for j, var in enumerate(problem.variables):
            exact = at.values[i][j]
            estimate = _estimate(function, var, values)
            if exact is None or estimate is None:
                return Check("limit", None, f"entry ({i + 1}, {j + 1}) has no estimate here")
            if abs(estimate.value - exact) > max(estimate.error, 1e-300):
                missed = f"{estimate.value:.12g} ± {estimate.error:.1e} misses {exact:.12g}"
                return Check("limit", False, f"entry ({i + 1}, {j + 1}): the estimate {missed}")
            worst = max(worst, estimate.error)
    return Check("limit", True, f"every entry within its estimate's error bar (≤ {worst:.0e})")


def _estimate(function: Expr, var: str, values: dict[str, float]) -> Estimate | None:
    return axis_estimate(function, values, var)


def _det_formula(begun: MatrixBegun, expected: Expr, given: dict[str, float]) -> Check:
    from deriv_lecture.core.referee.equivalence import compare_several

    det = own_determinant(begun.entries)
    if det is None:
        return Check("facts", None, "det J was not found in time")
    found = compare_several(det, expected, begun.problem.variables, given)
    if found.equal is True:
        return Check("facts", True, f"det = {_text(det)}, equal at {found.points} points")
    return Check("facts", found.equal, f"det = {_text(det)}, expected {_text(expected)}")
