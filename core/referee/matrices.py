"""SymPy's matrix work for Jacobians and Hessians, each call in the worker under a time
limit, each answer converted back to our trees: a determinant in its tidiest form, an
inverse and eigenvalues of exact constant matrices, and the critical points of a
gradient. Every function answers None (or says "incomplete") when SymPy has no answer in
time; the caller then says so, or falls back to decimals, labelled as such."""

from __future__ import annotations

import functools
import math
from typing import Any

from deriv_lecture.core.errors import MathError
from deriv_lecture.core.referee.crosscheck import (
    Verdict,
    compare_with_sympy,
    no_verdict,
    sympy_refusal,
    to_sympy,
)
from deriv_lecture.core.referee.exact import NotRepresentable, from_sympy
from deriv_lecture.core.referee.sympy_worker import remote
from deriv_lecture.core.referee.timebox import within
from deriv_lecture.core.syntax.tree import Expr, free_symbols

Rows = tuple[tuple[Expr, ...], ...]
DET_SECONDS = 0.6
INVERSE_SECONDS = 0.6
EIGEN_SECONDS = 0.8
SOLVE_SECONDS = 1.5
PROVE_UP_TO = 9  # partials judged in one call: past this many, agreement at points only


def _matrix(rows: Rows, symbols: dict[str, Any]) -> Any:
    import sympy

    return sympy.Matrix([[to_sympy(entry, symbols) for entry in row] for row in rows])


def _back(value: Any) -> Expr | None:
    try:
        return from_sympy(value)
    except NotRepresentable:
        return None


def _refused(rows: Rows) -> bool:
    return any(sympy_refusal(entry) is not None for row in rows for entry in row)


@remote(undecided=lambda *_: None)
def sympy_determinant(rows: Rows) -> Expr | None:
    """det of a square matrix of formulas, then its tidiest form (simplify, which knows
    cos² + sin² = 1: the polar Jacobian's determinant is r), or None in no time."""
    import sympy

    if _refused(rows):
        return None
    symbols: dict[str, Any] = {}

    def compute() -> Any:
        det = _matrix(rows, symbols).det(method="berkowitz")
        return sympy.expand(det) if sympy.count_ops(det) < 400 else det

    det = within(DET_SECONDS, compute)
    if det is None:
        return None
    tidier = (
        within(DET_SECONDS, lambda: sympy.simplify(det)) if sympy.count_ops(det) < 200 else None
    )
    if tidier is not None and sympy.count_ops(tidier) <= sympy.count_ops(det):
        det = tidier
    return _back(det)


@remote(undecided=lambda *_: None)
def sympy_inverse(rows: Rows) -> Rows | None:
    """The exact inverse of a square constant matrix, entries simplified; None if it is
    singular or SymPy has no answer in time."""
    import sympy

    if _refused(rows):
        return None

    def compute() -> Any:
        matrix = _matrix(rows, {})
        if matrix.det() == 0:
            return None
        return matrix.inv().applyfunc(sympy.simplify)

    inverse = within(INVERSE_SECONDS, compute)
    if inverse is None:
        return None
    found = [[_back(entry) for entry in inverse.row(i)] for i in range(inverse.rows)]
    if any(entry is None for row in found for entry in row):
        return None
    return tuple(tuple(e for e in row if e is not None) for row in found)


@remote(undecided=lambda *_: None)
def sympy_eigenvalues(rows: Rows) -> tuple[tuple[Expr, int], ...] | None:
    """Exact eigenvalues of a constant matrix with their multiplicities, or None."""
    import sympy

    if _refused(rows):
        return None

    def compute() -> Any:
        return _matrix(rows, {}).eigenvals(multiple=False)

    found = within(EIGEN_SECONDS, compute)
    if not found:
        return None
    values = []
    for value, multiplicity in found.items():
        tidy = within(EIGEN_SECONDS / 4, functools.partial(sympy.simplify, value)) or value
        if tidy.has(sympy.I) or tidy.is_real is False:
            return None  # a symmetric matrix has real eigenvalues: SymPy's form hides it
        back = _back(tidy)
        if back is None:
            return None
        values.append((back, int(multiplicity)))
    return tuple(values)


