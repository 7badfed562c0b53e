"""Catalog cases of implicit curves (`implicit = "x^2 + y^2 = 25"`): dy/dx checked three
ways, as every case is: the expected answer judged at points of the curve (right through
the equation is right), SymPy's idiff, and at `at` the slope against the one measured
from the curve; `value` and `second` as facts."""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.errors import InputError, MathError
from deriv_lecture.core.referee.curves import sympy_idiff
from deriv_lecture.core.referee.equivalence import compare_several
from deriv_lecture.core.referee.sympy_worker import Pending, submit_within
from deriv_lecture.core.referee.timebox import sympy_budget
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.tasks.catalog import Case
from deriv_lecture.core.tasks.check import SYMPY_SECONDS, CaseResult, Check, guarded, sympy_check
from deriv_lecture.core.tasks.implicit import (
    Implicit,
    at_point,
    check_on_curve,
    differentiate_implicitly,
    read_equation,
)


def is_implicit(case: Case) -> bool:
    return case.implicit is not None


@dataclass(frozen=True, slots=True)
class ImplicitBegun:
    """The curve read and differentiated, SymPy's idiff sent to the worker."""

    result: Implicit
    sympy: Pending


def start_implicit(case: Case) -> ImplicitBegun | CaseResult:
    try:
        assert case.implicit is not None
        lets = {name: parse_expr(text) for name, text in case.lets}
        eq = read_equation(case.implicit, case.dep, case.var, lets)
        result = differentiate_implicitly(eq, 2 if case.second is not None else 1)
    except InputError as error:
        return CaseResult(case, error=error.message, bad_input=True)
    except MathError as error:
        return CaseResult(case, error=error.message)
    pending = submit_within(sympy_budget(SYMPY_SECONDS), sympy_idiff, eq.function, eq.dep,
                            eq.indep, 1)  # fmt: skip
    return ImplicitBegun(result, pending)


def finish_implicit(case: Case, begun: ImplicitBegun) -> CaseResult:
    return guarded(case, lambda: _checked(case, begun))


def _checked(case: Case, begun: ImplicitBegun) -> CaseResult:
    from deriv_lecture.core.numeric.evaluate import evaluate
    from deriv_lecture.core.tasks.check_several import fact_check

    result = begun.result
    eq = result.equation
    given = eq.lets.floats()
    point = dict(case.at_point)
    around = None
    here = None
    if point:
        here = at_point(result, parse_expr(point[eq.indep]), parse_expr(point[eq.dep]))
        around = (evaluate(here.a, given), evaluate(here.b, given))
    checks: list[Check] = []
    if case.expect is not None:
        judged = check_on_curve(result, parse_expr(case.expect), around)
        detail = (
            f"equal at {judged.points} points of the curve"
            if judged.correct
            else (
                "differs on the curve" if judged.correct is False else "too few points of the curve"
            )
        )
        checks.append(Check("expected", judged.correct, detail))
    theirs = begun.sympy.result()
    agrees = (
        None
        if theirs is None
        else compare_several(result.derivative, theirs, (eq.indep, eq.dep), given).equal
    )
    checks.append(
        sympy_check(
            agrees,
            None,
            "idiff" if theirs is not None else "no answer in time",
            eq.indep,
            12 if agrees else 0,
        )
    )
    value = None
    if here is not None:
        value = here.slope_value
        if here.estimate is not None and here.slope_value is not None:
            covered = abs(here.estimate.value - here.slope_value) <= here.estimate.error
            checks.append(
                Check(
                    "limit",
                    covered,
                    f"the slope measured from the curve"
                    f" {here.estimate.value:.12g} ± {here.estimate.error:.1e}",
                )
            )
        if case.value is not None:
            checks.append(fact_check("value", value, parse_expr(case.value)))
        if case.second is not None:
            checks.append(fact_check("second", here.second_value, parse_expr(case.second)))
    elif case.second is not None and result.second is not None:
        judged = check_on_curve(result, parse_expr(case.second), around, truth=result.second)
        checks.append(
            Check(
                "facts",
                judged.correct,
                "d²y/dx² on the curve: "
                + (
                    "equal"
                    if judged.correct
                    else "differs"
                    if judged.correct is False
                    else "undecided"
                ),
            )
        )
    return CaseResult(case, eq.indep, result.derivative, value, tuple(checks))
