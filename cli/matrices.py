"""The matrix commands' words, tables and JSON (SPEC.md "Several variables"): `deriv
jacobian` with its shape, layout, determinant, values at a point, inverse and the
products Vᵀ J and J V; `deriv hessian` with its symmetry, eigenvalues and the
second-derivative test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deriv_lecture.cli.jsonout import finite, steps_document
from deriv_lecture.cli.report import Cell, Fields, Report, Section, Status, Table
from deriv_lecture.cli.several import glyph
from deriv_lecture.cli.views import estimate_text, exact_and_decimal, number, sympy_status
from deriv_lecture.core.calculus.derive import listed_steps
from deriv_lecture.core.syntax.printer import to_input, to_pretty

if TYPE_CHECKING:
    from deriv_lecture.core.numeric.estimates import Estimate
    from deriv_lecture.core.referee.crosscheck import Verdict
    from deriv_lecture.core.syntax.tree import Expr
    from deriv_lecture.core.tasks.answer import MatrixCheck
    from deriv_lecture.core.tasks.chain import ChainResult
    from deriv_lecture.core.tasks.hessian import Critical, HessianResult
    from deriv_lecture.core.tasks.jacobian import JacobianResult, MatrixAt, Product

NUMERATOR, DENOMINATOR = "numerator", "denominator"


def shape_text(m: int, n: int) -> str:
    return f"{m}×{n}"


def layout_text(m: int, n: int, layout: str) -> str:
    if layout == DENOMINATOR:
        return (f"{shape_text(n, m)}, denominator layout: the transpose of the numerator-layout"
                f" Jacobian, column i = ∇Fᵢ")  # fmt: skip
    return f"{shape_text(m, n)}, numerator layout: row i = ∇Fᵢᵀ"


def _oriented(rows: tuple[tuple[Any, ...], ...], layout: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(zip(*rows, strict=True)) if layout == DENOMINATOR and rows else rows


def _labels(result: JacobianResult, layout: str) -> tuple[list[str], list[str]]:
    outputs = [f"F{_sub(i + 1)}" for i in range(len(result.problem.expressions))]
    inputs = [f"∂/∂{glyph(v)}" for v in result.problem.variables]
    if layout == DENOMINATOR:
        return [glyph(v) for v in result.problem.variables], outputs
    return outputs, inputs


def _sub(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _matrix_table(
    title: str, row_labels: list[str], column_labels: list[str], cells: tuple[tuple[Cell, ...], ...]
) -> Table:
    rows = tuple((label, *row) for label, row in zip(row_labels, cells, strict=True))
    return Table(title, ("", *column_labels), rows)


def jacobian_report(
    result: JacobianResult, verdict: Verdict, layout: str, products: tuple[Product, ...],
    steps: bool = False,
) -> Report:  # fmt: skip
    problem = result.problem
    m, n = result.shape
    outputs = ", ".join(to_pretty(f) for f in problem.expressions)
    rows: list[tuple[str, Cell]] = [
        ("F", f"({outputs})" if m > 1 else outputs),
        ("inputs", ", ".join(glyph(v) for v in problem.variables)),
        ("shape", layout_text(m, n, layout)),
        ("SymPy", sympy_status(verdict, problem.variables[0])),
    ]
    if result.square:
        rows.append(("det J", _det_text(result)))
    else:
        rows.append(("det J", f"no determinant: the matrix is {shape_text(m, n)}"))
    sections: list[Section] = [Fields("Jacobian", tuple(rows))]
    row_labels, column_labels = _labels(result, layout)
    formulas = _oriented(tuple(tuple(to_pretty(e) for e in row) for row in result.entries), layout)
    name = "Jᵀ" if layout == DENOMINATOR else "J"
    sections.append(_matrix_table(f"{name} = ∂Fᵢ/∂xⱼ", row_labels, column_labels, formulas))
    if result.at is not None:
        sections += _at_point(result, layout, row_labels, column_labels)
    for made in products:
        sections.append(_product_fields(made, result))
    if steps:
        sections += _entry_steps(result)
    return Report(tuple(sections), problem.notes)


def _entry_steps(result: JacobianResult) -> list[Section]:
    """Each entry's steps, titled by the entry: the chain rule, the constants held."""
    from deriv_lecture.cli.steps_view import steps_table

    tables: list[Section] = []
    for i, row in enumerate(result.derivations):
        for derivation in row:
            table = steps_table(derivation.var, listed_steps(derivation), partial=True)
            title = f"∂F{_sub(i + 1)}/∂{glyph(derivation.var)} = {to_pretty(derivation.derivative)}"
            tables.append(Table(title, table.columns, table.rows, table.indent, table.formulas))
    return tables


