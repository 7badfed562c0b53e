"""Core results -> Report sections (the words and layout both text views share)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from deriv_lecture.cli.report import Cell, Fields, Plot, Report, Section, Status, Table
from deriv_lecture.cli.steps_view import steps_table
from deriv_lecture.core.calculus.derive import listed_steps
from deriv_lecture.core.numeric.point import KIND_NOTES
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.syntax.tree import Sym

if TYPE_CHECKING:  # types only: each command imports just the core it runs
    from deriv_lecture.core.calculus.derive import Derivation
    from deriv_lecture.core.numeric.estimates import Estimate
    from deriv_lecture.core.numeric.plotdata import PlotData
    from deriv_lecture.core.numeric.point import Line, PointAnalysis, Side
    from deriv_lecture.core.referee.crosscheck import Verdict
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.answer import AnswerCheck
    from deriv_lecture.core.tasks.backprop import Contribution, Graph, Pass
    from deriv_lecture.core.tasks.backprop_run import BackpropResult
    from deriv_lecture.core.tasks.check import CaseResult, Check


def derivative_report(
    source: str,
    derivation: Derivation,
    verdict: Verdict,
    notes: tuple[str, ...],
    point: PointAnalysis | None = None,
    plot: PlotData | None = None,
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
    if not derivation.simplified:
        notes = (*notes, "simplification ran out of time: f' is shown as the rules produced it")
    notes = (*notes, *derivation.notes)
    listing = listed_steps(derivation)
    if listing.note is not None:
        notes = (*notes, listing.note)
    steps = steps_table(derivation.var, listing)
    if point is None:
        return Report((summary, steps), notes)
    sections = point_report(point)
    if plot is not None:
        sections = (sections[0], plot_section(plot, point), *sections[1:])
    return Report((summary, *sections, steps), notes + point.notes)


def sympy_status(verdict: Verdict, var: str) -> Status:
    if verdict.agrees is True and verdict.method == "symbolic":
        also = f"; also at {points(verdict.points_checked)}" if verdict.points_checked else ""
        return Status(True, f"agrees (proved equal{also})")
    if verdict.agrees is True:
        return Status(
            True, f"agrees at {points(verdict.points_checked)} (no symbolic proof in time)"
        )
    if verdict.agrees is False and verdict.counterexample is not None:
        at, ours, theirs = verdict.counterexample
        return Status(
            False,
            f"DISAGREES at {var} = {shown(at, 'g')}: ours {shown(ours, '.12g')},"
            f" SymPy's {shown(theirs, '.12g')}",
        )
    return Status(None, f"could not decide ({verdict.sympy_derivative})")


def points(count: int) -> str:
    return f"{count} point" if count == 1 else f"{count} points"


def _glyph(var: str) -> str:
    return to_pretty(Sym(var))


# -- at a point -----------------------------------------------------------------------------


def minus(text: str) -> str:
    """One minus sign in everything a person reads: −0.5, 1e−08 (JSON keeps ASCII)."""
    return text.replace("-", "−")


def shown(value: float, spec: str) -> str:
    return minus(format(value, spec))


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return shown(value + 0.0, ".12g")  # + 0.0 turns −0.0 into 0


def small(value: float | None) -> str:
    return "—" if value is None else shown(value, ".1e")


def exact_and_decimal(exact: Expr | None, value: float | None) -> str:
    if exact is None:
        return number(value)
    text = to_pretty(exact)
    if value is None or text in (number(value), shown(value, "g")):
        return text
    return f"{text} ≈ {number(value)}"


def estimate_text(estimate: Estimate) -> str:
    """Only the digits the error bar supports: 4.0000000000000 ± 2e-14."""
    if estimate.error == 0 or estimate.value == 0:
        return f"{shown(estimate.value + 0.0, '.17g')} ± {shown(estimate.error, '.0e')}"
    places = max(1, min(17, int(math.floor(-math.log10(estimate.error / abs(estimate.value)))) + 1))
    # '#' keeps the zeros the bar supports (4.0000000000000); its bare point is no number.
    digits = f"{estimate.value:#.{places}g}".replace(".e", "e").removesuffix(".")
    return f"{minus(digits)} ± {shown(estimate.error, '.0e')}"


def side_text(side: Side | None) -> str:
    if side is None or not side.exists:
        return "— (f is not defined on this side)"
    if not side.decided:
        return "— (could not decide)"
    if not side.continuous:
        return "— (f jumps on this side)"
    if side.infinite:
        return "+∞" if side.infinite > 0 else "−∞"
    if not side.settles or side.slope is None:
        return "— (the quotients do not settle)"
    return exact_and_decimal(side.slope, side.value)


def line_text(line: Line | None, var: str) -> str:
    if line is None:
        return "—"
    if line.vertical_at is not None:
        return f"{var} = {to_pretty(line.vertical_at)}"
    assert line.equation is not None
    return f"y = {to_pretty(line.equation)}"


def point_report(analysis: PointAnalysis) -> tuple[Section, ...]:
    var = _glyph(analysis.var)
    a = to_pretty(analysis.at)
    rows: list[tuple[str, Cell]] = [
        (var, exact_and_decimal(analysis.at, analysis.at_value)),
        (f"f({a})", exact_and_decimal(analysis.f_exact, analysis.f_value)),
    ]
    if analysis.differentiable:
        rows.append((f"f'({a})", exact_and_decimal(analysis.slope_exact, analysis.slope_value)))
    else:
        rows.append((f"f'({a})", kind_status(analysis)))
        rows.append(("left slope", side_text(analysis.left)))
        rows.append(("right slope", side_text(analysis.right)))
    if analysis.estimate is not None:
        rows.append(("estimate from f alone", estimate_text(analysis.estimate)))
    rows.append(("tangent", line_text(analysis.tangent, var)))
    rows.append(("normal", line_text(analysis.normal, var)))
    if analysis.first_principles:
        rows.append(("from the limit", _derivation(analysis.first_principles)))
    if analysis.general_first_principles:
        rows.append(("in general", _derivation(analysis.general_first_principles)))
    sections: list[Section] = [Fields(f"At {var} = {a}", tuple(rows))]
    if analysis.average is not None:
        sections.append(average_fields(analysis))
    smooth = analysis.kind == "smooth"
    if analysis.table:
        title = (
            "The limit: (f(a+h) − f(a))/h as h → 0 (round-off takes over below h ≈ 1e−8)"
            if smooth
            else "The limit from each side: (f(a+h) − f(a))/h as h → 0⁻ and h → 0⁺"
        )
        against = "error vs f'(a)" if smooth else "error vs that side's slope"
        sections.append(
            Table(
                title,
                ("h", "(f(a+h) − f(a))/h", against),
                tuple((shown(r.step, ".0e"), number(r.rate), small(r.gap)) for r in analysis.table),
            )
        )
    secants = analysis.secants
    if secants:
        if smooth:
            slope = number(analysis.slope_value)
            sections.append(
                Table(
                    "Average rate over [a, a+Δx] against the instantaneous rate f'(a)",
                    ("Δx", "average rate", "f'(a)", "gap"),
                    tuple(
                        (shown(r.step, "g"), number(r.rate), slope, small(r.gap)) for r in secants
                    ),
                )
            )
        else:
            sections.append(
                Table(
                    "Average rate over [a, a+Δx] for Δx on each side (f'(a) does not exist)",
                    ("Δx", "average rate", "gap to that side's slope"),
                    tuple((shown(r.step, "g"), number(r.rate), small(r.gap)) for r in secants),
                )
            )
    return tuple(sections)


def kind_status(analysis: PointAnalysis) -> Status:
    """Why f'(a) is missing: ✗ with the kind, or ? where it could not be decided."""
    words = KIND_NOTES[analysis.kind]
    if analysis.differentiable is None:
        return Status(None, f"{words}: {analysis.reason}" if analysis.reason else words)
    return Status(False, words)


