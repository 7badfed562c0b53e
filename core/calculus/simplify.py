"""Bounded clean-up of a derivative into the form a good student would write.

Three steps, one module each: core.calculus.normal puts the tree in a canonical form where like
terms and like factors meet; core.calculus.expand offers other forms (sums multiplied out, whole
or inside products, denominators joined), each normalized too, and the smallest wins, so
the product rule's (x+2)(x−2) + x(x−2) + x(x+2) ends as 3x² − 4 while −2(a − x) stays;
core.calculus.present writes the winner as people do (1/x², √x, minus signs).
"""

from __future__ import annotations

import functools

from deriv_lecture.core.calculus.expand import expand, expand_sums, join_denominators
from deriv_lecture.core.calculus.normal import Normalizer
from deriv_lecture.core.calculus.present import present
from deriv_lecture.core.gc_pause import paused_gc
from deriv_lecture.core.syntax.tree import Expr, size


def simplify(expr: Expr, var: str | None = None) -> Expr:
    """The tidy, readable form of expr (same function, where expr is defined)."""
    with paused_gc():
        return _remembered(expr, var)


# One command asks for the same tidy form several times (f'(a) for the table, the lines
# and the JSON; f' for the steps and the cross-check): it is computed once. A simplification
# cut short by a time limit raises, and is not remembered.
@functools.lru_cache(maxsize=2048)
def _remembered(expr: Expr, var: str | None) -> Expr:
    return _simplify(expr, var)


def _simplify(expr: Expr, var: str | None) -> Expr:
    normal = Normalizer(var)
    compact = normal.run(expr)
    best = compact
    # Each from the compact form; the smallest wins.
    for other_form in (expand, expand_sums, join_denominators):
        expanded = other_form(compact)
        if expanded is not None:
            candidate = normal.run(expanded)
            if size(candidate) < size(best):
                best = candidate
    return present(best)
