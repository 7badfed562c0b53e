"""`deriv backprop` with many inputs: one backward pass gives the gradient of every input
(the weights, the bias, the data), as micrograd and CS231n teach it, with formulas,
values, the patterns of backward flow named, and a verdict: every gradient against
SymPy's partial derivative and against an estimate from values of f alone.

Where f has no gradient at the point (a relu at its kink, a tie of max) none is claimed:
each input's one-sided partials are given, and the number the pass computes there is
labelled as a convention.
"""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.derive import Derivation, derive
from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.numeric.local import Local
from deriv_lecture.core.numeric.point import PointAnalysis, analyze
from deriv_lecture.core.problem import Problem
from deriv_lecture.core.referee.crosscheck import Verdict, combined_verdict
from deriv_lecture.core.syntax.tree import ZERO, Add, Call, Expr, Mul, Sym
from deriv_lecture.core.tasks.backprop import (
    Graph,
    Module,
    Pass,
    decompose,
    merge,
    run_numeric,
    run_symbolic,
)
from deriv_lecture.core.tasks.backprop_run import conventions_at
from deriv_lecture.core.tasks.partials import along, fix

DISTRIBUTES, SWAPS, ROUTES, SIGMOID = "distributes", "swaps", "routes", "sigmoid"


@dataclass(frozen=True, slots=True)
class NetworkResult:
    problem: Problem
    graph: Graph
    symbolic: Pass
    numeric: Pass | None  # at the point
    partials: tuple[Derivation, ...]  # the rule engine's ∂f/∂input, one per input
    verdict: Verdict  # SymPy on every partial
    agrees: bool | None  # the backward pass's gradients = the rule engine's partials
    along: tuple[PointAnalysis | None, ...] = ()  # each input's axis at the point
    conventions: tuple[str, ...] = ()
    patterns: dict[str, str] | None = None  # module name -> its pattern of backward flow

    @property
    def differentiable(self) -> bool | None:
        """At the point: a gradient exists (no module at its kink, every partial exists)."""
        if self.numeric is None:
            return None
        if self.conventions or any(a is None or not a.differentiable for a in self.along):
            decided = all(a is not None and a.kind != "undecided" for a in self.along)
            return False if decided or self.conventions else None
        return True


def network(problem: Problem, groups: list[tuple[int, int]] | None = None) -> NetworkResult:
    """problem: f with its inputs as variables and, if asked, a point giving each a value."""
    f, inputs = problem.expr, problem.variables
    graph = decompose(f, inputs)
    if groups:
        graph = merge(graph, groups)
    symbolic = run_symbolic(graph)
    partials = tuple(derive(f, v) for v in inputs)
    verdict = combined_verdict(inputs, partials)
    agrees = _same_gradients(problem, symbolic, partials)
    patterns = {m.name: p for m in graph.modules if (p := pattern(m)) is not None}
    if problem.point is None:
        return NetworkResult(problem, graph, symbolic, None, partials, verdict, agrees,
                             patterns=patterns)  # fmt: skip
    values = problem.point.floats()
    lets = problem.lets.floats()
    numeric = run_numeric(graph, values, lets)
    axes = tuple(_along(problem, d) for d in partials)
    local = Local(inputs[0], {**dict(problem.lets), **dict(problem.point)})
    conventions = conventions_at(graph, numeric, local)
    for analysis, var in zip(axes, inputs, strict=True):
        if analysis is None or not analysis.differentiable or analysis.slope_value is None:
            continue
        backward = float(numeric.gradients.get(var, 0.0))  # type: ignore[arg-type]
        if abs(backward - analysis.slope_value) > 1e-9 * max(1.0, abs(analysis.slope_value)):
            agrees = False
    return NetworkResult(problem, graph, symbolic, numeric, partials, verdict, agrees, axes,
                         conventions, patterns)  # fmt: skip


def _along(problem: Problem, derivation: Derivation) -> PointAnalysis | None:
    """∂f/∂v at the point: the one-variable analysis along v's axis (exact value, whether
    it exists, one-sided slopes, the estimate from values of f alone)."""
    var = derivation.var
    try:
        return analyze(along(problem, problem.expr, var), fix(problem, derivation.derivative, var),
                       with_limits=False, with_lines=False, tidy=False,
                       rules_derivative=fix(problem, derivation.steps.result, var))  # fmt: skip
    except (DomainError, MathError):
        return None


def _same_gradients(
    problem: Problem, symbolic: Pass, partials: tuple[Derivation, ...]
) -> bool | None:
    """Each input's gradient from the backward pass against the rule engine's partial, as
    functions of every input."""
    from deriv_lecture.core.referee.equivalence import compare_several

    given = problem.lets.floats() if problem.lets else {}
    verdicts = []
    for derivation in partials:
        gradient = symbolic.gradients.get(derivation.var, ZERO)  # an input y ignores: 0
        assert not isinstance(gradient, float)
        verdicts.append(compare_several(gradient, derivation.derivative, problem.variables,
                                        given).equal)  # fmt: skip
    if any(v is False for v in verdicts):
        return False
    return None if any(v is None for v in verdicts) else True


def pattern(module: Module) -> str | None:
    """The pattern of backward flow a module shows, as CS231n names them: an add gate
    distributes the upstream gradient unchanged, a multiply gate of two inputs swaps them,
    max routes it all to the larger input, and a sigmoid's local derivative is y(1 − y)."""
    formula, read = module.formula, set(module.inputs)
    if isinstance(formula, Add) and all(
        (isinstance(t, Sym) and t.name in read) or not _reads(t, read) for t in formula.terms
    ):
        return DISTRIBUTES
    if (
        isinstance(formula, Mul)
        and len(formula.factors) == 2
        and all(isinstance(f, Sym) and f.name in read for f in formula.factors)
        and len(read) == 2
    ):
        return SWAPS
    if isinstance(formula, Call) and formula.name in ("max", "min"):
        return ROUTES
    if isinstance(formula, Call) and formula.name == "sigmoid":
        return SIGMOID
    return None


def _reads(expr: Expr, names: set[str]) -> bool:
    from deriv_lecture.core.syntax.tree import free_symbols

    return bool(free_symbols(expr) & names)
