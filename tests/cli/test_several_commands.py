"""The several-variable commands through the console script's path: partials, grad and a
gradient check; bad points, --wrt and --dir as bad input (exit 2); JSON as SPEC.md lists;
values computed here by SymPy."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sympy

from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from tests.cli.inprocess import run_inprocess

X, Y = sympy.symbols("x y", real=True)


def deriv_json(*args: str, **env: str) -> tuple[int, dict[str, Any]]:
    result = run_inprocess([*args, "--json"], **env)
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["x^2 y", "--wrt", "x", "--at", "x=1,z=2"],  # a name not in f
        ["x^2 y", "--wrt", "x", "--at", "x=1,x=2,y=3"],  # a name twice
        ["x^2 y", "--wrt", "x", "--at", "x=1"],  # y is missing
        ["a x^2 y", "--wrt", "x", "--at", "x=1,y=2,a=3", "--let", "a=3"],  # --at and --let
        ["x^2 y", "--wrt", "x,", "--at", "x=1,y=2"],  # an empty name
        ["x^2 y", "--wrt", "sin"],  # not a variable
        ["x^2 y", "--wrt", "z"],  # f does not use z
        ["x^2 y", "--wrt", "x", "--var", "y"],  # both
        ["x^2 y", "--wrt", "x", "--order", "0"],
        ["x^2 y", "--wrt", "x,y", "--order", "2"],
        ["grad", "x^2 y", "--at", "x=1,y=2", "--dir", "0,0"],  # the zero vector
        ["grad", "x^2 y", "--at", "x=1,y=2", "--dir", "1,2,3"],  # wrong length
        ["grad", "x^2 y", "--dir", "1,2"],  # no point
        ["grad", "x^2 y", "--at", "x=1,y=2", "--dir", "[1, 2^^3]"],
        ["check", "x^2 y", "--wrt", "x,y", "--answer", "[2x y]"],  # too few components
        ["check", "x^2 y", "--wrt", "x,y", "--answer", "[2x y, z]"],  # a foreign symbol
    ],
)
def test_bad_several_variable_input_is_exit_2_with_one_message(args: list[str]) -> None:
    result = run_inprocess(args, DERIV_SYMPY_BUDGET="0")
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("error: ") and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("source", "wrt", "point"),
    [("x^2 y + sin(x y)", "x", {"x": 1, "y": 2}), ("e^(x y)", "y", {"x": "1/2", "y": -1}),
     ("atan(y/x)", "x", {"x": 3, "y": 4}), ("x^2 y + sin(x y)", "x,y", {"x": 1, "y": 2})],
)  # fmt: skip
def test_partial_json_has_the_spec_keys_and_sympys_values(
    source: str, wrt: str, point: dict[str, Any]
) -> None:
    text = ",".join(f"{k}={v}" for k, v in point.items())
    code, document = deriv_json(source, "--wrt", wrt, "--at", text)
    assert code == 0
    assert {"expr", "read_as", "var", "derivative", "steps", "sympy_agrees", "wrt", "order"} <= set(
        document
    )
    assert document["wrt"] == wrt.split(",") and document["order"] == len(wrt.split(","))
    truth = sympy.diff(to_sympy(parse_expr(source), {"x": X, "y": Y}), *(
        {"x": X, "y": Y}[n] for n in wrt.split(",")))  # fmt: skip
    subs = {X: sympy.sympify(str(point["x"])), Y: sympy.sympify(str(point["y"]))}
    assert document["value"] == pytest.approx(float(truth.subs(subs).evalf(30)), rel=1e-12)
    assert parse_expr(document["exact"]) is not None  # input syntax that parses back
    if "," in wrt:
        assert document["symmetric"] is True


def test_grad_json_has_the_spec_keys() -> None:
    code, document = deriv_json("grad", "x^2 y + sin(x y)", "--at", "x=1,y=2", "--dir", "2,5")
    assert code == 0
    keys = {"expr", "read_as", "vars", "gradient", "sympy_agrees", "at", "f_value", "values",
            "exact", "estimates", "estimate_errors", "norm", "norm_exact", "tangent_plane",
            "direction", "directional"}  # fmt: skip
    assert keys <= set(document)
    assert document["vars"] == ["x", "y"] and document["at"] == {"x": "1", "y": "2"}
    assert set(document["tangent_plane"]) == {"equation", "intercept", "coefficients"}
    assert set(document["direction"]) == {"given", "unit"}
    assert {"value", "exact", "estimate", "estimate_error", "table"} <= set(document["directional"])
    for formula in (*document["gradient"], *document["exact"], document["norm_exact"],
                    *document["direction"]["unit"], document["directional"]["exact"]):  # fmt: skip
        parse_expr(formula)  # everything in input syntax parses back
    f = X**2 * Y + sympy.sin(X * Y)
    grad = [sympy.diff(f, v).subs({X: 1, Y: 2}) for v in (X, Y)]
    assert document["values"] == pytest.approx([float(g) for g in grad], rel=1e-13)
    unit = [2 / sympy.sqrt(29), 5 / sympy.sqrt(29)]
    expected = float(sum(g * u for g, u in zip(grad, unit, strict=True)))
    assert document["directional"]["value"] == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize(
    ("source", "answer", "wrong"),
    [("x^2 y + sin(x y)", "[2x y + y cos(x y), x^2 + x cos(x y)]", None),
     ("x^2 y + sin(x y)", "[2x y + cos(x y), x^2 + x cos(x y)]", "x"),
     ("e^(x y)", "[y e^(x y), e^(x y)]", "y"),
     ("ln(x^2 + y^2)", "[2x/(x^2 + y^2), 2y/(x^2 + y^2)]", None)],
)  # fmt: skip
def test_a_hand_derived_gradient_is_judged_component_by_component(
    source: str, answer: str, wrong: str | None
) -> None:
    code, document = deriv_json("check", source, "--wrt", "x,y", "--answer", answer)
    assert code == (0 if wrong is None else 1)
    assert document["first_wrong"] == wrong
    if wrong is not None:
        component = next(c for c in document["components"] if c["var"] == wrong)
        point = {X: component["at"]["x"], Y: component["at"]["y"]}
        truth = float(sympy.diff(to_sympy(parse_expr(source), {"x": X, "y": Y}),
                                 {"x": X, "y": Y}[wrong]).subs(point))  # fmt: skip
        yours = float(to_sympy(parse_expr(component["answer"]), {"x": X, "y": Y}).subs(point))
        relative = abs(yours - truth) / max(abs(yours), abs(truth))
        assert component["relative_error"] == pytest.approx(relative, rel=1e-6)


def test_partials_print_on_a_pipe_and_with_their_labels() -> None:
    result = run_inprocess(["x^2 y + sin(x y)", "--wrt", "x", "--plain"], DERIV_SYMPY_BUDGET="0")
    assert "∂f/∂x" in result.stdout and "f'(x)" not in result.stdout
    assert "(y is a constant here)" in result.stdout
    mixed = run_inprocess(["x^2 y", "--wrt", "x,y", "--plain"], DERIV_SYMPY_BUDGET="0")
    assert "∂²f/∂y∂x" in mixed.stdout and "Clairaut" in mixed.stdout
