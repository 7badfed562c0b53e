"""Catalog cases with `jacobian`, `hessian` and `det` (core/tasks/check_matrix.py): right
matrices pass three ways, a transposed or wrong one and a wrong det fail and say why,
SymPy without time leaves its check undecided (never failed), bad keys are refused before
anything runs. The matrices here are SymPy's."""

from __future__ import annotations

import pytest
import sympy

from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.tasks.catalog import CatalogError, builtin_catalog, parse_catalog
from deriv_lecture.core.tasks.check import check_case

R, T, X, Y = sympy.symbols("r theta x y", real=True)


def toml_matrix(matrix: sympy.Matrix) -> str:
    rows = ", ".join(
        "[" + ", ".join(f'"{str(e).replace("**", "^")}"' for e in matrix.row(i)) + "]"
        for i in range(matrix.rows)
    )
    return f"[{rows}]"


POLAR = sympy.Matrix([R * sympy.cos(T), R * sympy.sin(T)]).jacobian([R, T])


def jacobian_case(matrix: sympy.Matrix, extra: str = "") -> str:
    return (
        '[[case]]\nexpr = "[r cos(theta), r sin(theta)]"\nwrt = "r,theta"\n'
        f"jacobian = {toml_matrix(matrix)}\n{extra}"
    )


def test_sympys_jacobian_passes_three_ways_with_its_det() -> None:
    det = sympy.simplify(POLAR.det()).subs({R: 2})
    point = 'at = { r = "2", theta = "pi/3" }\n'
    (case,) = parse_catalog(jacobian_case(POLAR, point + f'det = "{det}"\n'), "k.toml")
    result = check_case(case)
    assert result.ok, result.checks
    assert {c.name for c in result.checks} >= {"expected", "sympy", "limit", "facts"}


def test_a_transposed_jacobian_is_named() -> None:
    (case,) = parse_catalog(jacobian_case(POLAR.T), "k.toml")
    result = check_case(case)
    expected = result.check("expected")
    assert not result.ok and expected is not None and "transpose" in expected.detail


def test_a_wrong_entry_and_a_wrong_det_fail() -> None:
    wrong = POLAR.copy()
    wrong[0, 1] = R * sympy.sin(T)  # the sign of ∂x/∂θ dropped
    (case,) = parse_catalog(jacobian_case(wrong, 'det = "2r"\n'), "k.toml")
    result = check_case(case)
    expected, facts = result.check("expected"), result.check("facts")
    assert expected is not None and expected.ok is False and "(1, 2)" in expected.detail
    assert facts is not None and facts.ok is False


@pytest.mark.parametrize(
    ("f", "source"),
    [(X**3 * Y + Y**2, "x^3 y + y^2"), (sympy.exp(X - Y) * X, "x e^(x - y)")],
)
def test_sympys_hessian_passes_and_a_wrong_one_fails(f: sympy.Expr, source: str) -> None:
    h = sympy.hessian(f, [X, Y])
    text = f'[[case]]\nexpr = "{source}"\nat = {{ x = "1", y = "2" }}\nhessian = {toml_matrix(h)}\n'
    (case,) = parse_catalog(text, "k.toml")
    assert check_case(case).ok
    wrong = h.copy()
    wrong[1, 1] += 1
    (case,) = parse_catalog(text.replace(toml_matrix(h), toml_matrix(wrong)), "k.toml")
    assert not check_case(case).ok


def test_without_sympys_time_its_check_is_undecided_not_failed() -> None:
    (case,) = parse_catalog(jacobian_case(POLAR, 'det = "r"\n'), "k.toml")
    with budget(0):
        result = check_case(case)
    sympy_check = result.check("sympy")
    assert sympy_check is not None and sympy_check.ok is None and result.ok


@pytest.mark.parametrize(
    "bad",
    ['jacobian = "r"', 'jacobian = [["1", "2"], ["3"]]', 'jacobian = [["1", "x^^2"]]',
     'jacobain = [["1"]]', 'det = "1/0 +"'],
)  # fmt: skip
def test_bad_matrix_keys_are_refused_before_anything_runs(bad: str) -> None:
    with pytest.raises(CatalogError):
        parse_catalog(f'[[case]]\nexpr = "[r, theta]"\n{bad}\n', "k.toml")


def test_the_builtin_catalog_has_ten_matrix_cases() -> None:
    # That they pass: tests/test_check.py runs every built-in case.
    cases = [c for c in builtin_catalog() if c.jacobian is not None or c.hessian is not None]
    assert len(cases) >= 10 and {c.hessian is not None for c in cases} == {True, False}
