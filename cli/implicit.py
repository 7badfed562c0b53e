"""`deriv implicit`: the steps both ways, y'' on the curve, the point (on the curve, the
slope, tangent and normal, the slope measured from the curve), answers judged on the
curve branch by branch, the picture; its JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deriv_lecture.cli.jsonout import finite
from deriv_lecture.cli.report import Cell, Fields, Plot, Report, Section, Status, Table
from deriv_lecture.cli.several import glyph
from deriv_lecture.cli.views import estimate_text, exact_and_decimal, number, small
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.tasks.implicit import NO_PARTIALS

if TYPE_CHECKING:
    from deriv_lecture.core.numeric.contours import ContourData
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.implicit import AtPoint, CurveCheck, Implicit


def _prime(text: str) -> str:
    return text.replace("y'", "y′")


def implicit_report(
    result: Implicit,
    sympy_agrees: bool | None,
    point: AtPoint | None,
    check: CurveCheck | None,
    picture: Plot | None,
) -> Report:
    eq = result.equation
    x, y = glyph(eq.indep), glyph(eq.dep)
    equation = f"{to_pretty(eq.lhs)} = {to_pretty(eq.rhs)}"
    verdict = {
        True: Status(True, "agrees (SymPy's idiff, compared at points of the plane)"),
        False: Status(False, "DISAGREES with SymPy's idiff"),
        None: Status(None, "could not decide in time"),
    }[sympy_agrees]
    rows: list[tuple[str, Cell]] = [
        ("curve", equation),
        ("y", f"{y} = {y}({x}), the dependent variable"),
        (f"d{y}/d{x}", to_pretty(result.derivative)),
        (
            "both ways",
            Status(result.agree, "the two ways agree")
            if result.agree is not None
            else Status(None, "could not compare the two ways"),
        ),
        ("SymPy", verdict),
    ]
    if result.second is not None:
        rows.append((f"d²{y}/d{x}²", to_pretty(result.second)))
        if result.second_on_curve is not None:
            rows.append(
                (
                    "on the curve",
                    f"d²{y}/d{x}² = {to_pretty(result.second_on_curve)}  (using {equation})",
                )
            )
    sections: list[Section] = [Fields("Implicit differentiation", tuple(rows))]
    if picture is not None:
        sections.append(picture)
    sections.append(_both_ways(result))
    if point is not None:
        sections.append(_point_fields(result, point))
        if point.table:
            sections.append(
                Table(
                    f"The slope measured from the curve: ({y}(a + h) − b)/h, {y}(a + h) solved from"
                    f" F(a + h, {y}) = 0 by Newton",
                    ("h", "quotient", "error vs the slope"),
                    tuple(
                        (
                            small(r.step),
                            number(r.rate),
                            _gap(r.rate, point.slope_value),
                        )
                        for r in point.table
                    ),
                )
            )
    if check is not None:
        sections.append(_check_fields(check, result))
    return Report(tuple(sections))


def _gap(rate: float | None, slope: float | None) -> str:
    return "—" if slope is None or rate is None else small(rate - slope)


def _both_ways(result: Implicit) -> Table:
    eq = result.equation
    x, y = glyph(eq.indep), glyph(eq.dep)
    rows = [
        (
            "(a) both sides by d/d" + x,
            f"d/d{x} [{to_pretty(eq.lhs)}] = {_prime(to_pretty(result.left.total))}",
        ),
        ("", f"d/d{x} [{to_pretty(eq.rhs)}] = {_prime(to_pretty(result.right.total))}"),
        (
            "",
            f"{y}′ appears where the chain rule puts it: d/d{x} of a term in {y} is its"
            f" ∂/∂{y} times {y}′",
        ),
        (f"solve for {y}′", f"{y}′ = {to_pretty(result.from_sides)}"),
        ("(b) F = LHS − RHS", f"F = {to_pretty(eq.function)}"),
        (f"F_{x}, F_{y}", f"F_{x} = {to_pretty(result.f_x)},  F_{y} = {to_pretty(result.f_y)}"),
        (f"{y}′ = −F_{x}/F_{y}", to_pretty(result.derivative)),
    ]
    return Table("Steps, both ways", ("step", "working"), tuple(rows), formulas=1)


def _point_fields(result: Implicit, point: AtPoint) -> Fields:
    eq = result.equation
    x, y = glyph(eq.indep), glyph(eq.dep)
    at = f"({to_pretty(point.a)}, {to_pretty(point.b)})"
    rows: list[tuple[str, Cell]] = [("on the curve", Status(True, f"F{at} = 0"))]
    rows.append(
        (
            f"F_{x}, F_{y} there",
            f"{to_pretty(point.f_x)}, {to_pretty(point.f_y)}"
            if point.f_x is not None and point.f_y is not None
            else "—",
        )
    )
    if point.kind == "vertical tangent":
        rows.append(
            (
                f"d{y}/d{x}",
                Status(False, f"none: F_{y} = 0 and F_{x} ≠ 0 there, a vertical tangent"),
            )
        )
        rows.append(("tangent", f"{x} = {to_pretty(point.a)}"))
        rows.append(("normal", f"{y} = {to_pretty(point.b)}"))
    elif point.kind == NO_PARTIALS:
        said = f"none: F_{x} or F_{y} has no value there (F is not differentiable at the point)"
        rows.append((f"d{y}/d{x}", Status(False, said)))
    elif point.kind == "singular point":
        rows.append(
            (
                f"d{y}/d{x}",
                Status(
                    False,
                    f"none: F_{x} = F_{y} = 0 there, a singular point"
                    " (the curve may cross itself or have a cusp)",
                ),
            )
        )
    else:
        rows.append((f"d{y}/d{x} at {at}", exact_and_decimal(point.slope, point.slope_value)))
        if point.estimate is not None:
            rows.append(("measured from the curve", estimate_text(point.estimate)))
        rows.append(
            ("tangent", f"{y} = {to_pretty(point.tangent)}" if point.tangent is not None else "—")
        )
        rows.append(
            ("normal", f"{y} = {to_pretty(point.normal)}" if point.normal is not None else "—")
        )
        if point.second is not None:
            rows.append(
                (f"d²{y}/d{x}² at {at}", exact_and_decimal(point.second, point.second_value))
            )
    return Fields(f"At {at}", tuple(rows))


def _check_fields(check: CurveCheck, result: Implicit) -> Fields:
    x, y = glyph(result.equation.indep), glyph(result.equation.dep)
    rows: list[tuple[str, Cell]] = [("your answer", to_pretty(check.answer))]
    for branch in check.branches:
        if branch.holds:
            said = Status(True, f"equal at {branch.points} points of the curve")
        else:
            assert branch.counterexample is not None
            px, py, yours, truth = branch.counterexample
            said = Status(
                False,
                f"differs at ({x}, {y}) = ({px:.6g}, {py:.6g}): yours {yours:.10g},"
                f" d{y}/d{x} = {truth:.10g}",
            )
        rows.append((f"branch {branch.index}", said))
    if check.correct is True:
        verdict = Status(True, "right on the curve (it need not equal −F_x/F_y off it)")
    elif check.correct is False and any(b.holds for b in check.branches):
        holds = ", ".join(str(b.index) for b in check.branches if b.holds)
        verdict = Status(
            False, f"right only on branch {holds} (branch k: the k-th lowest {y} at each {x})"
        )
    elif check.correct is False:
        verdict = Status(False, "wrong on the curve")
    else:
        verdict = Status(
            None, f"only {check.points} points of the curve found: not enough to judge"
        )
    rows.append(("verdict", verdict))
    return Fields("Your answer, judged at points of the curve", tuple(rows))


def curve_section(data: ContourData, result: Implicit, point: AtPoint) -> Plot:
    from deriv_lecture.cli.braille import CURVE, POINT, SECANT

    eq = result.equation
    legend: list[tuple[int, str]] = [
        (CURVE, f"the curve {to_pretty(eq.lhs)} = {to_pretty(eq.rhs)}")
    ]
    if data.direction is not None:
        words = (
            f"tangent {glyph(eq.indep)} = {to_pretty(point.a)}"
            if point.kind == "vertical tangent"
            else f"tangent {glyph(eq.dep)} = {to_pretty(point.tangent)}"
            if point.tangent is not None
            else "tangent"
        )
        legend.append((SECANT, words))
    legend.append((POINT, f"({to_pretty(point.a)}, {to_pretty(point.b)})"))
    x, y = (glyph(n) for n in data.names)
    return Plot(f"The curve near the point: {x} across, {y} up, equal scales", data, tuple(legend))


# -- JSON ------------------------------------------------------------------------------------
def _text(expr: Expr | None) -> str | None:
    return None if expr is None else to_input(expr)


def implicit_document(
    source: str,
    result: Implicit,
    sympy_agrees: bool | None,
    point: AtPoint | None,
    check: CurveCheck | None,
) -> dict[str, Any]:
    eq = result.equation
    document: dict[str, Any] = {
        "equation": source,
        "read_as": f"{to_input(eq.lhs)} = {to_input(eq.rhs)}",
        "dep": eq.dep,
        "indep": eq.indep,
        "derivative": to_input(result.derivative),
        "from_both_sides": to_input(result.from_sides),
        "f_x": to_input(result.f_x),
        "f_y": to_input(result.f_y),
        "both_ways_agree": result.agree,
        "second": _text(result.second),
        "second_on_curve": _text(result.second_on_curve),
        "sympy_agrees": sympy_agrees,
    }
    if point is not None:
        document.update(
            {
                "at": {eq.indep: to_input(point.a), eq.dep: to_input(point.b)},
                "on_curve": point.on_curve,
                "residual": to_input(point.residual),
                "kind": point.kind,
                "vertical": point.kind == "vertical tangent",
                "value": finite(point.slope_value),
                "exact": _text(point.slope),
                "second_value": finite(point.second_value),
                "tangent": (
                    f"{eq.indep} = {to_input(point.a)}"
                    if point.kind == "vertical tangent"
                    else None
                    if point.tangent is None
                    else f"{eq.dep} = {to_input(point.tangent)}"
                ),
                "normal": (
                    f"{eq.dep} = {to_input(point.b)}"
                    if point.kind == "vertical tangent"
                    else None
                    if point.normal is None
                    else f"{eq.dep} = {to_input(point.normal)}"
                ),
                "estimate": finite(point.estimate.value) if point.estimate else None,
                "estimate_error": finite(point.estimate.error) if point.estimate else None,
                "table": [{"h": r.step, "quotient": finite(r.rate)} for r in point.table],
            }
        )
    if check is not None:
        document["answer"] = to_input(check.answer)
        document["correct"] = check.correct
        document["branches"] = [
            {
                "branch": b.index,
                "points": b.points,
                "holds": b.holds,
                "counterexample": None
                if b.counterexample is None
                else dict(zip((eq.indep, eq.dep, "yours", "value"), b.counterexample, strict=True)),
            }
            for b in check.branches
        ]
    return document
