"""`deriv check`: is a student's ANSWER the derivative of EXPR?

Judged on f's own domain (1/|x| is right for ln(x), whose domain is x > 0), in f's own
terms (y in an answer is the output y = f(x), as in the lecture's y' = y(1 − y)), and
exactly enough that 1/x + 1e-9 is not 1/x (core.referee.equivalence compares with 30 digits).
A wrong answer gets a diagnosis where one is cheap: a sign, a constant factor, the
inner derivative of a chain left out, (fg)' taken as f'g'.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from deriv_lecture.core.calculus.algebra import mul, neg
from deriv_lecture.core.calculus.derive import check_lets, choose_variable, derive
from deriv_lecture.core.calculus.steps import Step
from deriv_lecture.core.errors import MathError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.referee.crosscheck import proved_equal
from deriv_lecture.core.referee.equivalence import (
    Comparison,
    SeveralComparison,
    compare,
    compare_several,
    parameter_env,
    sample_points,
)
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr, Num, free_symbols, substitute

OUTPUT = "y"  # the lecture's name for f(x) in an answer


@dataclass(frozen=True, slots=True)
class AnswerCheck:
    expr: Expr
    answer: Expr  # as typed (y kept)
    var: str
    derivative: Expr
    comparison: Comparison  # answer (y = f) against our derivative, on f's domain
    proved: bool  # SymPy also proved them equal
    uses_output: bool = False  # the answer is written with y = f(x)
    diagnosis: str | None = None  # for a wrong answer: what it probably is
    holds_where: str | None = None  # for a wrong answer right on part of the domain

    @property
    def correct(self) -> bool:
        """Equal wherever f' exists: an answer right only for x > 0 is not the derivative."""
        return self.comparison.equal is True and self.comparison.narrower_at is None


def check_answer(
    expr: Expr, answer: Expr, requested_var: str | None, given: dict[str, float]
) -> AnswerCheck:
    var = choose_variable(expr, requested_var)
    check_lets(var, given)
    candidate = with_y_as_f(answer, expr, var)
    uses_output = candidate is not answer
    foreign = sorted(free_symbols(candidate) - free_symbols(expr) - {var} - set(given))
    if foreign:
        names = ", ".join(foreign)
        raise UsageError(
            f"--answer uses {names}, which f does not have: an answer may use {var}, f's own"
            f" parameters{'' if OUTPUT in free_symbols(expr) else ' and y = f(' + var + ')'}"
        )
    derivation = derive(expr, var)
    derivative = derivation.derivative
    comparison = compare(candidate, derivative, var, given, domain=expr)
    proved = False
    if comparison.equal:
        proved = proved_equal(candidate, derivative)
    diagnosis = holds_where = None
    if comparison.equal is False:
        diagnosis = _diagnose(candidate, derivation.steps, derivative, var, given, expr)
        holds_where = _where_it_holds(candidate, derivative, var, given, expr)
    return AnswerCheck(
        expr, answer, var, derivative, comparison, proved, uses_output, diagnosis, holds_where
    )


def with_y_as_f(answer: Expr, expr: Expr, var: str) -> Expr:
    """The answer with y read as f (the lecture's y(1 − y)), where f itself has no y and
    y is not the variable; the answer itself otherwise."""
    if OUTPUT in free_symbols(answer) and OUTPUT not in free_symbols(expr) and var != OUTPUT:
        return substitute(answer, OUTPUT, expr)
    return answer


def _same(candidate: Expr, reference: Expr, var: str, given: dict[str, float], f: Expr) -> bool:
    found = compare(candidate, reference, var, given, domain=f)
    return found.equal is True and found.narrower_at is None


