"""The steps table, as a teacher writes the working on the board.

A rule that names its parts (product, quotient, chain rule, logarithmic differentiation)
takes three moves: state the rule with its parts named, work out each part's derivative
(f' = ..., du/dx = ..., and the chain rule's outer step in u: d/du sin(u) = cos(u)), then
put them together. Every other rule is one line, d/dx x² = 2x.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deriv_lecture.cli.report import Table
from deriv_lecture.core.calculus.steps import PART_NAMES, Step, formula, part_names
from deriv_lecture.core.syntax.printer import to_pretty
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Const,
    Num,
    Piecewise,
    Pow,
    Sym,
    free_symbols,
    substitute,
)

if TYPE_CHECKING:
    from deriv_lecture.core.calculus.derive import StepListing
    from deriv_lecture.core.syntax.tree import Expr

Row = tuple[int, str, str]  # depth, rule, working (lines joined by newlines)


def steps_table(var: str, listing: StepListing, partial: bool = False) -> Table:
    """The steps that listed_steps keeps, each rule with its working; for a partial
    derivative written ∂/∂x, with the symbols held constant said."""
    d = "∂" if partial else "d"
    rows: list[Row] = []
    shown = {id(step) for _, step in listing.rows}
    root_depth, root = listing.rows[0] if listing.rows else (0, None)
    # An explicit stack, not recursion: a composition 300 deep has steps 300 deep.
    stack: list[tuple[Step, int, str | None, bool]] = []
    if root is not None and root.rule != "simplify":
        stack.append((root, root_depth, None, False))
    while stack:
        step, depth, name, closing = stack.pop()
        if closing:
            rows.append((depth, "", _together(step, var, d)))
            continue
        equation = _equation(step, var, name, d) + _held(step, var)
        stated = formula(step)
        if stated is None or not step.substeps:
            rows.append((depth, step.rule, equation))
        else:
            rows.append((depth, step.rule, _statement(step, _in_variable(stated, step, var, d))))
            stack.append((step, depth, None, True))
        names = part_names(step)
        for sub, sub_name in reversed(tuple(zip(step.substeps, names, strict=True))):
            if id(sub) in shown:
                stack.append((sub, depth + 1, sub_name, False))
    last = listing.rows[-1][1] if listing.rows else None
    if last is not None and last.rule == "simplify":
        label = f"∂f/∂{_pretty_var(var)}" if partial else f"f'({_pretty_var(var)})"
        rows.append((0, "simplify", f"{label} = {to_pretty(last.result)}"))
    return Table(
        f"Steps: {d}/{d}{_pretty_var(var)}, rule by rule",
        ("rule", "working"),
        tuple((rule, working) for _, rule, working in rows),
        tuple(depth for depth, _, _ in rows),
        formulas=1,
    )


def _in_variable(stated: str, step: Step, var: str, d: str) -> str:
    """The rule's statement in the step's own variable: d/dt F(u) = F'(u) · du/dt, and
    ∂/∂x F(u) = F'(u) · ∂u/∂x for a partial derivative."""
    raw, by = step.wrt or var, _pretty_var(step.wrt or var)
    letter = step.parts[0][0] if step.rule == "chain rule" and step.parts else "u"
    stated = stated.replace(f"d/d{raw}", f"{d}/{d}{by}")
    return stated.replace(f"d{letter}/d{raw}", f"{d}{letter}/{d}{by}")


def _statement(step: Step, stated: str) -> str:
    """The rule as stated, its parts named, and what a teacher writes before the parts'
    derivatives (ln y = g ln f)."""
    named = ", ".join(f"{name} = {to_pretty(part)}" for name, part in step.parts)
    lines = [f"{stated}, with {named}" if named else stated]
    lines += [f"{label} = {rule} = {to_pretty(value)}" for label, rule, value in step.working[:1]]
    return "\n".join(lines)


def _held(step: Step, var: str) -> str:
    """For the rules that treat something as a constant: which symbols are held constant."""
    if step.rule not in ("constant rule", "constant multiple rule"):
        return ""
    by = step.wrt or var
    varying = free_symbols(step.substeps[0].expr) if step.substeps else frozenset()
    held = sorted(free_symbols(step.expr) - {by} - varying)
    if not held:
        return ""
    names = ", ".join(_pretty_var(n) for n in held)
    return f"  ({names} {'is a constant' if len(held) == 1 else 'are constants'} here)"


def _together(step: Step, var: str, d: str = "d") -> str:
    """The parts put together: the chain rule's product dy/du · du/dx written out, the
    rest of logarithmic differentiation's working, and the rule's result."""
    lines = [f"{label} = {rule} = {to_pretty(value)}" for label, rule, value in step.working[1:]]
    equation = _equation(step, var, None, d)
    if step.rule == "chain rule" and step.parts and len(step.substeps) == 2:
        outer, inner = step.substeps
        letter, u = step.parts[0]
        outer_in_x = substitute(outer.result, letter, u)
        product = f"{_factor(outer_in_x)} · {_factor(inner.result)}"
        head, _, result = equation.partition(" = ")
        equation = f"{head} = {product}" + (f" = {result}" if result != product else "")
    if step.rule == "logarithmic differentiation":
        head, _, result = equation.partition(" = ")
        equation = f"{head} = y · y'/y = {result}"
    return "\n".join([*lines, equation])


def _equation(step: Step, var: str, name: str | None, d: str = "d") -> str:
    """d/dx x² = 2x; a named part reads f' = d/dx x² = 2x, the chain rule's inner
    du/dx = d/dx x² = 2x."""
    by = _pretty_var(step.wrt or var)
    d = d if (step.wrt or var) == var else "d"  # the chain rule's d/du stays an ordinary one
    shown = f"{d}/{d}{by} {_operand(step.expr)} = {to_pretty(step.result)}"
    if name is None:
        return shown
    if name in PART_NAMES:
        return f"{name}' = {shown}"
    return f"{d}{_pretty_var(name)}/{d}{by} = {shown}"


def _operand(expr: Expr) -> str:
    """What d/dx applies to, bracketed unless it is one symbol, number, call or power:
    d/dx [x² sin(x)] is one derivative, d/dx x² sin(x) reads as (d/dx x²)·sin(x)."""
    text = to_pretty(expr)
    plain = isinstance(expr, Sym | Num | Const | Call) or (
        isinstance(expr, Pow) and not text.startswith("(")
    )
    return text if plain and not text.startswith("−") else f"[{text}]"


def _factor(expr: Expr) -> str:
    text = to_pretty(expr)
    return f"({text})" if isinstance(expr, Add | Piecewise) or text.startswith("−") else text


def _pretty_var(name: str) -> str:
    return to_pretty(Sym(name))