def _det_text(result: JacobianResult) -> str:
    from deriv_lecture.core.tasks.jacobian import MAX_FORMULA_DET

    if result.det is not None:
        return to_pretty(result.det)
    m, _ = result.shape
    if m > MAX_FORMULA_DET:
        return (f"not written out: a {m}×{m} determinant of formulas has up to {m}! terms"
                " (with --at, its value at the point)")  # fmt: skip
    return "not found in time (SymPy's time limit)"


def _at_point(
    result: JacobianResult, layout: str, row_labels: list[str], column_labels: list[str]
) -> list[Section]:
    assert result.at is not None and result.problem.point is not None
    point = ", ".join(f"{glyph(k)} = {to_pretty(v)}" for k, v in result.problem.point.items())
    cells = _matrix_cells(result.at)
    estimates = tuple(tuple(_estimate_cell(e) for e in row) for row in result.estimates)
    sections: list[Section] = [
        _matrix_table(f"At {point}", row_labels, column_labels, _oriented(cells, layout)),
        _matrix_table(
            "Estimates from values of F alone (column j: along eⱼ)",
            row_labels,
            column_labels,
            _oriented(estimates, layout),
        ),  # fmt: skip
    ]
    if result.square:
        rows: list[tuple[str, Cell]] = [("det J", exact_and_decimal(result.det_exact,
                                                                    result.det_value))]  # fmt: skip
        if result.inverse is not None:
            sections.append(Fields("Determinant", tuple(rows)))
            inverse = _oriented(_matrix_cells(result.inverse), layout)
            labels = [glyph(v) for v in result.problem.variables]
            outputs = [f"F{_sub(i + 1)}" for i in range(len(result.problem.expressions))]
            decimals = all(e is None for row in result.inverse.exact for e in row)
            title = "J⁻¹ in decimals" if decimals else "J⁻¹"
            sections.append(_matrix_table(f"{title} (rows: inputs, columns: outputs)", labels,
                                          outputs, inverse))  # fmt: skip
            return sections
        if result.det_value == 0:
            rows.append(("J⁻¹", "none: det J = 0 here (J is singular)"))
        else:
            rows.append(("J⁻¹", "not found in time (SymPy's time limit)"))
        sections.append(Fields("Determinant", tuple(rows)))
    return sections


def _matrix_cells(at: MatrixAt) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        tuple(
            exact_and_decimal(e, v) if e is not None or v is not None else "undefined"
            for e, v in zip(exact_row, value_row, strict=True)
        )
        for exact_row, value_row in zip(at.exact, at.values, strict=True)
    )


def _estimate_cell(estimate: Estimate | None) -> Cell:
    return estimate_text(estimate) if estimate is not None else "—"


def _product_fields(made: Product, result: JacobianResult) -> Fields:
    (a, b), (c, d), (p, q) = made.shapes
    vector = "(" + ", ".join(to_pretty(v) for v in made.vector) + ")"
    if made.kind == "vjp":
        title, label = "Vᵀ J: what a backward pass computes", "Vᵀ J"
        why = ("backpropagation multiplies the upstream gradient Vᵀ into J one module at a"
               " time and never forms J itself")  # fmt: skip
    else:
        title, label = "J V: what a forward pass computes", "J V"
        why = "forward-mode differentiation pushes V through J without forming J"
    rows: list[tuple[str, Cell]] = [
        ("V", vector),
        ("shapes", f"({a}×{b})({c}×{d}) = {p}×{q}"),
        (label, "(" + ", ".join(to_pretty(f) for f in made.formulas) + ")"),
    ]
    if made.values:
        parts = [exact_and_decimal(e, v) for e, v in zip(made.exact, made.values, strict=True)]
        rows.append((f"{label} at the point", "(" + ", ".join(parts) + ")"))
    rows.append(("why", why))
    return Fields(title, tuple(rows))


