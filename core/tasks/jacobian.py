"""The Jacobian matrix (SPEC.md "Several variables"): J[i][j] = ∂Fi/∂xj by the rules, in
numerator layout (rows = outputs, columns = inputs, as SymPy, JAX and PyTorch lay it out);
its determinant where it is square; at a point every entry exact, decimal and estimated
from values of F alone (column j is the derivative along e_j), the determinant's value and
the inverse; and the products a backward pass and a forward pass compute, Vᵀ J and J V.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import Derivation, derive
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import DomainError, LimitError, MathError, UsageError
from deriv_lecture.core.numeric.estimates import Estimate, axis_estimate
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Problem
from deriv_lecture.core.referee.matrices import sympy_determinant, sympy_inverse
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import ZERO, Add, Expr, Mul, Neg, size

MAX_ENTRIES = 400
# A determinant of formulas has up to n! terms: past 4×4 it is neither readable nor quick,
# so it is said so, and at a point the determinant of the values is computed instead.
MAX_FORMULA_DET = 4
MAX_NODES = 200_000


@dataclass(frozen=True, slots=True)
class MatrixAt:
    """A matrix of formulas at a point: exact entries (None where there is no exact value
    or none exists) and decimals."""

    exact: tuple[tuple[Expr | None, ...], ...]
    values: tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True, slots=True)
class JacobianResult:
    problem: Problem
    derivations: tuple[tuple[Derivation, ...], ...]  # [i][j]: ∂Fi/∂xj
    det: Expr | None  # square only; None where it is not square or not found in time
    at: MatrixAt | None = None
    estimates: tuple[tuple[Estimate | None, ...], ...] = ()
    det_exact: Expr | None = None
    det_value: float | None = None
    inverse: MatrixAt | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.problem.expressions), len(self.problem.variables)

    @property
    def square(self) -> bool:
        m, n = self.shape
        return m == n

    @property
    def entries(self) -> tuple[tuple[Expr, ...], ...]:
        return tuple(tuple(d.derivative for d in row) for row in self.derivations)


def jacobian(problem: Problem, shown: bool = True) -> JacobianResult:
    """shown: the matrix is for printing, so past MAX_ENTRIES entries or MAX_NODES nodes it
    is refused with advice (the benchmark times bigger ones without that limit)."""
    m, n = len(problem.expressions), len(problem.variables)
    if shown and m * n > MAX_ENTRIES:
        raise LimitError(
            f"the Jacobian would be {m}×{n} = {m * n} entries, more than deriv shows"
            f" ({MAX_ENTRIES}); differentiate fewer components or by fewer inputs (--wrt)"
        )
    rows = tuple(tuple(derive(f, v) for v in problem.variables) for f in problem.expressions)
    nodes = sum(size(d.derivative) for row in rows for d in row)
    if shown and nodes > MAX_NODES:
        raise LimitError(
            f"the Jacobian is {nodes:,} nodes written out, more than deriv shows ({MAX_NODES:,})"
        )
    entries = tuple(tuple(d.derivative for d in row) for row in rows)
    det = determinant(entries) if m == n <= MAX_FORMULA_DET else None
    if problem.point is None:
        return JacobianResult(problem, rows, det)
    defined_at_point(problem)
    at = matrix_at(problem, entries)
    estimates = tuple(
        tuple(_estimate(problem, f, v) for v in problem.variables) for f in problem.expressions
    )
    det_exact = det_value = None
    inverse = None
    if m == n and n <= MAX_FORMULA_DET:
        det_exact = problem.point.exact(det, problem.lets) if det is not None else None
        if det_exact is None and all(e is not None for row in at.exact for e in row):
            det_exact = determinant(at.exact)  # type: ignore[arg-type]
        det_value = decimal(det_exact) if det_exact is not None else _float_det(at.values)
        if det_value is not None and det_value != 0:
            inverse = _inverse(at)
    elif m == n:  # bigger: the determinant and the inverse of the values, in floats
        det_value = _float_det(at.values)
        if det_value:
            inverse = _float_inverse(at.values)
    return JacobianResult(problem, rows, det, at, estimates, det_exact, det_value, inverse)


def own_determinant(rows: tuple[tuple[Expr, ...], ...]) -> Expr | None:
    """det by cofactors with the engine's algebra alone (no SymPy), up to 4×4: for a
    check that compares it with an expected value, where its form does not matter."""
    return simplify(_cofactors(rows)) if len(rows) <= MAX_FORMULA_DET else None


def determinant(rows: tuple[tuple[Expr, ...], ...]) -> Expr | None:
    """det by SymPy, tidied (in time), else by cofactors with the engine's own algebra for
    up to 3×3; None for a bigger matrix SymPy could not do in time."""
    from deriv_lecture.core.calculus.forms import weight

    found = sympy_determinant(rows)
    own = simplify(_cofactors(rows)) if len(rows) <= 3 else None
    if found is None:
        return own
    theirs = simplify(found)
    # SymPy's simplify can turn a plain constant into cos(2 + π/4)·√2 terms: the lighter wins.
    return own if own is not None and weight(own) <= weight(theirs) else theirs


def _cofactors(rows: tuple[tuple[Expr, ...], ...]) -> Expr:
    if len(rows) == 1:
        return rows[0][0]
    terms: list[Expr] = []
    for j, entry in enumerate(rows[0]):
        if entry == ZERO:
            continue
        minor = tuple(row[:j] + row[j + 1 :] for row in rows[1:])
        term = Mul((entry, _cofactors(minor)))
        terms.append(term if j % 2 == 0 else Neg(term))
    return Add(tuple(terms)) if terms else ZERO


def defined_at_point(problem: Problem) -> None:
    """Each function must have a value at the point (1/x at x = 0 has none): else a
    MathError, exit 1, as for one variable."""
    for k, f in enumerate(problem.expressions, start=1):
        if _exact(problem, f) is None:
            name = f"F{k}" if len(problem.expressions) > 1 else "f"
            raise MathError(f"{name} = {to_input(f)} has no value at the point: outside its"
                            " domain (a pole, a root of a negative number, ...)")  # fmt: skip


def matrix_at(problem: Problem, rows: tuple[tuple[Expr, ...], ...]) -> MatrixAt:
    """Each entry at the point, exactly by the engine's arithmetic and as a decimal; an
    entry undefined there (a pole) has neither."""
    assert problem.point is not None
    exact: list[tuple[Expr | None, ...]] = []
    values: list[tuple[float | None, ...]] = []
    for row in rows:
        found = [_exact(problem, entry) for entry in row]
        exact.append(tuple(found))
        values.append(tuple(decimal(e) if e is not None else None for e in found))
    return MatrixAt(tuple(exact), tuple(values))


def _exact(problem: Problem, entry: Expr) -> Expr | None:
    assert problem.point is not None
    try:
        value = problem.point.exact(entry, problem.lets)
        # No decimal: no value here (a piece's edge left unresolved, a pole).
        return value if decimal(value) is not None else None
    except (DomainError, MathError):
        return None


def _estimate(problem: Problem, f: Expr, var: str) -> Estimate | None:
    """∂f/∂var at the point from values of f alone: f along the axis e_var."""
    assert problem.point is not None
    return axis_estimate(f, {**problem.lets.floats(), **problem.point.floats()}, var)


def _float_det(values: tuple[tuple[float | None, ...], ...]) -> float | None:
    """det by Gaussian elimination in floats (the exact one was not found)."""
    if any(v is None for row in values for v in row):
        return None
    a = [[float(v) for v in row] for row in values]  # type: ignore[arg-type]
    n, det = len(a), 1.0
    for k in range(n):
        pivot = max(range(k, n), key=lambda r: abs(a[r][k]))
        if a[pivot][k] == 0:
            return 0.0
        if pivot != k:
            a[k], a[pivot] = a[pivot], a[k]
            det = -det
        det *= a[k][k]
        for r in range(k + 1, n):
            factor = a[r][k] / a[k][k]
            for c in range(k, n):
                a[r][c] -= factor * a[k][c]
    return det if math.isfinite(det) else None


def _float_inverse(values: tuple[tuple[float | None, ...], ...]) -> MatrixAt | None:
    """Gauss–Jordan with partial pivoting, in floats (decimals only, no exact entries)."""
    if any(v is None for row in values for v in row):
        return None
    n = len(values)
    a = [[float(v) for v in row] + [float(i == j) for j in range(n)]  # type: ignore[arg-type]
         for i, row in enumerate(values)]  # fmt: skip
    for k in range(n):
        pivot = max(range(k, n), key=lambda r: abs(a[r][k]))
        if a[pivot][k] == 0:
            return None
        a[k], a[pivot] = a[pivot], a[k]
        scale = a[k][k]
        a[k] = [v / scale for v in a[k]]
        for r in range(n):
            if r != k and a[r][k]:
                factor = a[r][k]
                a[r] = [v - factor * w for v, w in zip(a[r], a[k], strict=True)]
    rows = tuple(tuple(row[n:]) for row in a)
    if not all(math.isfinite(v) for row in rows for v in row):
        return None
    return MatrixAt(tuple((None,) * n for _ in range(n)), rows)


def _inverse(at: MatrixAt) -> MatrixAt | None:
    """The exact inverse by SymPy in time, else None (the decimals alone would hide a
    matrix near singular)."""
    if any(e is None for row in at.exact for e in row):
        return None
    found = sympy_inverse(at.exact)  # type: ignore[arg-type]
    if found is None:
        return None
    tidy = tuple(tuple(simplify(e) for e in row) for row in found)
    return MatrixAt(tidy, tuple(tuple(decimal(e) for e in row) for row in tidy))


# -- products with a vector -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Product:
    """Vᵀ J (kind "vjp": what a backward pass computes) or J V ("jvp": a forward pass)."""

    kind: str
    vector: tuple[Expr, ...]
    shapes: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # (V or J, J or V, result)
    formulas: tuple[Expr, ...]
    exact: tuple[Expr | None, ...] = ()
    values: tuple[float | None, ...] = ()


def product(result: JacobianResult, kind: str, vector: tuple[Expr, ...]) -> Product:
    m, n = result.shape
    entries = result.entries
    if kind == "vjp":
        if len(vector) != m:
            raise UsageError(
                f"--vjp V has {len(vector)} entries: Vᵀ J needs V of length m = {m}"
                f" ((1×{len(vector)})(m×n) with J {m}×{n} does not multiply)"
            )
        formulas = tuple(
            simplify(Add(tuple(Mul((vector[i], entries[i][j])) for i in range(m))))
            for j in range(n)
        )
        shapes = ((1, m), (m, n), (1, n))
    else:
        if len(vector) != n:
            raise UsageError(
                f"--jvp V has {len(vector)} entries: J V needs V of length n = {n}"
                f" (J {m}×{n} times ({len(vector)}×1) does not multiply)"
            )
        formulas = tuple(
            simplify(Add(tuple(Mul((entries[i][j], vector[j])) for j in range(n))))
            for i in range(m)
        )
        shapes = ((m, n), (n, 1), (m, 1))
    if result.problem.point is None:
        return Product(kind, vector, shapes, formulas)
    exact = tuple(_exact(result.problem, f) for f in formulas)
    values = tuple(decimal(e) if e is not None else None for e in exact)
    return Product(kind, vector, shapes, formulas, exact, values)


def transpose(rows: tuple[tuple[Expr, ...], ...]) -> tuple[tuple[Expr, ...], ...]:
    return tuple(zip(*rows, strict=True))
