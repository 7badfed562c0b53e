"""The lecture's modules of backpropagation: an expression as a graph of modules u1, u2,
..., y, each one operation; values forward, gradients backward (seed dy/dy = 1, then
dy/du = Σ dy/dz · dz/du over the modules z that use u).

micrograd's idea as data: modules in a tuple in evaluation order (deterministic), a shared
sub-expression or a variable used twice is one node with several users, and its gradient
is the sum of their contributions.
"""

from __future__ import annotations

from dataclasses import dataclass

from deriv_lecture.core.calculus.algebra import add, mul
from deriv_lecture.core.calculus.output_form import in_terms_of_output
from deriv_lecture.core.calculus.rules import differentiate
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import LimitError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.referee.equivalence import compare
from deriv_lecture.core.syntax.tree import (
    ONE,
    Expr,
    Piecewise,
    Sym,
    Undefined,
    free_symbols,
    rebuild,
    size,
    substitute,
    walk,
)


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # "u1", ..., and "y" for the output (OUTPUTS[1:] where an input is y)
    formula: Expr  # in terms of the variable and earlier modules
    inputs: tuple[str, ...]  # the variable and/or earlier modules it reads
    local: tuple[Expr, ...]  # ∂module/∂input for each input, in the same order
    local_in_output: tuple[Expr | None, ...]  # the same written in this module's own output


@dataclass(frozen=True, slots=True)
class Graph:
    inputs: tuple[str, ...]  # the leaves: the variable, or every input of a network
    modules: tuple[Module, ...]
    expansions: dict[str, Expr]  # module name -> its formula in terms of the inputs

    @property
    def output(self) -> str:
        """The last module's name: y, or f where an input is called y."""
        return self.modules[-1].name

    @property
    def var(self) -> str:
        """The one input, for the one-variable passes and views."""
        (only,) = self.inputs
        return only


@dataclass(frozen=True, slots=True)
class Contribution:
    """One step of the backward pass: dy/d(to) += dy/d(source) · d(source)/d(to)."""

    source: str
    to: str
    upstream: float | Expr
    local: float | Expr
    amount: float | Expr


@dataclass(frozen=True, slots=True)
class Pass:
    values: dict[str, float]  # forward values (variable included); empty when symbolic
    gradients: dict[str, float | Expr]  # dy/d(name), from y down to the variable
    contributions: tuple[Contribution, ...]  # in the order the backward pass made them


def decompose(expr: Expr, inputs: str | tuple[str, ...]) -> Graph:
    """One module per operation that depends on an input; constants (and parameters that
    are not inputs) stay inside formulas."""
    leaves = (inputs,) if isinstance(inputs, str) else inputs
    names_read = set(leaves)

    def reads(node: Expr) -> bool:
        return bool(free_symbols(node) & names_read)

    if not reads(expr):
        words = " or ".join(leaves)
        raise UsageError(f"the expression does not depend on {words}: there is nothing to chain")
    if isinstance(expr, Sym):
        raise UsageError(f"y = {expr.name} is a single wire, not a chain of modules")
    prefix = _free_prefix(expr)
    names: dict[Expr, str] = {}
    order: list[tuple[str, Expr]] = []

    def visit(node: Expr) -> Expr:
        if not reads(node) or (isinstance(node, Sym) and node.name in names_read):
            return node
        if node in names:
            return Sym(names[node])  # a shared sub-expression is one module
        formula = rebuild(node, visit)
        names[node] = f"{prefix}{len(order) + 1}"
        order.append((names[node], formula))
        return Sym(names[node])

    visit(expr)
    used = {n.name for n in walk(expr) if isinstance(n, Sym)} | set(leaves)
    output = next(name for name in OUTPUTS if name not in used)
    order[-1] = (output, order[-1][1])  # the output is y; nothing reads it
    return _graph(leaves, order)


def _graph(leaves: tuple[str, ...], order: list[tuple[str, Expr]]) -> Graph:
    known = set(leaves)
    modules = []
    expansions: dict[str, Expr] = {}
    for name, formula in order:
        modules.append(_module(name, formula, leaves, known))
        known.add(name)
        expansions[name] = expand_modules(formula, expansions)
    return Graph(leaves, tuple(modules), expansions)