# -- JSON ------------------------------------------------------------------------------------
def _text(expr: Expr | None) -> str | None:
    return None if expr is None else to_input(expr)


def jacobian_document(
    source: str, result: JacobianResult, verdict: Verdict, layout: str,
    products: tuple[Product, ...],
) -> dict[str, Any]:  # fmt: skip
    problem = result.problem
    m, n = result.shape
    row_names = [f"F{i + 1}" for i in range(m)]
    document: dict[str, Any] = {
        "expr": source,
        "components": [to_input(f) for f in problem.expressions],
        "shape": [n, m] if layout == DENOMINATOR else [m, n],
        "layout": layout,
        "rows": list(problem.variables) if layout == DENOMINATOR else row_names,
        "cols": row_names if layout == DENOMINATOR else list(problem.variables),
        "entries": [list(row) for row in _oriented(
            tuple(tuple(to_input(e) for e in row) for row in result.entries), layout)],
        "det": _text(result.det),
        "sympy_agrees": verdict.agrees,
        "steps": [[steps_document(listed_steps(d), d.var) for d in row]
                  for row in _oriented(result.derivations, layout)],
    }  # fmt: skip
    if result.at is not None and problem.point is not None:
        at = result.at
        document["at"] = {k: to_input(v) for k, v in problem.point.items()}
        document["values"] = [[finite(v) for v in row] for row in _oriented(at.values, layout)]
        document["exact"] = [[_text(e) for e in row] for row in _oriented(at.exact, layout)]
        document["estimates"] = [
            [finite(e.value) if e else None for e in row]
            for row in _oriented(result.estimates, layout)
        ]
        document["estimate_errors"] = [
            [finite(e.error) if e else None for e in row]
            for row in _oriented(result.estimates, layout)
        ]
        document["det_value"] = finite(result.det_value)
        document["det_exact"] = _text(result.det_exact)
        inverse = result.inverse
        document["inverse"] = None if inverse is None else [
            [_text(e) for e in row] for row in _oriented(inverse.exact, layout)
        ]  # fmt: skip
    for made in products:
        numbers = made.values and all(v is not None for v in made.values)
        document[made.kind] = (
            [finite(v) for v in made.values] if numbers else [to_input(f) for f in made.formulas]
        )
        document[f"{made.kind}_formulas"] = [to_input(f) for f in made.formulas]
        document[f"{made.kind}_shapes"] = [list(s) for s in made.shapes]
    return document


# -- the Hessian -----------------------------------------------------------------------------
def hessian_report(result: HessianResult, verdict: Verdict) -> Report:
    problem = result.problem
    names = [glyph(v) for v in problem.variables]
    n = len(names)
    symmetric = {
        True: Status(True, "symmetric: each mixed pair agrees as functions (Clairaut)"),
        False: Status(False, "not symmetric: a mixed pair differs as functions"),
        None: Status(None, "symmetry could not be decided"),
    }[result.symmetric]
    rows: list[tuple[str, Cell]] = [
        ("f", to_pretty(problem.expr)),
        ("variables", ", ".join(names)),
        ("shape", f"{n}×{n}: H[i][j] = ∂²f/∂xⱼ∂xᵢ"),
        ("symmetry", symmetric),
        ("SymPy", sympy_status(verdict, problem.variables[0])),
    ]
    sections: list[Section] = [Fields("Hessian", tuple(rows))]
    labels = [f"∂/∂{name}" for name in names]
    firsts = [f"∂f/∂{name}" for name in names]
    cells = tuple(tuple(to_pretty(e) for e in row) for row in result.entries)
    sections.append(_matrix_table("H (row i: the gradient of ∂f/∂xᵢ)", firsts, labels, cells))
    if result.at is not None and problem.point is not None:
        point = ", ".join(f"{glyph(k)} = {to_pretty(v)}" for k, v in problem.point.items())
        sections.append(_matrix_table(f"At {point}", names, names, _matrix_cells(result.at)))
        sections.append(Fields("The second-derivative test", tuple(_hessian_at_rows(result))))
    if result.critical is not None:
        sections.append(_critical_table(result))
    return Report(tuple(sections), problem.notes)


