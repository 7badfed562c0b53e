"""--latex: the derivative, its steps and the values at a point as LaTeX for notes, each
formula in display math, the steps as one `aligned` block with the rules as \\text{}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deriv_lecture.core.calculus.derive import listed_steps
from deriv_lecture.core.syntax.latex import to_latex

if TYPE_CHECKING:
    from deriv_lecture.core.calculus.derive import Derivation
    from deriv_lecture.core.calculus.steps import Step
    from deriv_lecture.core.numeric.point import PointAnalysis

KIND_WORDS = {
    "kink": "a kink", "cusp": "a cusp", "vertical tangent": "a vertical tangent",
    "discontinuous": "a jump", "endpoint": "an end of the domain",
    "isolated": "an isolated point", "oscillating": "oscillation",
    "undecided": "undecided",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LatexParts:
    function: str  # f(x) = ...
    derivative: str  # f'(x) = ...
    steps: tuple[str, ...]  # rows of the aligned block
    at_point: tuple[str, ...]  # the values at the point, one formula each
    document: str  # everything, ready for a .tex file or a notebook


def latex_parts(derivation: Derivation, point: PointAnalysis | None) -> LatexParts:
    """f, f', the steps (an aligned block, rules as \\text{}) and the values at a point."""
    var = _symbol(derivation.var)
    steps = tuple(_step_line(step, derivation.var) for _, step in listed_steps(derivation).rows)
    function = f"f({var}) = {to_latex(derivation.expr)}"
    derivative = f"f'({var}) = {to_latex(derivation.derivative)}"
    at_point = tuple(_at_point(point, var)) if point is not None else ()
    lines = [rf"\[ {function} \]", rf"\[ {derivative} \]"]
    if steps:
        lines += [r"\[", r"\begin{aligned}", " \\\\\n".join(steps), r"\end{aligned}", r"\]"]
    lines += [rf"\[ {formula} \]" for formula in at_point]
    return LatexParts(function, derivative, steps, at_point, "\n".join(lines))


def _step_line(step: Step, var: str) -> str:
    """d/dx [expr] = result, the rule as text and its parts named; the chain rule's outer
    step is d/du."""
    d = rf"\frac{{d}}{{d{_symbol(step.wrt or var)}}}"
    parts = ",\\ ".join(f"{_symbol(name)} = {to_latex(part)}" for name, part in step.parts)
    named = rf"\text{{ with }} {parts}" if parts else ""
    return (
        rf"{d}\left[{to_latex(step.expr)}\right] &= {to_latex(step.result)}"
        rf" && \text{{{step.rule}}}{named}"
    )


def _at_point(point: PointAnalysis, var: str) -> list[str]:
    a = to_latex(point.at)
    shown = [f"{var} = {a}"]
    if point.f_exact is not None:
        shown.append(f"f\\left({a}\\right) = {to_latex(point.f_exact)}")
    if point.differentiable and point.slope_exact is not None:
        shown.append(f"f'\\left({a}\\right) = {to_latex(point.slope_exact)}")
    elif point.differentiable is not None:
        shown.append(rf"f'\left({a}\right)\ \text{{does not exist: {KIND_WORDS[point.kind]}}}")
    else:
        shown.append(rf"\text{{could not decide whether }} f'\left({a}\right) \text{{ exists}}")
    if point.tangent is not None and point.tangent.equation is not None:
        shown.append(rf"\text{{tangent: }} y = {to_latex(point.tangent.equation)}")
    return [r",\quad ".join(shown[:3]), *shown[3:]]


def _symbol(var: str) -> str:
    from deriv_lecture.core.syntax.tree import Sym

    return to_latex(Sym(var))