def _diagnose(
    candidate: Expr, steps: Step, derivative: Expr, var: str, given: dict[str, float], f: Expr
) -> str | None:
    """What a wrong answer probably is, where that is cheap to recognise."""
    if _same(candidate, neg(derivative), var, given, f):
        return "the sign is wrong: your answer is −f'"
    factor = _constant_ratio(candidate, derivative, var, given, f)
    if factor is not None:
        return f"off by a constant factor: your answer is {to_input(Num(factor))} times f'"
    if steps.rule == "chain rule" and steps.inner is not None and steps.substeps:
        outer, inner = steps.substeps[0], steps.substeps[-1]
        outer_in_x = substitute(outer.result, outer.wrt, steps.inner) if outer.wrt else outer.result
        if _same(candidate, outer_in_x, var, given, f):
            return (
                f"the chain rule's inner derivative is missing: with u = {to_input(steps.inner)},"
                f" multiply by du/d{var} = {to_input(inner.result)}"
            )
    if steps.rule == "product rule" and len(steps.substeps) == 2:
        both = mul(*(s.result for s in steps.substeps))
        if _same(candidate, both, var, given, f):
            return "(fg)' is not f'·g': the product rule gives f'g + fg'"
    return None


def _constant_ratio(
    candidate: Expr, derivative: Expr, var: str, given: dict[str, float], f: Expr
) -> Fraction | None:
    """c when candidate = c·f' for a simple rational c ≠ 0, 1."""
    env = parameter_env([candidate, derivative], var, given)
    ratios = []
    for x in sample_points([f, derivative, candidate], var, env, (0.37, 1.3, -0.71, 2.15, 0.88)):
        try:
            bottom = evaluate(derivative, {**env, var: x})
            if bottom != 0:
                ratios.append(evaluate(candidate, {**env, var: x}) / bottom)
        except MathError:
            continue
    if len(ratios) < 3:
        return None
    guess = Fraction(ratios[0]).limit_denominator(100)
    if guess in (0, 1):
        return None
    if not _same(candidate, mul(Num(guess), derivative), var, given, f):
        return None
    return guess


def _where_it_holds(
    candidate: Expr, derivative: Expr, var: str, given: dict[str, float], f: Expr
) -> str | None:
    """ "x > 0" when the answer agrees with f' on one side of a point and not the other."""
    from deriv_lecture.core.referee.equivalence import FIXED_POINTS, RANDOM_POINTS

    env = parameter_env([candidate, derivative], var, given)
    agree: list[float] = []
    differ: list[float] = []
    for x in sample_points([f, derivative], var, env, FIXED_POINTS + RANDOM_POINTS):
        point = {**env, var: x}
        try:
            same = abs(evaluate(candidate, point) - evaluate(derivative, point))
            scale = max(1.0, abs(evaluate(derivative, point)))
        except MathError:
            differ.append(x)
            continue
        (agree if same <= 1e-8 * scale else differ).append(x)
    if len(agree) < 3 or not differ:
        return None
    if max(agree) < min(differ):
        return f"{var} < {_between(max(agree), min(differ))}"
    if min(agree) > max(differ):
        return f"{var} > {_between(max(differ), min(agree))}"
    return None


def _between(low: float, high: float) -> str:
    """A simple number in (low, high): 0 or an integer where there is one."""
    if low < 0 < high:
        return "0"
    for step in (1, 0.5, 0.1, 0.01):
        candidate = (int(low / step) + 1) * step
        if low < candidate < high:
            return f"{candidate:g}"
    return f"{(low + high) / 2:.3g}"


@dataclass(frozen=True, slots=True)
class ComponentCheck:
    var: str
    answer: Expr
    derivative: Expr  # ∂f/∂var by the rules
    comparison: SeveralComparison
    proved: bool

    @property
    def correct(self) -> bool:
        return self.comparison.equal is True and self.comparison.narrower_at is None

    @property
    def relative_error(self) -> float | None:
        """|a − n| / max(|a|, |n|) where they differ: the gradient check's measure."""
        if self.comparison.values is None:
            return None
        a, n = self.comparison.values
        scale = max(abs(a), abs(n))
        return abs(a - n) / scale if scale else 0.0


@dataclass(frozen=True, slots=True)
class GradientCheck:
    expr: Expr
    components: tuple[ComponentCheck, ...]

    @property
    def correct(self) -> bool:
        return all(c.correct for c in self.components)

    @property
    def first_wrong(self) -> ComponentCheck | None:
        return next((c for c in self.components if not c.correct), None)


