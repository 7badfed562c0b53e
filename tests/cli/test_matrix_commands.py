"""`deriv jacobian` and `deriv hessian` through the command line: the JSON keys of SPEC.md,
layouts, products with their shapes, exit codes for bad input, and the words on a
terminal and piped; values computed here by SymPy."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy

from tests.cli.inprocess import deriv, run_inprocess

R, THETA, X, Y = sympy.symbols("r theta x y", real=True)
POLAR = "[r cos(theta), r sin(theta)]"


def document(*args: str) -> tuple[int, dict[str, Any]]:
    result = deriv(*args, "--json")
    return result.exit_code, json.loads(result.stdout)


def test_jacobian_json_has_the_spec_keys_and_sympys_values() -> None:
    code, doc = document("jacobian", POLAR, "--at", "r=2,theta=pi/3")
    assert code == 0
    for key in ("shape", "layout", "rows", "cols", "entries", "det", "sympy_agrees", "values",
                "exact", "det_value", "det_exact", "inverse"):  # fmt: skip
        assert key in doc, key
    truth = sympy.Matrix([R * sympy.cos(THETA), R * sympy.sin(THETA)]).jacobian([R, THETA])
    at = truth.subs({R: 2, THETA: sympy.pi / 3})
    assert doc["shape"] == [2, 2] and doc["layout"] == "numerator"
    assert doc["rows"] == ["F1", "F2"] and doc["cols"] == ["r", "theta"]
    assert doc["values"] == [[pytest.approx(float(at[i, j])) for j in range(2)] for i in range(2)]
    assert doc["det"] == "r" and doc["det_value"] == pytest.approx(2.0)
    inverse = at.inv()
    assert doc["inverse"] is not None
    for i in range(2):
        for j in range(2):
            value = sympy.sympify(doc["inverse"][i][j].replace("^", "**"))
            assert float(value) == pytest.approx(float(inverse[i, j]))
    assert doc["sympy_agrees"] is True


def test_denominator_layout_is_the_transpose_and_says_so() -> None:
    _, numerator = document("jacobian", "[x y, x + y, x^2]")
    _, denominator = document("jacobian", "[x y, x + y, x^2]", "--layout", "denominator")
    assert numerator["shape"] == [3, 2] and denominator["shape"] == [2, 3]
    assert denominator["entries"] == [list(col) for col in zip(*numerator["entries"], strict=True)]
    text = deriv("jacobian", "[x y, x + y, x^2]", "--layout", "denominator").stdout
    assert "denominator layout" in text and "transpose" in text
    assert "no determinant: the matrix is 3×2" in deriv("jacobian", "[x y, x + y, x^2]").stdout


@pytest.mark.parametrize(("kind", "vector"), [("vjp", [1, -2]), ("jvp", [3, 1])])
def test_products_with_their_shapes(kind: str, vector: list[int]) -> None:
    given = ",".join(map(str, vector))
    code, doc = document("jacobian", POLAR, "--at", "r=2,theta=pi/6", f"--{kind}", given)
    truth = sympy.Matrix([R * sympy.cos(THETA), R * sympy.sin(THETA)]).jacobian([R, THETA])
    at = truth.subs({R: 2, THETA: sympy.pi / 6})
    v = sympy.Matrix(vector)
    expected = list(v.T * at) if kind == "vjp" else list(at * v)
    assert code == 0
    assert doc[kind] == [pytest.approx(float(e)) for e in expected]
    shapes = {"vjp": [[1, 2], [2, 2], [1, 2]], "jvp": [[2, 2], [2, 1], [2, 1]]}[kind]
    assert doc[f"{kind}_shapes"] == shapes
    text = deriv("jacobian", POLAR, f"--{kind}", given).stdout
    assert ("(1×2)(2×2) = 1×2" if kind == "vjp" else "(2×2)(2×1) = 2×1") in text


@pytest.mark.parametrize(
    "args",
    [["jacobian", POLAR, "--vjp", "1,2,3"],  # wrong length: both shapes named
     ["jacobian", POLAR, "--jvp", "1"],
     ["jacobian", "[x, y^^2]"],
     ["jacobian", POLAR, "--layout", "sideways"],
     ["jacobian", POLAR, "--wrt", "r,r"],
     ["jacobian", POLAR, "--at", "r=1"],  # theta missing
     ["hessian", "x^2 y", "--at", "x=1"],
     ["hessian", "x^2 y", "--wrt", "x,x"]],
)  # fmt: skip
def test_bad_matrix_input_is_exit_2_with_one_message(args: list[str]) -> None:
    result = run_inprocess(args, DERIV_SYMPY_BUDGET="0")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_a_parse_error_points_under_its_component() -> None:
    result = run_inprocess(["jacobian", "[x, y^^2]"], DERIV_SYMPY_BUDGET="0")
    lines = result.stderr.splitlines()
    assert "F2" in lines[0]
    caret = next(line for line in lines if line.strip() == "^")
    source = next(line for line in lines if "[x, y^^2]" in line)
    assert source[caret.index("^")] == "^" and caret.index("^") == source.index("^^") + 1


def test_the_vector_length_error_names_both_shapes() -> None:
    result = run_inprocess(["jacobian", POLAR, "--vjp", "1,2,3"], DERIV_SYMPY_BUDGET="0")
    assert "2×2" in result.stderr and "(1×3)" in result.stderr


def test_hessian_json_at_a_saddle_and_the_critical_points() -> None:
    code, doc = document("hessian", "x^3 - 3x y^2 + y^2", "--at", "x=0,y=0", "--critical")
    f = X**3 - 3 * X * Y**2 + Y**2
    h = sympy.hessian(f, [X, Y]).subs({X: 0, Y: 0})
    assert code == 0
    for key in ("vars", "entries", "symmetric", "values", "exact", "det_value", "eigenvalues",
                "gradient_zero", "classification", "critical_points", "complete"):  # fmt: skip
        assert key in doc, key
    assert doc["values"] == [[float(h[i, j]) for j in range(2)] for i in range(2)]
    assert sorted(doc["eigenvalues"]) == sorted(float(e) for e in h.eigenvals(multiple=True))
    assert doc["gradient_zero"] is True and doc["classification"] == "inconclusive"
    solutions = sympy.solve([sympy.diff(f, X), sympy.diff(f, Y)], [X, Y], dict=True)
    assert len(doc["critical_points"]) == len(solutions) and doc["complete"] is True


def test_hessian_where_the_gradient_is_not_zero() -> None:
    code, doc = document("hessian", "x^2 + y^2", "--at", "x=1,y=2")
    assert code == 0 and doc["gradient_zero"] is False and doc["classification"] is None
    text = deriv("hessian", "x^2 + y^2", "--at", "x=1,y=2").stdout
    assert "not a critical point" in text and "does not apply" in text


def test_a_verdict_is_the_same_or_undecided_without_sympys_time() -> None:
    for source, point in (("x^2 + 3y^2", "x=0,y=0"), ("x^2 - y^2", "x=0,y=0"),
                          ("-(x^2) - y^4", "x=0,y=0")):  # fmt: skip
        full = json.loads(run_inprocess(["hessian", source, "--at", point, "--json"]).stdout)
        none = json.loads(
            run_inprocess(
                ["hessian", source, "--at", point, "--json"], DERIV_SYMPY_BUDGET="0"
            ).stdout
        )
        assert none["classification"] in (full["classification"], None)


def test_piped_output_is_plain_and_a_terminal_gets_tables() -> None:
    piped = deriv("jacobian", POLAR, "--at", "r=2,theta=pi/3")
    assert piped.exit_code == 0 and "det J" in piped.stdout and "┃" not in piped.stdout
    coloured = deriv("hessian", "x y", "--at", "x=0,y=0", "--color", "always")
    assert coloured.exit_code == 0 and "\x1b[" in coloured.stdout


# -- a hand-derived Jacobian or Hessian judged ------------------------------------------------
def sympy_text(matrix: sympy.Matrix) -> str:
    """A SymPy matrix as deriv's input: [[a, b], [c, d]] (** becomes ^)."""
    rows = ", ".join(
        "[" + ", ".join(str(e) for e in matrix.row(i)) + "]" for i in range(matrix.rows)
    )
    return f"[{rows}]".replace("**", "^")