def average_fields(analysis: PointAnalysis) -> Fields:
    average = analysis.average
    assert average is not None
    start, end = to_pretty(average.start), to_pretty(average.end)
    rate = exact_and_decimal(average.rate, average.rate_value)
    instantaneous = exact_and_decimal(analysis.slope_exact, analysis.slope_value)
    rows: list[tuple[str, Cell]] = [
        (f"average rate over [{start}, {end}]", rate),
        (f"instantaneous rate at {start}", instantaneous),
    ]
    return Fields("Average versus instantaneous rate", tuple(rows))


def tangent_report(analysis: PointAnalysis, notes: tuple[str, ...]) -> Report:
    var = _glyph(analysis.var)
    a = to_pretty(analysis.at)
    tangent, normal = analysis.tangent, analysis.normal
    rows: list[tuple[str, Cell]] = [
        (f"f({a})", exact_and_decimal(analysis.f_exact, analysis.f_value)),
        ("tangent", line_text(tangent, var)),
    ]
    if tangent is not None and tangent.vertical_at is None:
        rows.append(("slope", exact_and_decimal(tangent.slope, tangent.slope_value)))
        rows.append(("intercept", exact_and_decimal(tangent.intercept, tangent.intercept_value)))
    if not analysis.differentiable:
        rows.append(("note", kind_status(analysis)))
    rows.append(("normal", line_text(normal, var)))
    return Report((Fields(f"Tangent line at {var} = {a}", tuple(rows)),), notes + analysis.notes)