@remote(undecided=lambda *_: ((), False))
def sympy_critical_points(
    gradient: tuple[Expr, ...], variables: tuple[str, ...]
) -> tuple[tuple[tuple[Expr, ...], ...], bool]:
    """The real solutions of ∇f = 0 as exact points, and whether the list is known to be
    complete (SymPy solved the system in time and found finitely many solutions)."""
    import sympy

    if any(sympy_refusal(g) is not None for g in gradient):
        return (), False
    symbols = {name: sympy.Symbol(name, real=True) for name in variables}

    def compute() -> Any:
        equations = [to_sympy(g, symbols) for g in gradient]
        return sympy.solve(equations, [symbols[n] for n in variables], dict=True)

    found = within(SOLVE_SECONDS, compute)
    if found is None:
        return (), False
    complete = True
    points = []
    for solution in found:
        values = [solution.get(symbols[n]) for n in variables]
        if any(v is None or v.free_symbols for v in values):
            complete = False  # a curve of critical points: not a finite list
            continue
        if any(v.is_real is False or v.has(sympy.I) for v in values):
            continue  # a complex solution is no point of the plane
        back = [_back(v) for v in values]
        if any(b is None for b in back):
            complete = False
            continue
        points.append(tuple(b for b in back if b is not None))
    return tuple(points), complete


def _expands_equal(function: Any, x: Any, ours: Expr, symbols: dict[str, Any]) -> bool:
    import sympy

    return bool(sympy.expand(sympy.diff(function, x) - to_sympy(ours, symbols)) == 0)


# Where many partials are judged at once: every symbol at one of these values, shifted
# from point to point (positive: inside most domains).
SAMPLE = (0.37, 0.83, 1.27, 0.61)


def _term_by_term(
    function: Expr, var: str, known: dict[tuple[Expr, str], Expr | None]
) -> Expr | None:
    """SymPy's derivative of function by var, as our tree: a sum term by term, each term by
    the derivative of its shape (renamed back), so that the 50 terms of a layer's sum cost
    one sympy.diff, not 50 (its Add asked each term whether it was zero)."""
    from deriv_lecture.core.syntax.tree import Add, Sym

    terms = function.terms if isinstance(function, Add) else (function,)
    parts = []
    for term in terms:
        if var not in free_symbols(term):
            continue
        shape, shape_var, _ = _shape(term, var, term)
        if (shape, shape_var) not in known:
            known[(shape, shape_var)] = _sympy_derivative(shape, shape_var)
        found = known[(shape, shape_var)]
        if found is None:
            return None
        order = _order(term, Sym(var))  # the names _shape gave, to rename back
        parts.append(_renamed(found, {new: old for old, new in order.items()}))
    return parts[0] if len(parts) == 1 else Add(tuple(parts)) if parts else _zero()


def _zero() -> Expr:
    from deriv_lecture.core.syntax.tree import ZERO

    return ZERO


def _sympy_derivative(function: Expr, var: str) -> Expr | None:
    import sympy

    symbols: dict[str, Any] = {}
    converted = to_sympy(function, symbols)
    return _back(sympy.diff(converted, symbols.setdefault(var, sympy.Symbol(var, real=True))))


def _agree_in_floats(pairs: list[tuple[Expr | None, Expr]]) -> list[bool]:
    """For each (SymPy's derivative as our tree, ours): equal in floats at four points,
    evaluated by the compiled evaluator (lambdify printed code for each of a hundred
    partials in 3 ms apiece, more than SymPy's diff). A pair with no value at a point
    stays unsettled (False): it is judged on its own."""
    from deriv_lecture.core.numeric.evaluate import evaluate

    settled = []
    for tree, ours in pairs:
        names = sorted(free_symbols(ours) | (free_symbols(tree) if tree is not None else set()))
        ok = tree is not None
        for k in range(len(SAMPLE)):
            if not ok:
                break
            point = {n: SAMPLE[(k + i) % len(SAMPLE)] for i, n in enumerate(names)}
            try:
                a, b = evaluate(tree, point), evaluate(ours, point)  # type: ignore[arg-type]
            except MathError:
                ok = False
                break
            ok = math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        settled.append(ok)
    return settled


def sympy_matrix_verdict(
    functions: tuple[Expr, ...], variables: tuple[str, ...], entries: Rows
) -> Verdict:
    """SymPy's verdict on a matrix of partials, entries[i][j] = ∂functions[i]/∂variables[j]."""
    return sympy_partials_verdict(tuple(
        (function, var, ours)
        for function, row in zip(functions, entries, strict=True)
        for var, ours in zip(variables, row, strict=True)
    ))  # fmt: skip


