"""What every repeated measurement starts from: the engine with nothing remembered."""

from __future__ import annotations


def forget() -> None:
    """Empty the engine's memories (simplified forms, compiled functions, SymPy trees), so
    that a repeated measurement is of the work, not of a lookup."""
    from deriv_lecture.core.calculus import derive as deriver
    from deriv_lecture.core.calculus import simplify as simplifier
    from deriv_lecture.core.numeric import evaluate as evaluator
    from deriv_lecture.core.referee import crosscheck

    simplifier._remembered.cache_clear()
    deriver._defined_somewhere.cache_clear()
    evaluator.compiled.cache_clear()
    crosscheck._CONVERTED.clear()