def _derivation(rows: tuple[Expr, ...]) -> str:
    *steps, limit = [to_pretty(r) for r in rows]
    return " = ".join(steps) + f" → {limit}"


# -- check-all and check -----------------------------------------------------------------
CHECK_COLUMNS = ("expected", "sympy", "limit", "facts")


def catalog_report(results: list[CaseResult], source: str) -> Report:
    rows: list[tuple[Cell, ...]] = []
    why: list[tuple[str, Cell]] = []
    group = None
    blank = ("",) * (1 + len(CHECK_COLUMNS))
    for result in results:
        case = result.case
        if case.group is not None and case.group != group:
            rows.append((case.group, *blank))  # the lecture's section as a heading row
        group = case.group
        derivative = to_pretty(result.derivative) if result.derivative is not None else "—"
        marks = tuple(_mark(result.check(name)) for name in CHECK_COLUMNS)
        if result.error is not None:
            marks = (Status(False, "error"),) + ("",) * (len(CHECK_COLUMNS) - 1)
            why.append((case.name, Status(False, result.error)))
        for check in result.checks:
            if check.ok is not True:
                why.append((case.name, Status(check.ok, f"{check.name}: {check.detail}")))
        label = f"  {case.name}" if case.group is not None else case.name
        rows.append((label, derivative, *marks))
    passed = sum(1 for r in results if r.ok)
    failed = len(results) - passed
    undecided = sum(1 for r in results if r.ok and r.undecided)
    table = Table(
        f"deriv check-all: {source}",
        ("case", "f'", "expected", "SymPy", "limit", "facts"),
        tuple(rows),
    )
    sections: list[Section] = [table]
    if why:
        sections.append(Fields("Why", tuple(why)))
    counts = f"{passed} passed, {failed} failed"
    if undecided:
        counts += f" ({undecided} passed with a check SymPy could not decide in time)"
    summary = Status(failed == 0, counts)
    return Report(tuple(sections), footer=(summary,))


def _mark(check: Check | None) -> Cell:
    if check is None:
        return "·"
    return Status(check.ok, "")


