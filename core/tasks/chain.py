"""The chain rule as a product of Jacobians: for F(u) with u = g(s), J_(F∘g)(a) =
J_F(g(a)) · J_g(a). Shown factor by factor, with g(a), the point where J_F is evaluated,
printed (evaluating J_F at a itself is the classic silent error), and checked against the
Jacobian of the composition differentiated directly."""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import UsageError
from deriv_lecture.core.problem import Point, Problem
from deriv_lecture.core.referee.equivalence import all_of, compare_several
from deriv_lecture.core.syntax.tree import Add, Expr, Mul, free_symbols, substitute
from deriv_lecture.core.tasks.jacobian import JacobianResult, MatrixAt, jacobian, matrix_at

Rows = tuple[tuple[Expr, ...], ...]


@dataclass(frozen=True, slots=True)
class ChainResult:
    outer: JacobianResult  # J_F, by F's own inputs u
    inner: JacobianResult  # J_g, by the new variables s
    product: Rows  # J_F(g(s)) · J_g(s), simplified
    direct: JacobianResult  # J of F∘g, differentiated directly
    agrees: bool | None  # product = direct as functions of s
    g_at: tuple[Expr, ...] = ()  # g(a)
    outer_at_g: MatrixAt | None = None  # J_F at g(a)
    product_at: MatrixAt | None = None
    outer_at_a: MatrixAt | None = None  # J_F at a's numbers taken as u: the silent error

    @property
    def shapes(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        m, k = self.outer.shape
        _, n = self.inner.shape
        return (m, k), (k, n), (m, n)


def chain(problem: Problem, inner: dict[str, Expr]) -> ChainResult:
    """problem: F with its inputs u as variables (and a point, if any, in the new variables
    s); inner: each u as a formula of s."""
    outer_names = problem.variables
    missing = [u for u in outer_names if u not in inner]
    extra = [u for u in inner if u not in outer_names]
    if missing or extra:
        raise UsageError(
            "--sub gives each input of F a formula: "
            + (f"{', '.join(missing)} has none" if missing else f"F has no input {extra[0]}")
        )
    lets = set(problem.lets)
    new_names = tuple(sorted(set().union(*(free_symbols(e) for e in inner.values())) - lets))
    if not new_names:
        raise UsageError("--sub: the formulas have no variables to differentiate by")
    clash = sorted(set(new_names) & set(outer_names))
    if clash:
        raise UsageError(f"--sub: {clash[0]} is both an input of F and a variable of g")
    functions = tuple(inner[u] for u in outer_names)
    point = problem.point
    if point is not None:
        unknown = [n for n in new_names if n not in point]
        if unknown:
            raise UsageError(f"--at gives no value for {', '.join(unknown)} (g uses it)")
        foreign = [n for n in point if n not in new_names]
        if foreign:
            raise UsageError(f"--at names {foreign[0]}, which g does not use: give g's variables")
    outer = jacobian(Problem(problem.expressions, outer_names, None, problem.lets))
    inner_result = jacobian(Problem(functions, new_names, point, problem.lets))
    composed = tuple(_compose(f, inner) for f in problem.expressions)
    direct = jacobian(Problem(composed, new_names, point, problem.lets))
    at_g = tuple(tuple(_compose(e, inner) for e in row) for row in outer.entries)
    product = _multiply(at_g, inner_result.entries)
    given = problem.lets.floats()
    agrees = _all_equal(product, direct.entries, new_names, given)
    if point is None:
        return ChainResult(outer, inner_result, product, direct, agrees)
    g_at = tuple(point.exact(g, problem.lets) for g in functions)
    at_outer = Problem(problem.expressions, outer_names,
                       Point(tuple(zip(outer_names, g_at, strict=True))), problem.lets)  # fmt: skip
    outer_at_g = matrix_at(at_outer, outer.entries)
    product_at = matrix_at(Problem(composed, new_names, point, problem.lets), product)
    outer_at_a = None
    if len(point) == len(outer_names):  # a's numbers read as u: what the silent error computes
        wrong = Point(tuple(zip(outer_names, point.values(), strict=True)))
        outer_at_a = matrix_at(Problem(problem.expressions, outer_names, wrong, problem.lets),
                               outer.entries)  # fmt: skip
    return ChainResult(outer, inner_result, product, direct, agrees, g_at, outer_at_g,
                       product_at, outer_at_a)  # fmt: skip


def _compose(expr: Expr, inner: dict[str, Expr]) -> Expr:
    """expr with every u replaced by its formula at once (u = v, v = u swaps them)."""
    marked = expr
    for k, name in enumerate(inner):
        marked = substitute(marked, name, _placeholder(k))
    for k, formula in enumerate(inner.values()):
        marked = substitute(marked, f"__u{k}", formula)
    return marked


def _placeholder(k: int) -> Expr:
    from deriv_lecture.core.syntax.tree import Sym

    return Sym(f"__u{k}")


def _multiply(left: Rows, right: Rows) -> Rows:
    return tuple(
        tuple(
            simplify(Add(tuple(Mul((left[i][k], right[k][j])) for k in range(len(right)))))
            for j in range(len(right[0]))
        )
        for i in range(len(left))
    )


def _all_equal(
    first: Rows, second: Rows, variables: tuple[str, ...], given: dict[str, float]
) -> bool | None:
    verdicts = [
        compare_several(a, b, variables, given).equal
        for row_a, row_b in zip(first, second, strict=True)
        for a, b in zip(row_a, row_b, strict=True)
    ]
    return all_of(verdicts)
