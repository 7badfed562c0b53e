"""The several-variable commands' words, tables and JSON (SPEC.md "Several variables"):
partial derivatives (`deriv EXPR --wrt`, `--order`), `deriv grad`, and a hand-derived
gradient judged (`deriv check --wrt x,y --answer "[G1, G2]"`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deriv_lecture.cli.jsonout import derivative_document, finite, point_document
from deriv_lecture.cli.report import Cell, Fields, Plot, Report, Section, Status, Table
from deriv_lecture.cli.steps_view import steps_table
from deriv_lecture.cli.views import (
    estimate_text,
    exact_and_decimal,
    kind_status,
    number,
    shown,
    small,
    sympy_status,
)
from deriv_lecture.core.calculus.derive import listed_steps
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.syntax.tree import Sym

if TYPE_CHECKING:
    from deriv_lecture.core.numeric.contours import ContourData
    from deriv_lecture.core.numeric.point import PointAnalysis
    from deriv_lecture.core.problem import Problem
    from deriv_lecture.core.referee.crosscheck import Verdict
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.answer import ComponentCheck, GradientCheck
    from deriv_lecture.core.tasks.partials import GradientResult, PartialResult


def glyph(name: str) -> str:
    return to_pretty(Sym(name))


def function_label(problem: Problem) -> str:
    """f(x, y): the point's variables, else f's symbols that --let does not fix."""
    from deriv_lecture.core.syntax.tree import free_symbols

    names = list(problem.point) if problem.point else None
    if not names:
        free = free_symbols(problem.expr) - set(problem.lets)
        names = sorted(free | set(problem.variables))
    return f"f({', '.join(glyph(n) for n in names)})"


def derivative_label(variables: tuple[str, ...], partial: bool) -> str:
    """∂f/∂x, ∂²f/∂y∂x (x first, as SymPy's diff(f, x, y)), f'' for one variable."""
    n = len(variables)
    if not partial and len(set(variables)) == 1:
        return "f" + "'" * n if n <= 3 else f"f⁽{n}⁾".translate(_SUPER)
    power = "" if n == 1 else str(n).translate(_SUPER)
    below = "".join(_grouped(tuple(reversed(variables))))
    return f"∂{power}f/{below}"


_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _grouped(variables: tuple[str, ...]) -> list[str]:
    """∂x², ∂y∂x: runs of one variable written as a power."""
    parts: list[str] = []
    for name in variables:
        if parts and parts[-1][1:].rstrip("²³⁴⁵⁶⁷⁸⁹") == glyph(name):
            base = parts[-1].rstrip("²³⁴⁵⁶⁷⁸⁹")
            count = len(parts[-1]) - len(base) and int(parts[-1][len(base) :].translate(_DOWN))
            parts[-1] = base + str((count or 1) + 1).translate(_SUPER)
        else:
            parts.append(f"∂{glyph(name)}")
    return parts


_DOWN = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def point_text(problem: Problem) -> str:
    assert problem.point is not None
    names = ", ".join(glyph(n) for n in problem.point)
    values = ", ".join(to_pretty(v) for v in problem.point.values())
    return f"({names}) = ({values})" if len(problem.point) > 1 else f"{names} = {values}"


def at_text(problem: Problem) -> str:
    assert problem.point is not None
    return ", ".join(to_pretty(v) for v in problem.point.values())


# -- partial derivatives ------------------------------------------------------------------------
def partial_report(result: PartialResult, verdict: Verdict) -> Report:
    problem = result.problem
    label = derivative_label(problem.variables, result.partial)
    rows: list[tuple[str, Cell]] = [
        ("read as", to_input(problem.expr)),
        (function_label(problem), to_pretty(problem.expr)),
        (label, to_pretty(result.derivative)),
    ]
    if result.in_terms_of_y is not None:
        rows.append(("in terms of y = f", f"{label.replace('f', 'y', 1)} = "
                     f"{to_pretty(result.in_terms_of_y)}"))  # fmt: skip
    rows.append(("SymPy", sympy_status(verdict, problem.variables[-1])))
    if result.mixed and result.symmetric is not None and problem.point is None:
        other = derivative_label(tuple(reversed(problem.variables)), True)
        said = "the same function (Clairaut)" if result.symmetric else "a different function"
        rows.append((f"other order {other}", Status(result.symmetric, said)))
    sections: list[Section] = [Fields("Derivative", tuple(rows))]
    for i, derivation in enumerate(result.orders):
        table = steps_table(derivation.var, listed_steps(derivation), partial=result.partial)
        if len(result.orders) > 1:
            table = _retitled(table, f"{table.title} (order {i + 1} of {len(result.orders)})")
        sections.append(table)
    if result.at is not None and problem.point is not None:
        sections.extend(_partial_at(result, label))
    return Report(tuple(sections), problem.notes)


def _retitled(table: Table, title: str) -> Table:
    return Table(title, table.columns, table.rows, table.indent, table.formulas)


def _partial_at(result: PartialResult, label: str) -> list[Section]:
    problem, at = result.problem, result.at
    assert at is not None
    a = at_text(problem)
    analysis = at.analysis
    rows: list[tuple[str, Cell]] = []
    if analysis is not None and len(result.orders) == 1:
        rows.append((f"f({a})", exact_and_decimal(analysis.f_exact, analysis.f_value)))
    elif analysis is not None:  # the analysis is of the order before, along the last axis
        before = derivative_label(problem.variables[:-1], result.partial)
        rows.append((f"{before} at ({a})", exact_and_decimal(analysis.f_exact, analysis.f_value)))
    var = glyph(problem.variables[-1])
    if analysis is not None and not analysis.differentiable:
        rows.append((f"{label} at ({a})", kind_status(analysis)))
    else:
        rows.append((f"{label} at ({a})", exact_and_decimal(at.exact, at.value)))
    if at.how != "along the axis":
        rows.append(("found by", at.how))
    if analysis is not None and analysis.estimate is not None:
        source = "f" if len(result.orders) == 1 else "the order before"
        rows.append((f"estimate from {source} alone", estimate_text(analysis.estimate)))
    if result.mixed and result.other_at is not None:
        other = derivative_label(tuple(reversed(problem.variables)), True)
        rows.append((f"{other} at ({a})", exact_and_decimal(result.other_at.exact,
                                                           result.other_at.value)))  # fmt: skip
        if result.symmetric is not None:
            said = (
                "the two orders agree (Clairaut)"
                if result.symmetric
                else f"the two orders differ: f is not C² at ({a})"
            )
            rows.append(("Clairaut", Status(result.symmetric, said)))
    sections: list[Section] = [Fields(f"At {point_text(problem)}", tuple(rows))]
    if analysis is not None and analysis.table:
        # The quotients are of f for a first partial, else of the order before.
        g = "f" if len(result.orders) == 1 else derivative_label(problem.variables[:-1], True)
        quotient = f"({g}(a + h·e{_sub(var)}) − {g}(a))/h"
        sections.append(_limit_table(analysis, f"along {var}: {quotient}"))
    return sections


_SUBSCRIPTS = str.maketrans("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def _sub(name: str) -> str:
    """e with a subscript: eₓ where Unicode has the letter, else e_y."""
    shown = name.translate(_SUBSCRIPTS)
    return shown if len(name) == 1 and shown != name else "_" + name


def _limit_table(analysis: PointAnalysis, what: str) -> Table:
    smooth = analysis.kind == "smooth"
    return Table(
        f"The limit {what} as h → 0" + ("" if smooth else " (each side)"),
        ("h", "quotient", "error vs the limit" if smooth else "error vs that side's slope"),
        tuple((shown(r.step, ".0e"), number(r.rate), small(r.gap)) for r in analysis.table),
    )


def partial_document(
    source: str, at: str | None, result: PartialResult, verdict: Verdict
) -> dict[str, Any]:
    problem = result.problem
    last = result.orders[-1]
    document = derivative_document(source, last, verdict, problem.notes)
    document["expr"] = source
    document["read_as"] = to_input(problem.expr)
    document["wrt"] = list(problem.variables)
    in_y = result.in_terms_of_y
    document["in_terms_of_y"] = to_input(in_y) if in_y is not None else None
    document["order"] = len(problem.variables)
    if len(result.orders) > 1:
        document["orders"] = [
            {"wrt": d.var, "derivative": to_input(d.derivative),
             "steps": derivative_document(source, d, verdict, ())["steps"]}
            for d in result.orders
        ]  # fmt: skip
    if result.mixed:
        document["symmetric"] = result.symmetric
        other = result.other_order[-1].derivative if result.other_order else None
        if result.symmetric is False:
            if result.other_at is not None:
                document["other_order"] = _exact_text(result.other_at.exact)
            elif other is not None:
                document["other_order"] = to_input(other)
    if result.at is not None and at is not None:
        if result.at.analysis is not None:
            document.update(point_document(at, result.at.analysis))
        document["at"] = at
        document["value"] = finite(result.at.value)
        document["exact"] = _exact_text(result.at.exact)
        if result.at.how != "along the axis":
            document["found_by"] = result.at.how
        if result.mixed and result.other_at is not None:
            document["other_order_value"] = finite(result.other_at.value)
    return document


def _exact_text(expr: Expr | None) -> str | None:
    return None if expr is None else to_input(expr)


# -- the gradient ---------------------------------------------------------------------------
def gradient_report(
    result: GradientResult, verdict: Verdict, picture: Plot | None = None
) -> Report:
    problem = result.problem
    rows: list[tuple[str, Cell]] = [
        ("read as", to_input(problem.expr)),
        (function_label(problem), to_pretty(problem.expr)),
        ("SymPy", sympy_status(verdict, problem.variables[0])),
    ]
    sections: list[Section] = [Fields("Gradient", tuple(rows))]
    if picture is not None:
        sections.append(picture)
    columns = ["component", "formula"]
    if result.at:
        columns += [f"at ({at_text(problem)})", "estimate from f alone"]
    table_rows: list[tuple[Cell, ...]] = []
    for i, (var, derivation) in enumerate(zip(problem.variables, result.components, strict=True)):
        row: list[Cell] = [f"∂f/∂{glyph(var)}", to_pretty(derivation.derivative)]
        if result.at:
            analysis = result.at[i]
            if analysis.differentiable:
                row.append(exact_and_decimal(analysis.slope_exact, analysis.slope_value))
            else:
                row.append(kind_status(analysis))
            row.append(estimate_text(analysis.estimate) if analysis.estimate else "—")
        table_rows.append(tuple(row))
    sections.append(Table("∇f, one partial derivative per variable", tuple(columns),
                          tuple(table_rows)))  # fmt: skip
    if result.at:
        sections.append(_gradient_at(result))
        direction = result.direction
        if direction is not None and direction.analysis is not None:
            sections.append(_limit_table(direction.analysis, "along u: (f(a + h·u) − f(a))/h"))
    return Report(tuple(sections), problem.notes)


def _gradient_at(result: GradientResult) -> Fields:
    problem = result.problem
    a = at_text(problem)
    rows: list[tuple[str, Cell]] = [(f"f({a})", exact_and_decimal(result.f_exact, result.f_value))]
    if result.norm is not None:
        rows.append(("|∇f|", exact_and_decimal(result.norm, _decimal(result.norm))))
    if result.ascent is not None:
        rows.append(("steepest ascent ∇f/|∇f|", _vector(result.ascent)))
    elif result.norm is not None:
        rows.append(("steepest ascent", "none: ∇f = 0 here (a critical point)"))
    if result.plane is not None:
        z = "z" if "z" not in problem.variables else "w"
        word = {1: "tangent line", 2: "tangent plane"}.get(
            len(problem.variables), "tangent hyperplane"
        )
        rows.append((word, f"{z} = {to_pretty(result.plane.equation)}"))
    direction = result.direction
    if direction is not None:
        given = _vector(direction.given)
        rows.append(("direction u = V/|V|", f"{given}/{to_pretty(direction.norm)} = "
                     f"{_vector(direction.unit)}"))  # fmt: skip
        value = _decimal(direction.exact) if direction.exact is not None else None
        rows.append(("D_u f = ∇f·u", exact_and_decimal(direction.exact, value)))
        if direction.analysis is not None and direction.analysis.estimate is not None:
            rows.append(("estimate along u", estimate_text(direction.analysis.estimate)))
        if to_pretty(direction.norm) != "1":
            rows.append(("note", f"∇f·V without dividing by |V| = {to_pretty(direction.norm)}"
                         " is not a directional derivative: u must be a unit vector"))  # fmt: skip
    return Fields(f"At {point_text(problem)}", tuple(rows))


def contour_section(data: ContourData, result: GradientResult) -> Plot:
    """The contour map's title and key: what each colour is, in the function's names."""
    from deriv_lecture.cli.braille import AXIS, CURVE, POINT, SECANT, TANGENT

    x, y = (glyph(n) for n in data.names)
    legend: list[tuple[int, str]] = []
    if data.spacing is not None:
        legend.append((AXIS, f"level curves f = c, c every {shown(data.spacing, '.3g')}"))
    legend.append((CURVE, f"f = {shown(data.f_value, '.6g')}: the level curve through the point"))
    if data.arrow:
        legend.append((TANGENT, "∇f: steepest ascent, perpendicular to the level curve"))
    elif data.gradient is not None:
        legend.append((TANGENT, "no arrow: ∇f = 0 here"))
    else:
        legend.append((TANGENT, "no arrow: f has no gradient here"))
    if data.direction is not None and result.direction is not None:
        legend.append((SECANT, f"the line a + t·u, u = {_vector(result.direction.unit)}"))
    legend.append((POINT, f"a = ({at_text(result.problem)})"))
    title = f"{function_label(result.problem)} = {to_pretty(result.problem.expr)} near a"
    return Plot(f"{title}: {x} across, {y} up, equal scales", data, tuple(legend))


def _vector(items: tuple[Expr, ...]) -> str:
    return "(" + ", ".join(to_pretty(i) for i in items) + ")"


def _decimal(expr: Expr | None) -> float | None:
    from deriv_lecture.core.numeric.precise import decimal

    return None if expr is None else decimal(expr)


def gradient_document(source: str, result: GradientResult, verdict: Verdict) -> dict[str, Any]:
    problem = result.problem
    document: dict[str, Any] = {
        "expr": source,
        "read_as": to_input(problem.expr),
        "notes": list(problem.notes),
        "vars": list(problem.variables),
        "gradient": [to_input(c.derivative) for c in result.components],
        "sympy_agrees": verdict.agrees,
    }
    if problem.point is None:
        return document
    document["at"] = {name: to_input(value) for name, value in problem.point.items()}
    document["f_value"] = finite(result.f_value)
    document["f_exact"] = _exact_text(result.f_exact)
    document["values"] = [finite(a.slope_value) if a.differentiable else None for a in result.at]
    document["exact"] = [_exact_text(a.slope_exact) for a in result.at]
    document["kinds"] = [a.kind for a in result.at]
    document["estimates"] = [finite(a.estimate.value) if a.estimate else None for a in result.at]
    document["estimate_errors"] = [
        finite(a.estimate.error) if a.estimate else None for a in result.at
    ]
    document["norm"] = finite(_decimal(result.norm))
    document["norm_exact"] = _exact_text(result.norm)
    document["ascent"] = None if result.ascent is None else [to_input(u) for u in result.ascent]
    plane = result.plane
    document["tangent_plane"] = None if plane is None else {
        "equation": f"z = {to_input(plane.equation)}",
        "intercept": to_input(plane.intercept),
        "coefficients": [to_input(c) for c in plane.coefficients],
    }  # fmt: skip
    direction = result.direction
    if direction is not None:
        analysis = direction.analysis
        document["direction"] = {
            "given": [to_input(g) for g in direction.given],
            "unit": [to_input(u) for u in direction.unit],
        }
        document["directional"] = {
            "value": finite(_decimal(direction.exact)),
            "exact": _exact_text(direction.exact),
            "estimate": finite(analysis.estimate.value) if analysis and analysis.estimate else None,
            "estimate_error": (
                finite(analysis.estimate.error) if analysis and analysis.estimate else None
            ),
            "table": [
                {"h": r.step, "quotient": finite(r.rate), "error": finite(r.gap)}
                for r in (analysis.table if analysis else ())
            ],
        }
    return document


# -- a hand-derived gradient judged ---------------------------------------------------------
def gradient_check_report(check: GradientCheck) -> Report:
    rows: list[tuple[str, Cell]] = [("f", to_pretty(check.expr))]
    table: list[tuple[Cell, ...]] = []
    for c in check.components:
        table.append((f"∂f/∂{glyph(c.var)}", to_pretty(c.answer), to_pretty(c.derivative),
                      entry_verdict(c)))  # fmt: skip
    wrong = check.first_wrong
    if check.correct:
        rows.append(("verdict", Status(True, "your gradient is right, component by component")))
    elif wrong is not None:
        rows.append(("verdict", Status(False, f"∂f/∂{glyph(wrong.var)} is wrong")))
    sections: list[Section] = [
        Fields("deriv check: the gradient", tuple(rows)),
        Table(
            "Component by component", ("component", "your answer", "deriv", "verdict"), tuple(table)
        ),  # fmt: skip
    ]
    return Report(tuple(sections))


def entry_verdict(c: ComponentCheck) -> Status:
    if c.correct:
        how = "proved by SymPy" if c.proved else "no SymPy proof asked or in time"
        return Status(True, f"equal at {c.comparison.points} points ({how})")
    if c.comparison.equal is None:
        return Status(None, f"could not decide: only {c.comparison.points} points")
    return Status(False, _where_wrong(c))


def _where_wrong(c: ComponentCheck) -> str:
    point = c.comparison.counterexample or c.comparison.narrower_at or {}
    at = ", ".join(f"{glyph(k)} = {shown(v, '.6g')}" for k, v in sorted(point.items()))
    if c.comparison.values is None:
        return f"not defined at {at}, where the derivative is"
    yours, truth = c.comparison.values
    error = c.relative_error
    return (
        f"differs at {at}: yours {shown(yours, '.10g')}, the derivative {shown(truth, '.10g')},"
        f" relative error {shown(error or 0.0, '.1e')}"
    )


def gradient_check_document(source: str, answer: str, check: GradientCheck) -> dict[str, Any]:
    wrong = check.first_wrong
    return {
        "expr": source,
        "answer": answer,
        "vars": [c.var for c in check.components],
        "correct": check.correct,
        "first_wrong": None if wrong is None else wrong.var,
        "components": [component_document(c) for c in check.components],
    }


def component_document(c: ComponentCheck) -> dict[str, Any]:
    """One judged component (of a gradient) or entry (of a matrix)."""
    return {
        "var": c.var,
        "answer": to_input(c.answer),
        "derivative": to_input(c.derivative),
        "correct": c.correct,
        "equivalent": c.comparison.equal,
        "points": c.comparison.points,
        "proved": c.proved,
        "at": c.comparison.counterexample or c.comparison.narrower_at,
        "yours": finite(c.comparison.values[0]) if c.comparison.values else None,
        "value": finite(c.comparison.values[1]) if c.comparison.values else None,
        "relative_error": finite(c.relative_error),
    }