def _module(name: str, formula: Expr, leaves: tuple[str, ...], known: set[str]) -> Module:
    # The inputs it reads: the graph's leaves first (in their order), then modules by number.
    rank = {leaf: i for i, leaf in enumerate(leaves)}
    inputs = tuple(sorted(free_symbols(formula) & known,
                          key=lambda s: (s not in rank, rank.get(s, 0), len(s), s)))  # fmt: skip
    local = tuple(simplify(differentiate(formula, i).result, i) for i in inputs)
    in_output = tuple(
        _in_own_output(formula, d, i, name) if len(inputs) == 1 else None
        for i, d in zip(inputs, local, strict=True)
    )
    return Module(name, formula, inputs, local, in_output)


def _in_own_output(formula: Expr, derivative: Expr, var: str, name: str) -> Expr | None:
    if free_symbols(formula) - {var}:
        return None
    found = in_terms_of_output(formula, derivative, var, y=name)
    return found if found is not None and found != derivative else None


def expand_modules(formula: Expr, expansions: dict[str, Expr]) -> Expr:
    """formula in terms of the variable. Each expansion already is, so only the modules
    the formula reads need replacing, once each (not every module, which made a chain
    n deep take n² walks of growing trees)."""
    for name in sorted(free_symbols(formula) & expansions.keys()):
        formula = substitute(formula, name, expansions[name])
    return formula


OUTPUTS = ("y", "f", "out")  # the output's name: the lecture's y, unless an input is y


def _is_module(name: str, prefix: str) -> bool:
    return name.startswith(prefix) and name[len(prefix) :].isdigit()


def _free_prefix(expr: Expr) -> str:
    """u1, u2, ... unless the expression already uses such names."""
    used = {n.name for n in walk(expr) if isinstance(n, Sym)}
    if all(name in used for name in OUTPUTS):
        raise UsageError("the expression uses y, f and out, the names of the output; rename one")
    for prefix in ("u", "v", "w", "m"):
        if not any(_is_module(name, prefix) for name in used):
            return prefix
    raise UsageError("the expression uses the names deriv gives modules (u1, v1, w1, m1)")


def merge(graph: Graph, groups: list[tuple[int, int]]) -> Graph:
    """Modules i..j (1-based, inclusive) become one module: the same function, fewer links."""
    order = [(m.name, m.formula) for m in graph.modules]
    for start, end in sorted(groups, reverse=True):
        if not 1 <= start <= end <= len(order):
            raise UsageError(f"--merge {start}-{end}: modules are numbered 1 to {len(order)}")
        group = order[start - 1 : end]
        hidden = {name for name, _ in group[:-1]}
        outside = [name for name, formula in order[end:] if free_symbols(formula) & hidden]
        if outside:
            raise UsageError(
                f"--merge {start}-{end}: {', '.join(outside)} also reads a module inside the"
                " group, so that module cannot disappear"
            )
        name, formula = group[-1]
        for inner, inner_formula in reversed(group[:-1]):
            formula = substitute(formula, inner, inner_formula)
        order[start - 1 : end] = [(name, formula)]
    return _graph(graph.inputs, _renumbered(order))


def _renumbered(order: list[tuple[str, Expr]]) -> list[tuple[str, Expr]]:
    """u1, u2, ... again after merging, formulas following the new names."""
    output = order[-1][0]
    prefix = next((n.rstrip("0123456789") for n, _ in order if n != output), "u")
    renames = {
        name: (name if name == output else f"{prefix}{i}") for i, (name, _) in enumerate(order, 1)
    }
    changed = {old: new for old, new in renames.items() if old != new}
    return [(renames[name], _rename(formula, changed)) for name, formula in order]


def _rename(formula: Expr, changed: dict[str, str]) -> Expr:
    """Every renamed module in one walk, into only the sub-trees that read one (one
    substitution per module and formula was quadratic in the number of modules)."""
    if not free_symbols(formula) & changed.keys():
        return formula
    if isinstance(formula, Sym):
        return Sym(changed[formula.name])
    return rebuild(formula, lambda child: _rename(child, changed))


