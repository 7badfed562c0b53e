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
from deriv_lecture.core.numeric.estimates import Estimate, axis_estimate
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.local import Local
from deriv_lecture.core.numeric.point import PointAnalysis, analyze
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Problem
from deriv_lecture.core.referee.crosscheck import Verdict
from deriv_lecture.core.referee.equivalence import all_of
from deriv_lecture.core.referee.matrices import sympy_partials_verdict
from deriv_lecture.core.referee.sympy_worker import submit
from deriv_lecture.core.syntax.tree import ZERO, Add, Call, Expr, Mul, Sym, free_symbols, size
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
class InputAt:
    """One input's partial derivative at the point."""

    exact: Expr | None
    value: float | None
    estimate: Estimate | None  # from values of f alone, along the input's axis
    analysis: PointAnalysis | None = None  # the whole one-variable analysis, where needed

    @property
    def differentiable(self) -> bool | None:
        if self.analysis is not None:
            return None if self.analysis.kind == "undecided" else self.analysis.differentiable
        return self.value is not None


@dataclass(frozen=True, slots=True)
class NetworkResult:
    problem: Problem
    graph: Graph
    symbolic: Pass | None  # None at a point of a graph too big to show its formulas
    numeric: Pass | None  # at the point
    partials: tuple[Derivation, ...]  # the rule engine's ∂f/∂input, one per input
    verdict: Verdict  # SymPy on every partial
    agrees: bool | None  # the backward pass's gradients = the rule engine's partials
    along: tuple[InputAt, ...] = ()  # each input at the point
    conventions: tuple[str, ...] = ()
    patterns: dict[str, str] | None = None  # module name -> its pattern of backward flow

    @property
    def passes(self) -> Pass:
        """The pass that is shown: numbers at a point, else formulas."""
        shown = self.numeric or self.symbolic
        assert shown is not None
        return shown

    @property
    def differentiable(self) -> bool | None:
        """At the point: every partial exists and no module's kink makes it fail."""
        if self.numeric is None:
            return None
        return all_of(a.differentiable for a in self.along)


# At a point the backward pass is numbers; its formulas are shown too for graphs up to
# this many modules (past it they are long, and a sum over many inputs grows quadratically).
SYMBOLIC_MODULES = 40
EXACT_INPUTS = 20  # each partial's exact value at the point, for up to this many inputs
EXACT_NODES = 400  # ... of at most this size (a deep chain's is long, and slow to simplify)


def network(problem: Problem, groups: list[tuple[int, int]] | None = None) -> NetworkResult:
    """problem: f with its inputs as variables and, if asked, a point giving each a value."""
    f, inputs = problem.expr, problem.variables
    graph = decompose(f, inputs)
    if groups:
        graph = merge(graph, groups)
    # Each partial from the terms of f that vary with its input (a layer of 50 neurons:
    # one term each), and SymPy's verdict on all of them in one call.
    pieces = tuple(_terms_with(f, v) for v in inputs)
    partials = tuple(_partial(piece, v) for piece, v in zip(pieces, inputs, strict=True))
    # Sent to SymPy's worker now, read at the end: SymPy works while the passes run here.
    pending = submit(sympy_partials_verdict, tuple(
        (piece, d.var, d.derivative) for piece, d in zip(pieces, partials, strict=True)
    ))  # fmt: skip
    patterns = {m.name: p for m in graph.modules if (p := pattern(m)) is not None}
    if problem.point is None:
        formulas = run_symbolic(graph)
        same = _same_gradients(problem, formulas, partials)
        return NetworkResult(problem, graph, formulas, None, partials, pending.result(), same,
                             patterns=patterns)  # fmt: skip
    symbolic = run_symbolic(graph) if len(graph.modules) <= SYMBOLIC_MODULES else None
    values = problem.point.floats()
    numeric = run_numeric(graph, values, problem.lets.floats())
    local = Local(inputs[0], {**dict(problem.lets), **dict(problem.point)})
    conventions = conventions_at(graph, numeric, local)
    exact = len(inputs) <= EXACT_INPUTS
    axes = tuple(_at_point(problem, d, bool(conventions), exact) for d in partials)
    agrees: bool | None = True
    for at, var in zip(axes, inputs, strict=True):
        if not at.differentiable or at.value is None:
            continue
        backward = float(numeric.gradients.get(var, 0.0))  # type: ignore[arg-type]
        if abs(backward - at.value) > 1e-9 * max(1.0, abs(at.value)):
            agrees = False
    return NetworkResult(problem, graph, symbolic, numeric, partials, pending.result(), agrees,
                         axes, conventions, patterns)  # fmt: skip


# A partial the rules write out past this many nodes is checked against the pass as the
# rules produce it: tidying a recurrence 66 deep (22,000 nodes each) cost more than all else.
TIDY_NODES = 2_000


def _partial(piece: Expr, var: str) -> Derivation:
    from deriv_lecture.core.calculus.rules import differentiate

    steps = differentiate(piece, var)
    if size(steps.result) <= TIDY_NODES:
        return derive(piece, var)
    return Derivation(piece, var, steps, steps.result, None, simplified=False)


def _at_point(problem: Problem, derivation: Derivation, kinked: bool, exact: bool) -> InputAt:
    """∂f/∂v at the point: its exact value and an estimate along v's axis; where a module
    sits at its kink (or the formula has no value there), the whole one-variable analysis
    along the axis decides whether it exists and gives the one-sided slopes."""
    from deriv_lecture.core.tasks.jacobian import matrix_at

    var = derivation.var
    if not kinked and exact and size(derivation.derivative) <= EXACT_NODES:
        value = matrix_at(problem, ((derivation.derivative,),)).exact[0][0]
        if value is not None:
            return InputAt(value, decimal(value), _estimate(problem, var))
    if not kinked:  # many inputs or a long partial: its decimal alone
        assert problem.point is not None
        point = {**problem.lets.floats(), **problem.point.floats()}
        try:
            return InputAt(None, evaluate(derivation.derivative, point), _estimate(problem, var))
        except MathError:
            pass  # no value from the formula here: the analysis along the axis decides
    try:
        analysis = analyze(along(problem, problem.expr, var), fix(problem, derivation.derivative,
                           var), with_limits=False, with_lines=False, tidy=False,
                           rules_derivative=fix(problem, derivation.steps.result, var))  # fmt: skip
    except (DomainError, MathError):
        return InputAt(None, None, None)
    return InputAt(analysis.slope_exact, analysis.slope_value, analysis.estimate, analysis)


def _terms_with(expr: Expr, var: str) -> Expr:
    """The terms of a sum that vary with var: the rest is a constant along var's axis, so
    the difference quotients need not evaluate it (a layer of 50 neurons: 50× fewer)."""
    if not isinstance(expr, Add):
        return expr
    kept = tuple(t for t in expr.terms if var in free_symbols(t))
    return kept[0] if len(kept) == 1 else Add(kept) if kept else ZERO


def _estimate(problem: Problem, var: str) -> Estimate | None:
    assert problem.point is not None
    values = {**problem.lets.floats(), **problem.point.floats()}
    return axis_estimate(_terms_with(problem.expr, var), values, var)


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
    return all_of(verdicts)


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
