"""Steps are data: which rule, applied to what, giving what, with nested sub-steps.

Words on screen belong to the renderer; a short plain-English note may travel along
(the chain rule's "u = x³" is such a note, stored as the inner expression).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from deriv_lecture.core.tree import Expr


@dataclass(frozen=True, slots=True)
class Step:
    rule: str  # "product rule", as the lecture names it
    expr: Expr  # what was differentiated
    result: Expr  # its derivative, as the rule produced it (trivially tidied)
    substeps: tuple[Step, ...] = ()
    inner: Expr | None = None  # the chain rule's u


def flatten(step: Step, depth: int = 0) -> Iterator[tuple[int, Step]]:
    """Pre-order (depth, step) pairs: the order JSON and tables list steps in."""
    stack = [(depth, step)]
    while stack:
        level, current = stack.pop()
        yield level, current
        stack.extend((level + 1, sub) for sub in reversed(current.substeps))
