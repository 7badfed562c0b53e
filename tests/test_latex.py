"""core/syntax/latex.py and --latex: LaTeX that means the same function (read back by SymPy's
LaTeX parser and evaluated) and that compiles (with a real TeX engine where one is
installed)."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings

from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.latex import to_latex
from deriv_lecture.core.syntax.parser import parse_expr
from tests.cli.inprocess import run_inprocess
from tests.conftest import examples
from tests.test_properties import EXPRESSIONS

parse_latex = pytest.importorskip("sympy.parsing.latex").parse_latex
pytest.importorskip("antlr4")

POINTS = (0.37, 1.3, -0.71)


def sympy_reading(text: str) -> sympy.Expr:
    """SymPy's reading of our LaTeX, with e as Euler's number (its parser keeps a symbol)
    and bars as abs (its parser knows |x| but not \\left|x\\right|)."""
    plain = text.replace(r"\left|", "|").replace(r"\right|", "|")
    read = parse_latex(plain)
    return read.subs({sympy.Symbol("e"): sympy.E, sympy.Symbol("pi"): sympy.pi})


def same_values(ours: str, theirs: sympy.Expr) -> bool:
    expr = parse_expr(ours)
    x = sympy.Symbol("x")
    checked = 0
    for point in POINTS:
        try:
            mine = evaluate(expr, {"x": point, "a": 0.7})
        except MathError:
            continue
        value = complex(theirs.subs({x: point, sympy.Symbol("a"): 0.7}).evalf())
        if abs(value.imag) > 1e-9:
            continue
        assert math.isclose(mine, value.real, rel_tol=1e-9, abs_tol=1e-12), (ours, theirs)
        checked += 1
    return checked > 0


@pytest.mark.parametrize(
    "source",
    ["x^2", "e^-x/(1 + e^-x)^2", "-3x^2 sin(x^3)", "sin(x)^2 + cos(x)^2", "log_2(x)",
     "cbrt(x) + sqrt(x^2 + 1)", "abs(x) + 1", "2^x ln(2)", "(2/3)x - x/5", "atan(x)/(1 + x^2)",
     "tan(x)^3", "x^(1/2) - x^(-1/3)"],
)  # fmt: skip
def test_latex_reads_back_as_the_same_function(source: str) -> None:
    assert same_values(source, sympy_reading(to_latex(parse_expr(source))))


@settings(max_examples=examples(150), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(EXPRESSIONS)
def test_random_expressions_read_back_the_same(expr: object) -> None:
    from deriv_lecture.core.syntax.printer import to_input

    text = to_latex(expr)  # type: ignore[arg-type]
    if r"\operatorname" in text or r"\sigma" in text:
        return  # functions SymPy's LaTeX parser does not know (sigmoid, asinh, ...)
    same_values(to_input(expr), sympy_reading(text))  # type: ignore[arg-type]


DOCUMENTS = [
    "1/(1+e^-x)", "x^2 sin(x)", "abs(x)", "2x if x > 0 else 1 if x < 0",
    "sech(x)^2 + log_2(x) + cbrt(x) + sigmoid(x) + x_1 theta", "3e20 x + (2/3)x",
]  # fmt: skip


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX engine installed")
def test_the_latex_compiles(tmp_path: Path) -> None:
    body = []
    for source in DOCUMENTS:
        result = run_inprocess([source, "--at", "1", "--latex"], DERIV_SYMPY_BUDGET="0")
        assert result.returncode == 0, result.stderr
        body.append(result.stdout)
    document = tmp_path / "notes.tex"
    document.write_text(
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        + "\n".join(body) + "\\end{document}\n", encoding="utf-8",
    )  # fmt: skip
    compiled = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                               document.name], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    assert (tmp_path / "notes.pdf").stat().st_size > 1000


def test_latex_output_has_the_steps_as_an_aligned_block() -> None:
    text = run_inprocess(["cos(x^3)", "--at", "pi/4", "--latex"]).stdout
    assert r"\begin{aligned}" in text and r"\end{aligned}" in text
    assert r"\text{chain rule}" in text and r"f'(x) = " in text
    assert text.count(r"\[") == text.count(r"\]")