def check_report(result: AnswerCheck) -> Report:
    var = _glyph(result.var)
    rows: list[tuple[str, Cell]] = [
        ("f", to_pretty(result.expr)),
        ("your answer", to_pretty(result.answer)),
    ]
    if result.uses_output:
        rows.append(("y", f"y = f({var}) = {to_pretty(result.expr)}"))
    rows.append((f"f'({var})", to_pretty(result.derivative)))
    comparison = result.comparison
    if result.correct:
        where = f"equal at {points(comparison.points)} of f's domain"
        if result.proved:
            rows.append(
                (
                    "verdict",
                    Status(True, f"your answer is the derivative ({where}, proved by SymPy)"),
                )
            )
        else:
            rows.append(
                ("verdict", Status(True, f"your answer is the derivative ({where}; not proved)"))
            )
    elif comparison.equal is True:
        where = f"{var} = {shown(comparison.narrower_at or 0.0, 'g')}"
        rows.append(("verdict", Status(False, "right only on part of the domain")))
        rows.append(("where", f"your answer is undefined at {where}, where f' exists"))
    elif comparison.equal is None:
        rows.append(("verdict", Status(None, "too few points where both are defined to decide")))
    else:
        assert comparison.counterexample is not None
        x, answer, slope = comparison.counterexample
        rows.append(("verdict", Status(False, "not the derivative")))
        differ = (
            f"at {var} = {shown(x, '.6g')}: your answer {shown(answer, '.15g')},"
            f" f' = {shown(slope, '.15g')}"
        )
        rows.append(("where they differ", differ))
        if result.holds_where is not None:
            rows.append(("right only where", result.holds_where))
        if result.diagnosis is not None:
            rows.append(("probably", result.diagnosis))
    return Report((Fields("deriv check", tuple(rows)),))


# -- backprop ------------------------------------------------------------------------------
def backprop_report(result: BackpropResult, notes: tuple[str, ...]) -> Report:
    graph = result.graph
    modules = Fields(
        "Modules" if result.merged else "Modules (one operation each)",
        tuple(
            (_glyph(m.name), f"{_glyph(m.name)} = {to_pretty(m.formula)}") for m in graph.modules
        ),
    )
    sections: list[Section] = [modules, _forward(result), _backward(result), _agreement(result)]
    shared = tuple(
        f"{_glyph(name)} is used {n} times: dy/d{_glyph(name)} is the sum of {n} contributions"
        for name, n in uses(graph).items()
        if n > 1
    )
    return Report(tuple(sections), notes + shared + result.conventions)


def _forward(result: BackpropResult) -> Table:
    graph = result.graph
    numeric = result.numeric
    if numeric is None:  # symbolic: each module as a function of the variable
        rows = tuple(
            (_glyph(m.name), to_pretty(m.formula), to_pretty(graph.expansions[m.name]))
            for m in graph.modules
        )
        columns = ("module", "formula", f"as a function of {_glyph(graph.var)}")
        return Table("Forward pass: modules going up", columns, rows)
    values = [(graph.var, to_pretty(Sym(graph.var)), number(numeric.values[graph.var]))]
    values += [
        (_glyph(m.name), to_pretty(m.formula), number(numeric.values[m.name]))
        for m in graph.modules
    ]
    title = f"Forward pass: values going up from {graph.var} = {number(result.at)}"
    return Table(title, ("module", "formula", "value"), tuple(values))


def _backward(result: BackpropResult) -> Table:
    graph = result.graph
    rows: list[tuple[Cell, ...]] = []
    local_of = {
        (m.name, i): (d, own)
        for m in graph.modules
        for i, d, own in zip(m.inputs, m.local, m.local_in_output, strict=True)
    }
    passes = result.numeric or result.symbolic
    for c in passes.contributions:
        derivative, own = local_of[(c.source, c.to)]
        local = to_pretty(derivative) + (f" = {to_pretty(own)}" if own is not None else "")
        gets = "+=" if repeated(passes, c) else "="
        source, to = _glyph(c.source), _glyph(c.to)
        step = f"dy/d{to} {gets} dy/d{source} · ∂{source}/∂{to}"
        amount = f"{factor_text(c.upstream)} · {factor_text(c.local)} = {_shown(c.amount)}"
        rows.append((step, local, amount))
    gradient = passes.gradients[graph.var]
    rows.append((f"dy/d{graph.var}", "", _shown(gradient)))
    title = "Backward pass: gradients coming down (dJ/dx = dJ/dz · dz/dx)"
    columns = ("step", "local derivative", "upstream · local = gradient")
    return Table(title, columns, tuple(rows), formulas=2)  # wrapped at operators


