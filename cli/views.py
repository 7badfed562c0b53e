"""Core results -> Report sections (the words and layout both text views share)."""

from __future__ import annotations

from cli.report import Fields, Report, Status, Table
from core.crosscheck import Verdict
from core.derive import Derivation
from core.printer import to_input, to_pretty
from core.steps import flatten
from core.tree import Sym


def derivative_report(
    source: str, derivation: Derivation, verdict: Verdict, notes: tuple[str, ...]
) -> Report:
    var = derivation.var
    f = f"f({_glyph(var)})"
    summary = Fields(
        "Derivative",
        (
            ("read as", to_input(derivation.expr)),
            (f, to_pretty(derivation.expr)),
            (f"f'({_glyph(var)})", to_pretty(derivation.derivative)),
            *(
                [("in terms of y = f", f"y' = {to_pretty(derivation.in_terms_of_y)}")]
                if derivation.in_terms_of_y is not None
                else []
            ),
            ("SymPy", sympy_status(verdict, var)),
        ),
    )
    return Report((summary, steps_table(derivation)), notes)


def steps_table(derivation: Derivation) -> Table:
    rows: list[tuple[str, str, str]] = []
    depths: list[int] = []
    for depth, step in flatten(derivation.steps):
        rule = step.rule
        if step.inner is not None:
            rule += f" (u = {to_pretty(step.inner)})"
        rows.append((rule, to_pretty(step.expr), to_pretty(step.result)))
        depths.append(depth)
    if derivation.derivative != derivation.steps.result:
        rows.append(
            ("simplify", to_pretty(derivation.steps.result), to_pretty(derivation.derivative))
        )
        depths.append(0)
    title = f"Steps: d/d{_glyph(derivation.var)}, rule by rule"
    return Table(title, ("rule", "differentiate", "gives"), tuple(rows), tuple(depths))


def sympy_status(verdict: Verdict, var: str) -> Status:
    if verdict.agrees is True and verdict.method == "symbolic":
        return Status(True, f"agrees (proved equal; also at {verdict.points_checked} points)")
    if verdict.agrees is True:
        return Status(
            True, f"agrees at {verdict.points_checked} points (no symbolic proof in time)"
        )
    if verdict.agrees is False and verdict.counterexample is not None:
        at, ours, theirs = verdict.counterexample
        return Status(
            False, f"DISAGREES at {var} = {at:g}: ours {ours:.12g}, SymPy's {theirs:.12g}"
        )
    return Status(None, f"could not decide ({verdict.sympy_derivative})")


def _glyph(var: str) -> str:
    return to_pretty(Sym(var))