def _renamed(expr: Expr, names: dict[str, str]) -> Expr:
    """expr with its symbols renamed all at once (u ↔ v swaps are safe)."""
    from deriv_lecture.core.syntax.tree import Sym, rebuild

    if isinstance(expr, Sym):
        return Sym(names.get(expr.name, expr.name))
    return rebuild(expr, lambda child: _renamed(child, names))


def _order(*trees: Expr) -> dict[str, str]:
    """Each symbol of the trees, in order of first appearance, to _0, _1, ... (no user's
    name starts with _)."""
    from deriv_lecture.core.syntax.tree import Sym, walk

    order: dict[str, str] = {}
    for tree in trees:
        for node in walk(tree):
            if isinstance(node, Sym) and node.name not in order:
                order[node.name] = f"_{len(order)}"
    return order


def _shape(function: Expr, var: str, ours: Expr) -> tuple[Expr, str, Expr]:
    """The partial up to a renaming of its symbols, in order of first appearance: a
    layer's ∂tanh(w₃x₃ + b)/∂w₃ and ∂tanh(w₇x₇ + b)/∂w₇ have one shape, and a derivative
    right for one is right for the other (renaming symbols commutes with differentiation)."""
    from deriv_lecture.core.syntax.tree import Sym

    order = _order(function, Sym(var), ours)
    return _renamed(function, order), order[var], _renamed(ours, order)


@remote(undecided=no_verdict)
def sympy_partials_verdict(partials: tuple[tuple[Expr, str, Expr], ...]) -> Verdict:
    """SymPy's verdict on many partials: each distinct shape judged once (a layer of 50
    neurons has three: ∂/∂wᵢ, ∂/∂xᵢ, ∂/∂b), the verdict the same for every partial of it."""
    for function, _, ours in partials:  # too big for SymPy in time: said at once
        refusal = sympy_refusal(function) or sympy_refusal(ours)
        if refusal is not None:
            return Verdict(None, "none", f"not asked: {refusal}", 0)
    shapes = tuple(dict.fromkeys(_shape(*p) for p in partials)) if len(partials) > 1 else partials
    return _partials_verdict(shapes, many=len(partials) > PROVE_UP_TO)


def _partials_verdict(partials: tuple[tuple[Expr, str, Expr], ...], many: bool) -> Verdict:
    """SymPy's verdict on many partial derivatives, (function, variable, ours) each, in one
    call: each proved equal to sympy.diff by expanding the difference to 0 (a millisecond
    for a polynomial or trigonometric entry: a 10×10 Jacobian is 100 of them), else judged
    as `deriv` judges one derivative (points, then a proof in time). The first
    disagreement is the verdict; agreement needs every one."""
    import sympy

    symbols: dict[str, Any] = {}
    verdicts: list[Verdict] = []
    converted: dict[Expr, Any] = {}
    settled = [False] * len(partials)
    if many:
        derivatives: dict[tuple[Expr, str], Expr | None] = {}
        pairs = [(_term_by_term(f, v, derivatives), ours) for f, v, ours in partials]
        settled = within(1.0, functools.partial(_agree_in_floats, pairs)) or settled
    for index, (function, var, ours) in enumerate(partials):
        if settled[index]:
            verdicts.append(Verdict(True, "numeric", "", len(SAMPLE)))
            continue
        refusal = sympy_refusal(function)
        if refusal is not None:
            return Verdict(None, "none", f"not asked: {refusal}", 0)
        if function not in converted:
            converted[function] = to_sympy(function, symbols)
        x = symbols.setdefault(var, sympy.Symbol(var, real=True))
        check = functools.partial(_expands_equal, converted[function], x, ours, symbols)
        if within(0.2, check):
            verdicts.append(Verdict(True, "symbolic", "", 0))
            continue
        # Not settled that way (sech² against 1 − tanh²): judged as one derivative is, with
        # a proof only for a handful (trigsimp on a hundred took minutes).
        verdict = compare_with_sympy(function, ours, var, not many)
        if verdict.agrees is False:
            return verdict
        verdicts.append(verdict)
    undecided = next((v for v in verdicts if v.agrees is None), None)
    if undecided is not None:
        return undecided
    method = "symbolic" if all(v.method == "symbolic" for v in verdicts) else "numeric"
    checked = min((v.points_checked for v in verdicts if v.points_checked), default=0)
    return Verdict(True, method, "", checked)
