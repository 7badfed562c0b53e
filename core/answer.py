"""`deriv check`: is a student's ANSWER the derivative of EXPR?"""

from __future__ import annotations

from dataclasses import dataclass

from core.crosscheck import proved_equal
from core.derive import choose_variable, derive
from core.equivalence import Comparison, compare
from core.tree import Expr, free_symbols


@dataclass(frozen=True, slots=True)
class AnswerCheck:
    expr: Expr
    answer: Expr
    var: str
    derivative: Expr
    comparison: Comparison  # answer against our derivative
    proved: bool  # SymPy also proved them equal

    @property
    def correct(self) -> bool:
        """Equal wherever f' exists: an answer right only for x > 0 is not the derivative."""
        return self.comparison.equal is True and self.comparison.narrower_at is None


def check_answer(
    expr: Expr, answer: Expr, requested_var: str | None, given: dict[str, float]
) -> AnswerCheck:
    var = choose_variable(expr, requested_var)
    derivative = derive(expr, var).derivative
    comparison = compare(answer, derivative, var, given)
    proved = False
    if comparison.equal and not (free_symbols(answer) - free_symbols(expr)):
        proved = proved_equal(answer, derivative)
    return AnswerCheck(expr, answer, var, derivative, comparison, proved)