def _hessian_at_rows(result: HessianResult) -> list[tuple[str, Cell]]:
    names = [glyph(v) for v in result.problem.variables]
    rows: list[tuple[str, Cell]] = []
    for pair in result.asymmetric_at:
        i, j = names[pair.i], names[pair.j]
        said = (f"∂²f/∂{j}∂{i} = {_pretty(pair.value)} but ∂²f/∂{i}∂{j} = {_pretty(pair.other)}:"
                " the orders differ, H is not symmetric here")  # fmt: skip
        rows.append(("not C² here", Status(False, said)))
    rows.append(("det H", exact_and_decimal(result.det_exact, result.det_value)
                 if result.det_value is not None else "—"))  # fmt: skip
    if result.eigenvalues:
        how = "exact" if result.eigen_exact else "decimal"
        shown = ", ".join(
            exact_and_decimal(e.exact, e.value) + (f" (×{e.multiplicity})" * (e.multiplicity > 1))
            for e in result.eigenvalues
        )
        rows.append((f"eigenvalues, {how}", shown))
    test = result.test
    if test is not None:
        zero = {True: "yes: a critical point", False: "no", None: "could not decide"}
        rows.append(("∇f = 0", zero[test.gradient_zero]))
        verdict = test.classification or ("does not apply" if not test.applies else "undecided")
        rows.append(("second-derivative test", f"{verdict}: {test.why}"))
    return rows


def _point_text(c: Critical) -> str:
    if c.point is not None:
        return "(" + ", ".join(to_pretty(v) for v in c.point) + ")"
    return "≈ (" + ", ".join(number(v) for v in c.values) + ")"  # found numerically


def _critical_table(result: HessianResult) -> Table:
    names = [glyph(v) for v in result.problem.variables]
    assert result.critical is not None
    rows = tuple(
        (
            _point_text(c),
            exact_and_decimal(c.f_exact, c.f_value),
            c.test.classification or "undecided",
        )
        for c in result.critical
    )
    complete = "the list is complete" if result.complete else "the list may be incomplete"
    title = f"Critical points, ∇f = 0 ({result.search}; {complete})"
    return Table(title, (f"({', '.join(names)})", "f there", "classification"), rows)


def _pretty(expr: Expr | None) -> str:
    return "—" if expr is None else to_pretty(expr)


def hessian_document(source: str, result: HessianResult, verdict: Verdict) -> dict[str, Any]:
    problem = result.problem
    document: dict[str, Any] = {
        "expr": source,
        "read_as": to_input(problem.expr),
        "vars": list(problem.variables),
        "entries": [[to_input(e) for e in row] for row in result.entries],
        "symmetric": result.symmetric,
        "sympy_agrees": verdict.agrees,
    }
    if result.at is not None and problem.point is not None:
        document["at"] = {k: to_input(v) for k, v in problem.point.items()}
        document["values"] = [[finite(v) for v in row] for row in result.at.values]
        document["exact"] = [[_text(e) for e in row] for row in result.at.exact]
        document["symmetric_at"] = not result.asymmetric_at
        document["det_value"] = finite(result.det_value)
        document["det_exact"] = _text(result.det_exact)
        document["eigenvalues"] = [finite(e.value) for e in result.eigenvalues
                                   for _ in range(e.multiplicity)]  # fmt: skip
        document["eigenvalues_exact"] = (
            [_text(e.exact) for e in result.eigenvalues for _ in range(e.multiplicity)]
            if result.eigen_exact else None
        )  # fmt: skip
        test = result.test
        document["gradient_zero"] = test.gradient_zero if test else None
        document["classification"] = test.classification if test else None
        document["test"] = test.why if test else None
    if result.critical is not None:
        document["critical_points"] = [
            {
                "at": {n: to_input(v) for n, v in zip(problem.variables, c.point, strict=True)}
                if c.point is not None
                else None,
                "values": {n: finite(v) for n, v in zip(problem.variables, c.values, strict=True)},
                "f_value": finite(c.f_value),
                "f_exact": _text(c.f_exact),
                "classification": c.test.classification,
            }
            for c in result.critical
        ]
        document["complete"] = result.complete
        document["search"] = result.search
    return document


