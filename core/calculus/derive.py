"""The main job, end to end in the core: choose the variable, apply the rules, tidy."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from deriv_lecture.core.calculus.output_form import in_terms_of_output
from deriv_lecture.core.calculus.roots import real_roots
from deriv_lecture.core.calculus.rules import differentiate
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.calculus.steps import Step, flatten, letters_apart
from deriv_lecture.core.errors import DomainError, LimitError, MathError, UsageError
from deriv_lecture.core.gc_pause import paused_gc
from deriv_lecture.core.referee.timebox import TimedOut, time_limit
from deriv_lecture.core.syntax.names import CONSTANTS, is_symbol_name
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr, Piecewise, children, free_symbols, size


@dataclass(frozen=True, slots=True)
class Derivation:
    expr: Expr
    var: str
    steps: Step  # the root step; its result is the derivative as the rules produced it
    derivative: Expr  # the tidy form (the rules' own result if tidying ran out of time)
    in_terms_of_y: Expr | None  # the derivative as a polynomial in y = f(x), if it is one
    simplified: bool = True  # False: SIMPLIFY_SECONDS ran out, derivative is unsimplified
    notes: tuple[str, ...] = ()  # f' where the pieces of f meet, which the formula leaves out


def choose_variable(expr: Expr, requested: str | None) -> str:
    """--var if given; else x if present; else the only free symbol; else ask (docs/syntax.md)."""
    if requested:
        if not is_symbol_name(requested) or requested in CONSTANTS:
            raise UsageError(f"--var: '{requested}' is not a variable name (x, t, theta, x1, ...)")
        return requested
    names = free_symbols(expr)
    if "x" in names or not names:
        return "x"
    if len(names) == 1:
        return next(iter(names))
    listed = ", ".join(sorted(names))
    raise UsageError(f"the expression has several symbols ({listed}); choose one with --var")


def check_lets(var: str, lets: Mapping[str, object]) -> None:
    """--let gives parameters values; the variable itself is not one."""
    if var in lets:
        raise UsageError(
            f"--let {var}=...: {var} is the variable of differentiation; give the point with"
            " --at instead"
        )


SIMPLIFY_SECONDS = 2.0
# Written out, a derivative can be far bigger than its input: a product of n factors
# gives n² nodes, a composition n deep n²/2. Past this many nodes (about a megabyte of
# text) printing it alone would take seconds, so deriv says so instead.
MAX_DERIVATIVE_NODES = 200_000


def derive(expr: Expr, var: str, key_forms: bool = False) -> Derivation:
    """f' by the rules, tidied; with key_forms, also weighed against SymPy's rewrites of
    it (core.calculus.forms), for the form an answer key prints (the main job asks for that)."""
    _defined_somewhere(expr)
    with paused_gc():
        steps = letters_apart(differentiate(expr, var), free_symbols(expr) | {var})
    try:
        with time_limit(SIMPLIFY_SECONDS):
            tidy = simplify(steps.result, var)
    except TimedOut:
        _not_too_big(steps.result)
        return Derivation(expr, var, steps, steps.result, None, simplified=False)
    _not_too_big(tidy)
    notes = boundary_notes(expr, var, tidy)
    if key_forms:
        from deriv_lecture.core.calculus.forms import key_form

        tidy, cancelled = key_form(tidy, expr, var)
        notes = (*notes, *cancelled)
    if free_symbols(expr) and var not in free_symbols(expr):
        notes = (f"{var} does not appear in f: f is constant in {var}, so f' = 0", *notes)
    return Derivation(expr, var, steps, tidy, in_terms_of_output(expr, tidy, var), True, notes)


def _not_too_big(derivative: Expr) -> None:
    nodes = size(derivative)
    if nodes > MAX_DERIVATIVE_NODES:
        raise LimitError(
            f"the derivative is {nodes:,} nodes long written out, more than deriv shows "
            f"({MAX_DERIVATIVE_NODES:,}); derivatives of long products and deep compositions "
            "grow as the square of the input"
        )


# Steps print each expression and its derivative; in a deep chain rule each step repeats
# most of the one above, so their total grows as n³. Steps past this many nodes in all
# are left out (and counted) rather than printed.
MAX_STEP_NODES = 20_000


@dataclass(frozen=True, slots=True)
class StepListing:
    rows: tuple[tuple[int, Step], ...]  # (depth, step), pre-order, simplification last
    omitted: int  # steps left out because their expressions are too big to print

    @property
    def note(self) -> str | None:
        """One line for the reader when steps were left out."""
        if not self.omitted:
            return None
        plural = "s" if self.omitted != 1 else ""
        return (
            f"{self.omitted} step{plural} not shown: the expressions in the steps "
            f"together pass {MAX_STEP_NODES:,} nodes"
        )


def listed_steps(derivation: Derivation) -> StepListing:
    """The steps to show: the rules' steps, then the simplification if it changed
    anything, up to MAX_STEP_NODES nodes of expressions in all."""
    rows = list(flatten(derivation.steps))
    if derivation.derivative != derivation.steps.result:
        rows.append((0, Step("simplify", derivation.steps.result, derivation.derivative)))
    shown, nodes = 0, 0
    for _, step in rows:
        nodes += size(step.expr) + size(step.result)
        if nodes > MAX_STEP_NODES:
            break
        shown += 1
    return StepListing(tuple(rows[:shown]), len(rows) - shown)


@functools.lru_cache(maxsize=1024)  # a Jacobian asks about each F once per input
def _defined_somewhere(expr: Expr) -> None:
    """A constant part with no value (1/0, ln(0), the √(cos 2) in x·√(cos 2)), or a
    requirement on constants that fails (log_1(x): a logarithm's base cannot be 1) leaves
    f defined nowhere: there is nothing to differentiate. Decided exactly (core.numeric.local)."""
    from deriv_lecture.core.functions import NONNEG, NONZERO, POSITIVE
    from deriv_lecture.core.numeric.domains import guards
    from deriv_lecture.core.numeric.local import UNDEFINED, Local

    local = Local("", {})
    for part in _constant_parts(expr):
        status = local.status(part)
        if status.state == UNDEFINED:
            if part is expr:
                raise DomainError(f"f is a constant with no value: {status.reason}")
            raise DomainError(
                f"f has no value anywhere: its part {to_input(part)} has none ({status.reason})"
            )
    for node in _needed_nodes(expr):
        for guard in guards(node, "", lambda e: local.sign(e).value, local.value):
            if free_symbols(guard.quantity):
                continue
            sign = local.sign(guard.quantity).value
            failed = sign is not None and (
                (guard.kind == NONZERO and sign == 0)
                or (guard.kind == POSITIVE and sign <= 0)
                or (guard.kind == NONNEG and sign < 0)
            )
            if failed:
                raise DomainError(f"f has no value anywhere: in {to_input(node)}, {guard.why}")


def _needed_nodes(expr: Expr) -> Iterator[Expr]:
    """Every node a value of expr needs (not the untaken branches of a piecewise)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Piecewise):
            stack.extend((node.cond.left, node.cond.right))
        else:
            stack.extend(children(node))


