"""The Hessian (SPEC.md "Several variables"): H[i][j] = ∂²f/∂xⱼ∂xᵢ by the rules, its
symmetry checked, not assumed; at a point its values (each mixed pair by `deriv EXPR
--wrt x,y`'s machinery, so a point where f is not C² shows both orders), determinant,
eigenvalues and, where ∇f = 0, the second-derivative test; and the critical points.

The test is decided exactly: the signs of the leading principal minors (Sylvester's
criterion) are signs of exact constants (core.numeric.signs), never of rounded
eigenvalues. A nonsingular symmetric matrix is definite or indefinite, so det H ≠ 0 and
not definite is a saddle point; det H = 0 leaves the test inconclusive.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import Derivation, derive
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import DomainError, LimitError, MathError
from deriv_lecture.core.numeric.evaluate import compiled, evaluate
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.numeric.signs import sign_of
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.referee.matrices import sympy_critical_points, sympy_eigenvalues
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr
from deriv_lecture.core.tasks.jacobian import MatrixAt, defined_at_point, determinant, matrix_at
from deriv_lecture.core.tasks.partials import partial_derivative

MAX_VARIABLES = 20  # 400 entries, as for a Jacobian
LONGEST_EXACT = 60  # characters of an exact eigenvalue worth printing
PAIRS_AT_A_POINT = 4  # up to 4 variables each mixed pair is examined at the point itself
MINIMUM, MAXIMUM, SADDLE, INCONCLUSIVE = (
    "local minimum", "local maximum", "saddle point", "inconclusive",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Eigenvalue:
    exact: Expr | None
    value: float
    multiplicity: int


@dataclass(frozen=True, slots=True)
class Test:
    """The second-derivative test at a point."""

    gradient_zero: bool | None  # None: could not decide
    classification: str | None  # None where the test does not apply or could not decide
    why: str
    applies: bool = True  # False: not a critical point, or f is not C² there


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """A mixed pair whose two orders differ at the point (f is not C² there)."""

    i: int
    j: int
    value: Expr | None  # H[i][j] = ∂²f/∂xⱼ∂xᵢ
    other: Expr | None  # H[j][i]


@dataclass(frozen=True, slots=True)
class Critical:
    point: tuple[Expr, ...] | None  # exact, where SymPy solved ∇f = 0
    values: tuple[float, ...]  # the point in decimals (a numeric search's only form)
    f_exact: Expr | None
    f_value: float | None
    test: Test


@dataclass(frozen=True, slots=True)
class HessianResult:
    problem: Problem
    gradient: tuple[Derivation, ...]
    derivations: tuple[tuple[Derivation, ...], ...]  # [i][j]: ∂/∂xⱼ of ∂f/∂xᵢ
    symmetric: bool | None  # the formulas, pair by pair
    at: MatrixAt | None = None
    asymmetric_at: tuple[Asymmetry, ...] = ()
    det_exact: Expr | None = None
    det_value: float | None = None
    eigenvalues: tuple[Eigenvalue, ...] = ()
    eigen_exact: bool = False
    test: Test | None = None
    critical: tuple[Critical, ...] | None = None
    complete: bool = False
    search: str = ""  # how the critical points were found: "SymPy's solve", "numeric search"

    @property
    def entries(self) -> tuple[tuple[Expr, ...], ...]:
        return tuple(tuple(d.derivative for d in row) for row in self.derivations)


def hessian(problem: Problem, critical: bool = False) -> HessianResult:
    n = len(problem.variables)
    if n > MAX_VARIABLES:
        raise LimitError(
            f"the Hessian would be {n}×{n} = {n * n} entries, more than deriv shows (400)"
        )
    f = problem.expr
    gradient = tuple(derive(f, v) for v in problem.variables)
    rows = tuple(tuple(derive(g.derivative, v) for v in problem.variables) for g in gradient)
    entries = tuple(tuple(d.derivative for d in row) for row in rows)
    symmetric = _symmetric(entries, problem)
    result = HessianResult(problem, gradient, rows, symmetric)
    if problem.point is not None:
        result = _at_point(result)
    if critical:
        result = _critical(result)
    return result


def _symmetric(entries: tuple[tuple[Expr, ...], ...], problem: Problem) -> bool | None:
    from deriv_lecture.core.referee.equivalence import all_of, compare_several

    given = problem.lets.floats() if problem.lets else {}
    verdicts = []
    for i, j in itertools.combinations(range(len(entries)), 2):
        if entries[i][j] == entries[j][i]:
            continue
        verdicts.append(compare_several(entries[i][j], entries[j][i], problem.variables,
                                        given).equal)  # fmt: skip
    return all_of(verdicts)


def _at_point(result: HessianResult) -> HessianResult:
    problem = result.problem
    defined_at_point(problem)
    at = matrix_at(problem, result.entries)
    asymmetric: list[Asymmetry] = []
    n = len(problem.variables)
    if n <= PAIRS_AT_A_POINT:
        exact = [list(row) for row in at.exact]
        for i, j in itertools.combinations_with_replacement(range(n), 2):
            pair = Problem(problem.expressions, (problem.variables[i], problem.variables[j]),
                           problem.point, problem.lets, problem.notes)  # fmt: skip
            found = partial_derivative(pair, tidy=False)
            analysis = found.at.analysis if found.at is not None else None
            if analysis is not None and not analysis.differentiable:  # |x| at 0: no f_xx
                exact[i][j] = exact[j][i] = None
                continue
            if found.at is None or found.at.how == "along the axis" and exact[i][j] is not None:
                continue  # the formulas' values stand
            # Not C² here (or the formula has no value): nested one-sided limits decide.
            exact[i][j] = found.at.exact
            exact[j][i] = found.other_at.exact if found.other_at else found.at.exact
            if found.symmetric is False:
                asymmetric.append(Asymmetry(i, j, exact[i][j], exact[j][i]))
        at = MatrixAt(
            tuple(tuple(row) for row in exact),
            tuple(tuple(decimal(e) if e is not None else None for e in row) for row in exact),
        )
    test = second_derivative_test(problem, result.gradient, at)
    if asymmetric:
        test = Test(test.gradient_zero, None, "f is not C² here (the mixed partials differ):"
                    " the test needs continuous second partials", applies=False)  # fmt: skip
    det_exact = det_value = None
    eigenvalues: tuple[Eigenvalue, ...] = ()
    exact_eigen = False
    known = all(v is not None for row in at.values for v in row)
    if known and all(e is not None for row in at.exact for e in row):
        det_exact = determinant(at.exact)  # type: ignore[arg-type]
        det_value = decimal(det_exact) if det_exact is not None else None
        if not asymmetric:  # eigenvalues of a symmetric matrix, real: only then
            eigenvalues, exact_eigen = _eigenvalues(at)
    return HessianResult(
        problem, result.gradient, result.derivations, result.symmetric, at,
        tuple(asymmetric), det_exact, det_value, eigenvalues, exact_eigen, test,
    )  # fmt: skip


def second_derivative_test(
    problem: Problem, gradient: tuple[Derivation, ...], at: MatrixAt
) -> Test:
    grad_at = list(matrix_at(problem, ((tuple(g.derivative for g in gradient)),)).exact[0])
    for k, value in enumerate(grad_at):
        if value is None:  # the formula has no value here (a piece's edge): the limit decides
            alone = Problem(problem.expressions, (gradient[k].var,), problem.point, problem.lets)
            found = partial_derivative(alone, tidy=False).at
            grad_at[k] = found.exact if found is not None else None
    if any(g is None for g in grad_at):
        return Test(None, None, "∇f has no value here: the test does not apply", applies=False)
    signs = [sign_of(g).value for g in grad_at if g is not None]
    if any(s not in (0, None) for s in signs):
        return Test(False, None, "∇f ≠ 0 here: not a critical point", applies=False)
    if any(s is None for s in signs):
        return Test(None, None, "could not decide whether ∇f = 0 here")
    if any(e is None for row in at.exact for e in row):
        return Test(True, None, "f has no second derivative here (H has no value): the test"
                    " cannot be applied", applies=False)  # fmt: skip
    return Test(True, *_sylvester(at.exact))  # type: ignore[arg-type]


def _sylvester(rows: tuple[tuple[Expr, ...], ...]) -> tuple[str | None, str]:
    n = len(rows)
    signs = []
    for k in range(1, n + 1):
        minor = determinant(tuple(row[:k] for row in rows[:k]))
        if minor is None:
            return None, f"the {k}×{k} leading minor was not found in time"
        sign = sign_of(minor).value
        if sign is None:
            return None, f"the sign of the {k}×{k} leading minor could not be decided"
        signs.append(sign)
    names = ", ".join(f"D{k}" for k in range(1, n + 1))
    if all(s > 0 for s in signs):
        return MINIMUM, f"H is positive definite: {names} all > 0"
    if all(s == (-1) ** k for k, s in enumerate(signs, start=1)):
        return MAXIMUM, f"H is negative definite: {names} alternate −, +, …"
    if signs[-1] != 0:
        return SADDLE, "H is indefinite: det H ≠ 0 and H is neither positive nor negative definite"
    return INCONCLUSIVE, "det H = 0: the second-derivative test cannot decide"


def _eigenvalues(at: MatrixAt) -> tuple[tuple[Eigenvalue, ...], bool]:
    found = sympy_eigenvalues(at.exact)  # type: ignore[arg-type]
    if found is not None:
        values = []
        for exact, multiplicity in found:
            tidy = simplify(exact)
            value = decimal(tidy)
            if value is None:
                break
            values.append(Eigenvalue(tidy, value, multiplicity))
        else:
            if all(len(to_input(e.exact)) <= LONGEST_EXACT for e in values if e.exact):
                return tuple(sorted(values, key=lambda e: e.value)), True
            # Exact but unreadable (a quartic's radicals): the decimals say more.
            return tuple(Eigenvalue(None, e.value, e.multiplicity)
                         for e in sorted(values, key=lambda e: e.value)), False  # fmt: skip
    import mpmath

    matrix = mpmath.matrix([[float(v) for v in row] for row in at.values])  # type: ignore[arg-type]
    symmetric = all(
        abs(matrix[i, j] - matrix[j, i]) <= 1e-12 * (1 + abs(matrix[i, j]))
        for i in range(matrix.rows) for j in range(matrix.cols)
    )  # fmt: skip
    if not symmetric:
        return (), False
    values = mpmath.eigsy(matrix, eigvals_only=True)
    return tuple(Eigenvalue(None, float(v), 1) for v in sorted(values)), False


# -- critical points ---------------------------------------------------------------------
def _critical(result: HessianResult) -> HessianResult:
    problem = result.problem
    grad = tuple(g.derivative for g in result.gradient)
    points, complete = sympy_critical_points(grad, problem.variables)
    search = "SymPy's solve"
    found = []
    if not points and not complete:
        search = "numeric search (Newton from a grid of starts; decided in floats)"
        found = [_numeric_critical(result, values) for values in _newton_search(result)]
    for point in points:
        where = Point(tuple(zip(problem.variables, point, strict=True)))
        at = Problem(problem.expressions, problem.variables, where, problem.lets)
        try:
            matrix = matrix_at(at, result.entries)
            test = second_derivative_test(at, result.gradient, matrix)
            assert at.point is not None
            f_exact = at.point.exact(problem.expr, problem.lets)
            f_value = decimal(f_exact)
        except (DomainError, MathError):
            continue  # a solution outside f's domain is no critical point of f
        values = tuple(float(decimal(v) or 0.0) for v in point)
        found.append(Critical(point, values, f_exact, f_value, test))
    return HessianResult(
        problem, result.gradient, result.derivations, result.symmetric, result.at,
        result.asymmetric_at, result.det_exact, result.det_value, result.eigenvalues,
        result.eigen_exact, result.test, tuple(found), complete, search,
    )  # fmt: skip


def _numeric_critical(result: HessianResult, values: tuple[float, ...]) -> Critical:
    """A critical point found numerically: f there and the test in floats (the leading
    minors' signs where they are clear of rounding, else undecided), labelled as such."""
    problem = result.problem
    env = {**problem.lets.floats(), **dict(zip(problem.variables, values, strict=True))}
    h = [[evaluate(e, env) for e in row] for row in result.entries]
    scale = max(1.0, *(abs(v) for row in h for v in row))
    minors = [_float_minor(h, k) for k in range(1, len(h) + 1)]
    clear = [abs(m) > 1e-9 * scale**k for k, m in enumerate(minors, start=1)]
    if not clear[-1]:
        test = Test(True, None, "det H is 0 to rounding: undecided in floats")
    elif all(c and m > 0 for c, m in zip(clear, minors, strict=True)):
        test = Test(True, MINIMUM, "H positive definite (in floats)")
    elif all(c and (m > 0) == (k % 2 == 0)
             for k, (c, m) in enumerate(zip(clear, minors, strict=True), start=1)):  # fmt: skip
        test = Test(True, MAXIMUM, "H negative definite (in floats)")
    elif all(clear):
        test = Test(True, SADDLE, "H indefinite (in floats)")
    else:  # det H ≠ 0 and a leading minor 0: not definite, so indefinite
        test = Test(True, SADDLE, "H indefinite: det H ≠ 0 and not definite (in floats)")
    return Critical(None, values, None, evaluate(problem.expr, env), test)


def _float_minor(h: list[list[float]], k: int) -> float:
    from deriv_lecture.core.tasks.jacobian import _float_det

    return _float_det(tuple(tuple(row[:k]) for row in h[:k])) or 0.0


def _newton_search(result: HessianResult) -> tuple[tuple[float, ...], ...]:
    """Newton's method on ∇f = 0 from a grid of starts in [−3, 3]ⁿ (n ≤ 3); the points it
    converges to (never claimed complete)."""
    problem = result.problem
    names = problem.variables
    if len(names) > 3:
        return ()
    lets = problem.lets.floats()
    grad = [compiled(g.derivative) for g in result.gradient]
    hess = [[compiled(e) for e in row] for row in result.entries]
    starts = itertools.product(*[[-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0]] * len(names))
    seen: list[tuple[float, ...]] = []
    for start in starts:
        x = list(start)
        for _ in range(40):
            env = {**lets, **dict(zip(names, x, strict=True))}
            try:
                g = [c(env) for c in grad]
                h = [[c(env) for c in row] for row in hess]
                # ∇f = 0 already (a start on a critical point with a singular H): done.
                step = [0.0] * len(g) if max(map(abs, g)) < 1e-14 else _solve(h, g)
            except (MathError, ZeroDivisionError, OverflowError, ValueError):
                break
            if step is None:
                break
            x = [xi - si for xi, si in zip(x, step, strict=True)]
            if max(abs(s) for s in step) < 1e-13 * (1 + max(abs(v) for v in x)):
                # Where H is singular Newton crawls: its stops within 1e-4 of each other
                # are one point, and small coordinates are 0 where ∇f is as small there.
                point = tuple(x)
                snapped = tuple(0.0 if abs(v) < 1e-4 else v for v in x)
                try:
                    at = {**lets, **dict(zip(names, snapped, strict=True))}
                    if max(abs(c(at)) for c in grad) <= max(1e-14, max(map(abs, g))):
                        point = snapped
                except (MathError, ZeroDivisionError, OverflowError, ValueError):
                    pass
                if all(math.isfinite(v) for v in point) and not any(
                    max(abs(a - b) for a, b in zip(point, p, strict=True)) < 1e-4 for p in seen
                ):
                    seen.append(point)
                break
    return tuple(seen)


def _solve(a: list[list[float]], b: list[float]) -> list[float] | None:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for k in range(n):
        pivot = max(range(k, n), key=lambda r: abs(m[r][k]))
        if abs(m[pivot][k]) < 1e-14:
            return None
        m[k], m[pivot] = m[pivot], m[k]
        for r in range(n):
            if r != k:
                factor = m[r][k] / m[k][k]
                for c in range(k, n + 1):
                    m[r][c] -= factor * m[k][c]
    return [m[i][n] / m[i][i] for i in range(n)]