JACOBIANS = [
    ("[r cos(theta), r sin(theta)]", [R * sympy.cos(THETA), R * sympy.sin(THETA)], [R, THETA]),
    ("[x^2 y, x + sin(y), x y]", [X**2 * Y, X + sympy.sin(Y), X * Y], [X, Y]),
    ("[e^(x y), x - y]", [sympy.exp(X * Y), X - Y], [X, Y]),
]


@pytest.mark.parametrize(("source", "components", "inputs"), JACOBIANS)
def test_sympys_jacobian_is_right_and_its_transpose_is_named(
    source: str, components: list[sympy.Expr], inputs: list[sympy.Symbol]
) -> None:
    truth = sympy.Matrix(components).jacobian(inputs)
    code, doc = document("check", source, "--answer", sympy_text(truth))
    assert code == 0 and doc["correct"] is True and doc["kind"] == "jacobian"
    code, doc = document("check", source, "--answer", sympy_text(truth.T))
    assert code == 1 and doc["transposed"] is True
    text = deriv("check", source, "--answer", sympy_text(truth.T)).stdout
    assert "denominator-layout Jacobian" in text


@pytest.mark.parametrize(("source", "components", "inputs"), JACOBIANS)
def test_a_wrong_entry_is_named_with_a_point_and_its_relative_error(
    source: str, components: list[sympy.Expr], inputs: list[sympy.Symbol]
) -> None:
    truth = sympy.Matrix(components).jacobian(inputs)
    wrong = truth.copy()
    wrong[1, 0] = wrong[1, 0] + 1  # one entry off by 1
    code, doc = document("check", source, "--answer", sympy_text(wrong))
    assert code == 1 and doc["first_wrong"] == [2, 1] and doc["transposed"] is False
    entry = doc["entries"][1][0]
    at = {s: entry["at"][s.name] for s in inputs}
    yours, true = float(wrong[1, 0].subs(at)), float(truth[1, 0].subs(at))
    assert entry["yours"] == pytest.approx(yours) and entry["value"] == pytest.approx(true)
    assert entry["relative_error"] == pytest.approx(abs(yours - true) / max(abs(yours), abs(true)))