def run_numeric(graph: Graph, at: float | dict[str, float], lets: dict[str, float]) -> Pass:
    """at: the one input's value, or every input's."""
    values: dict[str, float] = dict(at) if isinstance(at, dict) else {graph.var: at}
    for module in graph.modules:
        values[module.name] = evaluate(module.formula, {**lets, **values})
    gradients: dict[str, float | Expr] = {graph.output: 1.0}
    contributions = []
    for module in reversed(graph.modules):
        upstream = gradients.get(module.name, 0.0)
        for name, local in zip(module.inputs, module.local, strict=True):
            local_value = evaluate(by_convention(local), {**lets, **values})
            amount = float(upstream) * local_value  # type: ignore[arg-type]
            gradients[name] = float(gradients.get(name, 0.0)) + amount  # type: ignore[arg-type]
            contributions.append(Contribution(module.name, name, upstream, local_value, amount))
    return Pass(values, gradients, tuple(contributions))


def by_convention(local: Expr) -> Expr:
    """A local derivative with a value where the pieces meet: the piece after `else`
    (relu'(0) = 0, as PyTorch takes it; max(f, g) at a tie passes g's). Only the numeric
    backward pass uses it, and says so wherever it matters (core.tasks.backprop_run)."""
    if isinstance(local, Piecewise) and isinstance(local.otherwise, Piecewise):
        inner = local.otherwise
        if isinstance(inner.otherwise, Undefined):
            return Piecewise(local.cond, by_convention(local.then), by_convention(inner.then))
    if not free_symbols(local):
        return local
    return rebuild(local, by_convention)


# The symbolic pass prints every upstream gradient, local derivative and product; in a
# long product or a deep chain these grow with each module (a chain n deep: ~n³ nodes in
# all), and so does the time to simplify them. Past this many nodes deriv says so.
MAX_BACKWARD_NODES = 20_000


def run_symbolic(graph: Graph) -> Pass:
    """The same backward pass with formulas in the inputs instead of numbers."""
    order = graph.inputs[0] if len(graph.inputs) == 1 else None  # how a result is ordered
    # Contributions to a gradient are summed once it is complete (when its module comes
    # up, or at the end): re-simplifying a growing sum at every `+=` was quadratic.
    pending: dict[str, list[Expr]] = {graph.output: [ONE]}
    totals: dict[str, Expr] = {}

    def gradient(name: str) -> Expr:
        if name not in totals:
            parts = pending.get(name, [])
            totals[name] = parts[0] if len(parts) == 1 else simplify(add(*parts))
        return totals[name]

    contributions = []
    written = 0
    for module in reversed(graph.modules):
        upstream = gradient(module.name)
        for name, local in zip(module.inputs, module.local, strict=True):
            local_x = simplify(expand_modules(local, graph.expansions), order)
            amount = simplify(mul(upstream, local_x), order)
            pending.setdefault(name, []).append(amount)
            contributions.append(Contribution(module.name, name, upstream, local_x, amount))
            written += size(upstream) + size(local_x) + size(amount)
            if written > MAX_BACKWARD_NODES:
                raise LimitError(
                    f"the backward pass's formulas pass {MAX_BACKWARD_NODES:,} nodes "
                    f"({len(graph.modules)} modules): too large to show; merge modules "
                    "with --merge, or ask `deriv EXPR` for the derivative alone"
                )
    gradients: dict[str, float | Expr] = {name: gradient(name) for name in pending}
    return Pass({}, gradients, tuple(contributions))


def agrees_with(graph: Graph, symbolic: Pass, derivative: Expr) -> bool | None:
    """Does the backward pass's dy/dx equal the rule engine's derivative as a function?
    None where too few points have values to say (undecided is not a disagreement)."""
    gradient = symbolic.gradients[graph.var]
    assert not isinstance(gradient, float)
    return compare(gradient, derivative, graph.var).equal


def parse_groups(text: str) -> list[tuple[int, int]]:
    """--merge 1-2,3-4: module ranges (1-based, inclusive) to merge into one module each."""
    groups = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise UsageError(f"--merge wants ranges of module numbers like 1-2,3-4; got '{text}'")
        groups.append((int(first), int(last) if dash else int(first)))
    ordered = sorted(groups)
    for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False):
        if start <= end:
            raise UsageError(f"--merge: the ranges in '{text}' overlap")
    return groups