@dataclass(frozen=True, slots=True)
class MatrixCheck:
    """A hand-derived Jacobian or Hessian judged entry by entry."""

    kind: str  # "jacobian" or "hessian"
    functions: tuple[Expr, ...]  # the rows' functions: F1, F2, ... or ∂f/∂x1, ...
    rows: tuple[tuple[ComponentCheck, ...], ...]
    transposed: bool = False  # the answer is the transpose of the right matrix

    @property
    def correct(self) -> bool:
        return not self.transposed and all(c.correct for row in self.rows for c in row)

    @property
    def first_wrong(self) -> tuple[int, int, ComponentCheck] | None:
        for i, row in enumerate(self.rows):
            for j, c in enumerate(row):
                if not c.correct:
                    return i, j, c
        return None


def check_matrix(
    functions: tuple[Expr, ...],
    answer: tuple[tuple[Expr, ...], ...],
    variables: tuple[str, ...],
    given: dict[str, float],
    kind: str,
    prove: bool = True,
) -> MatrixCheck:
    """answer[i][j] against ∂functions[i]/∂variables[j] at points of the domain of f (the
    first function of a Jacobian's, f itself for a Hessian), each entry as a gradient's
    component is judged. An answer that is the transpose of the right matrix (the
    denominator layout, or a Hessian's rows and columns swapped where it is not
    symmetric) is named as such."""
    m, n = len(functions), len(variables)
    shape = (len(answer), len(answer[0]))
    if shape not in ((m, n), (n, m)):
        raise UsageError(
            f"--answer is {shape[0]}×{shape[1]}; the {kind.capitalize()} by {', '.join(variables)}"
            f" is {m}×{n}"
        )
    allowed = set().union(*(free_symbols(f) for f in functions)) | set(variables) | set(given)
    foreign = sorted(set().union(*(free_symbols(e) for row in answer for e in row)) - allowed)
    if foreign:
        raise UsageError(f"--answer uses {', '.join(foreign)}, which f does not have")
    derivatives = [[derive(f, v).derivative for v in variables] for f in functions]
    prove = prove and m * n <= 9  # a proof per entry costs a SymPy call each

    def judged(rows: tuple[tuple[Expr, ...], ...]) -> tuple[tuple[ComponentCheck, ...], ...]:
        found = []
        for i, row in enumerate(rows):
            checks = []
            for j, entry in enumerate(row):
                truth = derivatives[i][j]
                comparison = compare_several(entry, truth, variables, given, domain=functions[i])
                proved = prove and bool(comparison.equal) and proved_equal(entry, truth)
                checks.append(ComponentCheck(variables[j], entry, truth, comparison, proved))
            found.append(tuple(checks))
        return tuple(found)

    if shape == (m, n):
        straight = judged(answer)
        right = all(c.correct for row in straight for c in row)
        if right or m != n:
            return MatrixCheck(kind, functions, straight)
    flipped = tuple(zip(*answer, strict=True))
    as_transpose = judged(flipped)
    if all(c.correct for row in as_transpose for c in row):
        return MatrixCheck(kind, functions, as_transpose, transposed=True)
    if shape != (m, n):
        raise UsageError(
            f"--answer is {shape[0]}×{shape[1]}; the {kind.capitalize()} by {', '.join(variables)}"
            f" is {m}×{n}"
            " (and the answer is not its transpose either)"
        )
    return MatrixCheck(kind, functions, straight)


def check_gradient(
    expr: Expr, answers: tuple[Expr, ...], variables: tuple[str, ...], given: dict[str, float]
) -> GradientCheck:
    """A hand-derived gradient judged component by component: each against ∂f/∂var by the
    rules at points of f's domain where every variable moves, then by SymPy's proof."""
    if len(answers) != len(variables):
        raise UsageError(
            f"--answer has {len(answers)} components; the gradient by {', '.join(variables)}"
            f" has {len(variables)}"
        )
    allowed = free_symbols(expr) | set(variables) | set(given)
    for answer in answers:
        foreign = sorted(free_symbols(answer) - allowed)
        if foreign:
            raise UsageError(f"--answer uses {', '.join(foreign)}, which f does not have")
    components = []
    for var, answer in zip(variables, answers, strict=True):
        derivative = derive(expr, var).derivative
        comparison = compare_several(answer, derivative, variables, given, domain=expr)
        proved = bool(comparison.equal) and proved_equal(answer, derivative)
        components.append(ComponentCheck(var, answer, derivative, comparison, proved))
    return GradientCheck(expr, tuple(components))