# -- a hand-derived matrix judged ------------------------------------------------------------
def matrix_check_report(check: MatrixCheck) -> Report:
    from deriv_lecture.cli.several import entry_verdict

    name = "Jacobian" if check.kind == "jacobian" else "Hessian"
    label = (
        "rows: the gradients of" if check.kind == "jacobian" else "rows: the gradients of ∂f/∂xᵢ"
    )
    rows: list[tuple[str, Cell]] = [(label, ", ".join(to_pretty(f) for f in check.functions))]
    wrong = check.first_wrong
    if check.transposed:
        layout = "the denominator-layout Jacobian" if check.kind == "jacobian" else "H transposed"
        said = f"this is {layout}: rows and columns swapped (row i is the gradient of row i's"
        rows.append(("verdict", Status(False, said + " function; the table lists yours"
                                       " transposed back)")))  # fmt: skip
    elif check.correct:
        rows.append(("verdict", Status(True, f"your {name} is right, entry by entry")))
    elif wrong is not None:
        i, j, entry = wrong
        said = f"entry ({i + 1}, {j + 1}), ∂/∂{glyph(entry.var)} of {to_pretty(check.functions[i])}"
        rows.append(("verdict", Status(False, said + ", is wrong")))
    table = tuple(
        (f"({i + 1}, {j + 1})", to_pretty(c.answer), to_pretty(c.derivative), entry_verdict(c))
        for i, row in enumerate(check.rows)
        for j, c in enumerate(row)
    )
    return Report((
        Fields(f"deriv check: the {name}", tuple(rows)),
        Table("Entry by entry", ("entry", "your answer", "deriv", "verdict"), table),
    ))  # fmt: skip


def matrix_check_document(source: str, answer: str, check: MatrixCheck) -> dict[str, Any]:
    from deriv_lecture.cli.several import component_document

    wrong = check.first_wrong
    return {
        "expr": source,
        "answer": answer,
        "kind": check.kind,
        "correct": check.correct,
        "transposed": check.transposed,
        "first_wrong": None if wrong is None else [wrong[0] + 1, wrong[1] + 1],
        "entries": [[component_document(c) for c in row] for row in check.rows],
    }