@pytest.mark.parametrize(
    ("source", "f"),
    [("x^3 y - x y^2", X**3 * Y - X * Y**2), ("e^(x y)", sympy.exp(X * Y)),
     ("sin(x) cos(y) + x^2", sympy.sin(X) * sympy.cos(Y) + X**2)],
)  # fmt: skip
def test_a_hessian_answer_is_judged_entry_by_entry(source: str, f: sympy.Expr) -> None:
    truth = sympy.hessian(f, [X, Y])
    assert document("check", source, "--answer", sympy_text(truth))[0] == 0
    wrong = truth.copy()
    wrong[0, 0] = 2 * wrong[0, 0] + 1
    code, doc = document("check", source, "--answer", sympy_text(wrong))
    assert code == 1 and doc["kind"] == "hessian" and doc["first_wrong"] == [1, 1]


@pytest.mark.parametrize(
    "answer", ["[[y, x, 1]]", "[[y, x], [1]]", "[[y, x], [1, z]]", "[[y, x^^2], [1, 1]]"]
)
def test_a_matrix_answer_of_the_wrong_shape_or_with_a_foreign_symbol_is_exit_2(answer: str) -> None:
    result = run_inprocess(["check", "[x y, x + y]", "--answer", answer], DERIV_SYMPY_BUDGET="0")
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_the_chain_rule_command_prints_g_of_a_and_checks_the_product() -> None:
    args = ["jacobian", "[u^2 - v^2, 2u v]", "--wrt", "u,v", "--sub", "u=s t^2,v=s^2 t"]
    code, doc = document(*args, "--at", "s=1,t=2")
    s, t = sympy.symbols("s t", real=True)
    composed = sympy.Matrix([(s * t**2) ** 2 - (s**2 * t) ** 2, 2 * (s * t**2) * (s**2 * t)])
    truth = composed.jacobian([s, t]).subs({s: 1, t: 2})
    assert code == 0 and doc["agrees"] is True
    assert doc["g_at"] == {"u": "4", "v": "2"} and doc["shapes"] == [[2, 2], [2, 2], [2, 2]]
    assert doc["product_at"] == [[float(truth[i, j]) for j in range(2)] for i in range(2)]
    text = deriv(*args, "--at", "s=1,t=2").stdout
    assert "g(a)" in text and "u = 4, v = 2" in text and "classic silent error" in text
    for bad in (["--vjp", "1,0"], ["--at", "s=1"], ["--at", "2"]):
        assert run_inprocess([*args, *bad], DERIV_SYMPY_BUDGET="0").returncode == 2


def test_each_entrys_steps_on_request_and_in_json() -> None:
    text = deriv("jacobian", POLAR, "--steps").stdout
    for title in ("∂F₁/∂r = cos(θ)", "∂F₁/∂θ = −r sin(θ)", "∂F₂/∂r = sin(θ)", "∂F₂/∂θ = r cos(θ)"):
        assert title in text
    assert "(θ is a constant here)" in text and "(r is a constant here)" in text
    assert "∂F₁/∂r" not in deriv("jacobian", POLAR).stdout
    _, doc = document("jacobian", POLAR, "--layout", "denominator")
    assert [[len(s) > 0 for s in row] for row in doc["steps"]] == [[True, True], [True, True]]
    assert doc["steps"][1][0][0]["expr"] == "r*cos(theta)"  # transposed: row θ, column F1