def _agreement(result: BackpropResult) -> Fields:
    var = result.graph.var
    rows: list[tuple[str, Cell]] = []
    verdict = result.verdict
    if result.numeric is not None and verdict is not None and not verdict.differentiable:
        backward = float(result.numeric.gradients[var])  # type: ignore[arg-type]
        words = KIND_NOTES[verdict.kind]
        rows.append((f"dy/d{var} at {number(result.at)}", Status(verdict.differentiable, words)))
        rows.append(("left slope", side_text(verdict.left)))
        rows.append(("right slope", side_text(verdict.right)))
        rows.append(
            ("backward pass", f"{number(backward)}, by a convention at the kink (not a derivative)")
        )
        rows.append(("as formulas", _verdict(result.agrees)))
        return Fields("Agreement", tuple(rows))
    if result.numeric is not None:
        backward = float(result.numeric.gradients[var])  # type: ignore[arg-type]
        rows.append((f"backward pass dy/d{var}", number(backward)))
        rows.append(("rule engine f'", exact_and_decimal(result.rule_exact, result.rule_value)))
        if result.estimate is not None:
            rows.append(("limit estimate", estimate_text(result.estimate)))
    else:
        rows.append((f"backward pass dy/d{var}", _shown(result.symbolic.gradients[var])))
        rows.append(("rule engine f'", to_pretty(result.derivative)))
    if result.in_terms_of_y is not None:
        rows.append(("in terms of the output", f"dy/d{var} = {to_pretty(result.in_terms_of_y)}"))
    rows.append(("verdict", _verdict(result.agrees)))
    return Fields("Agreement", tuple(rows))


def _verdict(agrees: bool | None) -> Status:
    if agrees is None:
        return Status(None, "could not compare the backward pass with the rule engine")
    words = "agree" if agrees else "DISAGREE"
    return Status(agrees, f"the backward pass and the rule engine {words}")


def uses(graph: Graph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in graph.modules:
        for name in m.inputs:
            counts[name] = counts.get(name, 0) + 1
    return counts


def repeated(passes: Pass, contribution: Contribution) -> bool:
    earlier = passes.contributions[: passes.contributions.index(contribution)]
    return any(c.to == contribution.to for c in earlier)


def _shown(value: float | Expr) -> str:
    return number(value) if isinstance(value, float) else to_pretty(value)


def factor_text(value: float | Expr) -> str:
    """A factor of a product as written: a sum or a negative bracketed, "3(x + sin(x))² ·
    (1 + cos(x))" and "−0.25 · (−1)" (never "· 1 + cos(x)" or "· −1", false as written)."""
    from deriv_lecture.core.syntax.tree import Add

    text = _shown(value)
    bracket = isinstance(value, Add) or text.startswith("−")
    return f"({text})" if bracket else text


# -- pictures ------------------------------------------------------------------------------
def plot_section(data: PlotData, analysis: PointAnalysis) -> Plot:
    from deriv_lecture.cli.braille import CURVE, POINT, SECANT, TANGENT

    var = _glyph(analysis.var)
    legend: list[tuple[int, str]] = [(CURVE, f"f({var})")]
    legend.append((TANGENT, plot_tangent_label(analysis)))
    if data.secant is not None and analysis.average is not None:
        legend.append((SECANT, f"secant, slope {number(analysis.average.rate_value)}"))
    a, fa = data.point
    legend.append((POINT, f"({shown(a, '.4g')}, {shown(fa, '.4g')})"))
    return Plot(f"f near {var} = {to_pretty(analysis.at)}", data, tuple(legend))


def plot_tangent_label(analysis: PointAnalysis) -> str:
    var = _glyph(analysis.var)
    if analysis.kind == "vertical tangent":
        return f"vertical tangent {var} = {to_pretty(analysis.at)}"
    if not analysis.differentiable:
        left = side_text(analysis.left)
        right = side_text(analysis.right)
        return f"one-sided tangents, slopes {left} and {right}"
    return f"tangent {line_text(analysis.tangent, var)}"