# -- the chain rule as a product of Jacobians -------------------------------------------------
def chain_report(result: ChainResult) -> Report:
    outer, inner = result.outer.problem, result.inner.problem
    (m, k), (_, n), _ = result.shapes
    substitutions = ", ".join(
        f"{glyph(u)} = {to_pretty(g)}"
        for u, g in zip(outer.variables, inner.expressions, strict=True)
    )
    verdict = {
        True: Status(True, "J_F(g) · J_g equals the Jacobian of F∘g, entry by entry"),
        False: Status(False, "J_F(g) · J_g DIFFERS from the Jacobian of F∘g"),
        None: Status(None, "could not compare at enough points"),
    }[result.agrees]
    rows: list[tuple[str, Cell]] = [
        ("F", "(" + ", ".join(to_pretty(f) for f in outer.expressions) + ")"),
        ("g", substitutions),
        ("chain rule", "J_(F∘g) = J_F(g) · J_g"),
        ("shapes", f"({m}×{k})({k}×{n}) = {m}×{n}"),
        ("check", verdict),
    ]
    sections: list[Section] = [Fields("The chain rule as a product of Jacobians", tuple(rows))]
    outputs = [f"F{_sub(i + 1)}" for i in range(m)]
    u_labels = [f"∂/∂{glyph(u)}" for u in outer.variables]
    s_labels = [f"∂/∂{glyph(v)}" for v in inner.variables]
    g_rows = [glyph(u) for u in outer.variables]
    pretty = _pretty_rows
    sections.append(_matrix_table("J_F (by F's inputs)", outputs, u_labels,
                                  pretty(result.outer.entries)))  # fmt: skip
    sections.append(_matrix_table("J_g (by g's variables)", g_rows, s_labels,
                                  pretty(result.inner.entries)))  # fmt: skip
    sections.append(_matrix_table("J_F(g) · J_g", outputs, s_labels, pretty(result.product)))
    if result.outer_at_g is not None and result.product_at is not None and inner.point:
        a = ", ".join(f"{glyph(k)} = {to_pretty(v)}" for k, v in inner.point.items())
        g_at = ", ".join(f"{glyph(u)} = {to_pretty(v)}"
                         for u, v in zip(outer.variables, result.g_at, strict=True))  # fmt: skip
        sections.append(Fields(f"At {a}", (
            ("g(a)", g_at),
            ("J_F is taken at", "g(a), not at a: F's inputs there are g(a)"),
            ("det J_g(a)", exact_and_decimal(result.inner.det_exact, result.inner.det_value)
             if result.inner.square else "—"),
        )))  # fmt: skip
        where = ", ".join(to_pretty(v) for v in result.g_at)
        sections.append(_matrix_table(f"J_F at g(a) = ({where})", outputs, u_labels,
                                      _matrix_cells(result.outer_at_g)))  # fmt: skip
        assert result.inner.at is not None
        sections.append(_matrix_table("J_g at a", g_rows, s_labels,
                                      _matrix_cells(result.inner.at)))  # fmt: skip
        sections.append(_matrix_table("J_(F∘g)(a) = J_F(g(a)) · J_g(a)", outputs, s_labels,
                                      _matrix_cells(result.product_at)))  # fmt: skip
        if result.outer_at_a is not None and result.outer_at_a.values != result.outer_at_g.values:
            sections.append(_matrix_table(
                "The classic silent error: J_F at a's numbers instead of g(a) (wrong)",
                outputs, u_labels, _matrix_cells(result.outer_at_a)))  # fmt: skip
    return Report(tuple(sections), outer.notes)


def _pretty_rows(rows: tuple[tuple[Expr, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(to_pretty(e) for e in row) for row in rows)


def _input_rows(rows: tuple[tuple[Expr | None, ...], ...]) -> list[list[str | None]]:
    return [[_text(e) for e in row] for row in rows]


def chain_document(source: str, sub: str, result: ChainResult) -> dict[str, Any]:
    outer, inner = result.outer.problem, result.inner.problem
    document: dict[str, Any] = {
        "expr": source,
        "sub": {u: to_input(g) for u, g in zip(outer.variables, inner.expressions, strict=True)},
        "outer_vars": list(outer.variables),
        "inner_vars": list(inner.variables),
        "shapes": [list(s) for s in result.shapes],
        "outer_jacobian": _input_rows(result.outer.entries),
        "inner_jacobian": _input_rows(result.inner.entries),
        "product": _input_rows(result.product),
        "direct": _input_rows(result.direct.entries),
        "agrees": result.agrees,
    }
    if inner.point and result.outer_at_g is not None and result.product_at is not None:
        document["at"] = {k: to_input(v) for k, v in inner.point.items()}
        document["g_at"] = {u: to_input(v) for u, v in zip(outer.variables, result.g_at,
                                                            strict=True)}  # fmt: skip
        document["outer_at_g"] = _input_rows(result.outer_at_g.exact)
        assert result.inner.at is not None
        document["inner_at"] = _input_rows(result.inner.at.exact)
        document["product_at"] = [[finite(v) for v in row] for row in result.product_at.values]
        document["product_at_exact"] = _input_rows(result.product_at.exact)
    return document
