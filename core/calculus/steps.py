"""Steps are data: which rule, applied to what, giving what, with nested sub-steps.

Words on screen belong to the renderer. What a teacher writes on the board travels along
as data: the parts a rule names (f and g of the product rule, the chain rule's u), the
variable a step differentiates by (the chain rule's outer step is d/du, not d/dx), and the
intermediate equations of logarithmic differentiation (ln y = g ln f, y'/y = ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from deriv_lecture.core.syntax.tree import Expr, Sym, substitute

PART_NAMES = "fghkpq"  # f, g, h, ... as textbooks name the factors of a product


@dataclass(frozen=True, slots=True)
class Step:
    rule: str  # "product rule", as the lecture names it
    expr: Expr  # what was differentiated
    result: Expr  # its derivative, as the rule produced it (trivially tidied)
    substeps: tuple[Step, ...] = ()
    inner: Expr | None = None  # the chain rule's u, in terms of x
    # The variable this step differentiates by: the function's own, or u in the chain
    # rule's outer step (d/du sin(u), which is the point of the rule). The rules set it.
    wrt: str | None = None
    parts: tuple[tuple[str, Expr], ...] = ()  # ("f", x²), ("g", sin(x)); ("u", x²)
    # Equations on the way, in the order a teacher writes them (the first before the
    # parts' derivatives, the rest after): (label, in the parts' names, value), e.g.
    # ("ln y", "g ln f", x ln(x)).
    working: tuple[tuple[str, str, Expr], ...] = ()


def formula(step: Step) -> str | None:
    """The rule as a textbook states it, in the names of step.parts; None for rules whose
    statement would add nothing to the step itself (d/dx x² = 2x is the power rule)."""
    names = [name for name, _ in step.parts]
    match step.rule:
        case "product rule":
            terms = (
                "".join(n + ("'" if i == j else "") for j, n in enumerate(names))
                for i in range(len(names))
            )
            return f"({''.join(names)})' = {' + '.join(terms)}"
        case "quotient rule":
            return "(f/g)' = (f'g − fg')/g²"
        case "chain rule":
            u = names[0] if names else "u"
            # F, not y: y may well be a variable of f
            x = step.wrt or "x"
            return f"d/d{x} F({u}) = F'({u}) · d{u}/d{x}"
        case "logarithmic differentiation":
            return "y = f^g"
    return None


def part_names(step: Step) -> tuple[str | None, ...]:
    """For each sub-step, the name of what it differentiates (f, g, u) or None: the
    derivative of part f reads f' = ..., the chain rule's inner step du/dx = ...."""
    if step.rule == "chain rule" and step.parts and len(step.substeps) == 2:
        return (None, step.parts[0][0])
    if step.rule in ("product rule", "quotient rule", "logarithmic differentiation"):
        names = [name for name, _ in step.parts]
        return tuple(names[i] if i < len(names) else None for i in range(len(step.substeps)))
    return (None,) * len(step.substeps)


LETTERS = ("u", "v", "w", "t", "s", "z", "u_1", "u_2", "u_3")


def fresh_letter(taken: frozenset[str]) -> str:
    """u, as textbooks call the inner function, unless the problem already uses it."""
    return next(n for n in LETTERS if n not in taken)


def letters_apart(step: Step, taken: frozenset[str]) -> Step:
    """The steps with every chain-rule letter that the whole problem already uses renamed:
    in u·sin(x²) the inner step cannot be d/du sin(u). Steps pick their letter from what
    they see; only the caller sees the whole problem."""
    letters = (s.parts[0][0] for _, s in flatten(step) if s.rule == "chain rule" and s.parts)
    if not any(letter in taken for letter in letters):
        return step
    return _renamed(step, taken)


def _renamed(step: Step, taken: frozenset[str]) -> Step:
    substeps = tuple(_renamed(s, taken) for s in step.substeps)
    if step.rule == "chain rule" and step.parts and step.parts[0][0] in taken:
        old, new = step.parts[0][0], fresh_letter(taken)
        outer = substeps[0]
        renamed = replace(
            outer,
            expr=substitute(outer.expr, old, Sym(new)),
            result=substitute(outer.result, old, Sym(new)),
            wrt=new,
        )
        return replace(step, substeps=(renamed, *substeps[1:]), parts=((new, step.parts[0][1]),))
    return replace(step, substeps=substeps)


def flatten(step: Step, depth: int = 0) -> Iterator[tuple[int, Step]]:
    """Pre-order (depth, step) pairs: the order JSON and tables list steps in."""
    stack = [(depth, step)]
    while stack:
        level, current = stack.pop()
        yield level, current
        stack.extend((level + 1, sub) for sub in reversed(current.substeps))