def _constant_parts(expr: Expr) -> Iterator[Expr]:
    """The largest parts without free symbols that every value of expr needs: not the
    branches of a piecewise function, only one of which is taken at a point."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if not free_symbols(node):
            yield node
        elif isinstance(node, Piecewise):
            stack.extend((node.cond.left, node.cond.right))
        else:
            stack.extend(children(node))


MAX_BOUNDARY_POINTS = 6


def boundary_notes(expr: Expr, var: str, derivative: Expr) -> tuple[str, ...]:
    """What f' does where the pieces of f meet (piecewise boundaries, the kinks of abs,
    relu, max and min), which the printed f' leaves out: "f'(0) does not exist: a kink",
    or "f'(0) = 0: the pieces meet smoothly". Only for boundaries deriv can solve for
    exactly (a switch that is linear or quadratic in the variable)."""
    from deriv_lecture.core.numeric.classify import KIND_NOTES, classify
    from deriv_lecture.core.numeric.local import UNDEFINED, Local, Undecided, UndefinedOnSide
    from deriv_lecture.core.syntax.printer import to_input

    if free_symbols(expr) - {var}:
        return ()
    notes: list[str] = []
    points: list[Expr] = []
    for quantity in _switches(expr):
        for root in real_roots(quantity, var):
            if root not in points:
                points.append(root)
    for root in points[:MAX_BOUNDARY_POINTS]:
        local = Local(var, {var: root})
        try:
            if local.status(expr).state == UNDEFINED:
                continue
            verdict = classify(expr, (derivative,), local)
        except (MathError, Undecided, UndefinedOnSide):
            continue
        where = f"f'({to_input(root)})"
        if verdict.kind == "smooth" and verdict.slope is not None:
            notes.append(f"{where} = {to_input(verdict.slope)}: the pieces meet smoothly there")
        elif verdict.kind != "undecided":
            why = KIND_NOTES[verdict.kind].removeprefix("not differentiable: ")
            notes.append(f"{where} does not exist: {why}")
    return tuple(notes)


def _switches(expr: Expr) -> Iterator[Expr]:
    """The quantities whose sign decides a piece: l − r of a condition, abs's argument, ..."""
    from deriv_lecture.core.functions import FUNCTIONS, SWITCH, guards_of
    from deriv_lecture.core.syntax.tree import Add, Call, Neg, walk

    for node in walk(expr):
        if isinstance(node, Piecewise):
            yield Add((node.cond.left, Neg(node.cond.right)))
        elif isinstance(node, Call) and FUNCTIONS[node.name].pieces is not None:
            yield from (g.quantity for g in guards_of(node.name, node.args) if g.kind == SWITCH)
