"""The steps as a teacher writes them: each rule stated with its parts named, the chain
rule's outer derivative taken in u, logarithmic differentiation through ln y, and every
line within 80 columns. Expected derivatives come from SymPy, never from deriv."""

import itertools
import re
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deriv_lecture.cli.plain import WIDTH
from deriv_lecture.cli.steps_view import steps_table
from deriv_lecture.cli.wrap import CONTINUATION, wrap_formula
from deriv_lecture.core.calculus.derive import derive, listed_steps
from deriv_lecture.core.calculus.steps import Step, flatten
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from tests.cli.test_main import deriv
from tests.conftest import examples

X = sympy.Symbol("x", real=True)


@pytest.fixture(autouse=True)
def _engine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps are the engine's: SymPy's verdict is not what these tests read."""
    monkeypatch.setenv("DERIV_SYMPY_BUDGET", "0")


OUTERS = ["sin({})", "cos({})", "tan({})", "e^({})", "ln({})", "sqrt({})", "atan({})",
          "sinh({})", "({})^5", "2^({})", "cbrt({})", "sec({})"]  # fmt: skip
INNERS = ["x^2 + 1", "3x - 2", "cos(x)", "x e^x", "1/(x + 3)"]
RULE_NAMES = {
    "power rule", "constant rule", "sum rule", "constant multiple rule", "product rule",
    "quotient rule", "chain rule", "trigonometric rule", "exponential rule", "logarithm rule",
    "inverse trigonometric rule", "hyperbolic rule", "inverse hyperbolic rule",
    "logarithmic differentiation", "absolute value rule", "piecewise rule", "sigmoid rule",
    "change of base", "simplify",
}  # fmt: skip


def _sympy(expr: object, **names: sympy.Symbol) -> sympy.Expr:
    return to_sympy(expr, {"x": X, **names})  # type: ignore[arg-type]


def _equal(a: sympy.Expr, b: sympy.Expr, var: sympy.Symbol, points: tuple[float, ...]) -> bool:
    """Equal to 12 digits at each point (relative to the size of the values)."""
    for point in points:
        left, right = (complex(side.subs(var, sympy.nsimplify(point)).evalf(30)) for side in (a, b))
        if abs(left - right) > 1e-12 * max(1.0, abs(left)):
            return False
    return True


def _chain_steps(source: str) -> list[Step]:
    steps = derive(parse_expr(source), "x").steps
    return [s for _, s in flatten(steps) if s.rule == "chain rule"]


@pytest.mark.parametrize(
    "source", [o.format(i) for o, i in itertools.product(OUTERS, INNERS)]
)  # fmt: skip
def test_the_chain_rules_outer_step_is_a_derivative_in_u(source: str) -> None:
    chain = _chain_steps(source)[0]
    outer, inner = chain.substeps
    ((letter, u),) = chain.parts
    assert outer.wrt == letter and letter not in {"x"}
    var = sympy.Symbol(letter, positive=True)
    # d/du f(u), by SymPy, is the outer step's result; at u = 0.7, 1.9
    expected = sympy.diff(_sympy(outer.expr, **{letter: var}), var)
    assert _equal(expected, _sympy(outer.result, **{letter: var}), var, (0.7, 1.9))
    # and f'(u(x))·u'(x) is the derivative of the whole
    positive = sympy.Symbol("x", positive=True)  # the points are; |x + 3|' has a value
    whole = to_sympy(chain.expr, {"x": positive})
    assert _equal(sympy.diff(whole, positive), to_sympy(chain.result, {"x": positive}),
                  positive, (0.4, 1.1))  # fmt: skip
    assert inner.expr == u


@pytest.mark.parametrize(
    ("source", "outer_line", "inner_line"),
    [
        ("sin(x^2)", "d/du sin(u) = cos(u)", "du/dx = d/dx x² = 2x"),
        ("cos(x^3)", "d/du cos(u) = −sin(u)", "du/dx = d/dx x³ = 3x²"),
        ("e^(5x)", "d/du eᵘ = eᵘ", "du/dx = d/dx [5x] = 5"),
        ("u sin(x^2)", "d/dv sin(v) = cos(v)", "dv/dx = d/dx x² = 2x"),  # u is taken
    ],
)
def test_the_chain_rule_reads_in_u_then_du_dx_then_the_product(
    source: str, outer_line: str, inner_line: str
) -> None:
    result = deriv(source, "--plain")
    lines = [line.strip() for line in result.stdout.splitlines()]
    working = [line.split("  ")[-1].strip() for line in lines]
    assert outer_line in working and inner_line in working
    assert working.index(outer_line) < working.index(inner_line)
    # never the classic mistake: d/dx sin(x²) = cos(x²)
    assert not any(re.fullmatch(r"d/dx (sin|cos)\(x.\) = (−)?(sin|cos)\(x.\)", w) for w in working)


@pytest.mark.parametrize(
    ("source", "statement"),
    [
        ("x^2 sin(x)", "(fg)' = f'g + fg', with f = x², g = sin(x)"),
        ("e^x ln(x) cos(x)", "(fgh)' = f'gh + fg'h + fgh', with f = eˣ, g = ln(x), h = cos(x)"),
        ("x/sin(x)", "(f/g)' = (f'g − fg')/g², with f = x, g = sin(x)"),
        ("ln(x)/(x^2 + 1)", "(f/g)' = (f'g − fg')/g², with f = ln(x), g = x² + 1"),
    ],
)
def test_product_and_quotient_rules_name_their_parts(source: str, statement: str) -> None:
    table = steps_table("x", listed_steps(derive(parse_expr(source), "x")))
    working = [line for _, cell in table.rows for line in str(cell).splitlines()]
    assert statement in working
    for name in statement.split("with ")[1].split(", "):
        assert any(line.startswith(f"{name[0]}' = d/dx ") for line in working)


@pytest.mark.parametrize("source", ["x^x", "x^sin(x)", "(x^2 + 1)^x", "sin(x)^cos(x)", "x^(1/x)"])
def test_logarithmic_differentiation_goes_through_ln_y(source: str) -> None:
    step = derive(parse_expr(source), "x").steps
    assert step.rule == "logarithmic differentiation"
    (label_ln, _, ln_y), (label_ratio, _, ratio) = step.working
    assert (label_ln, label_ratio) == ("ln y", "y'/y")
    f = _sympy(parse_expr(source))
    points = (0.5, 1.3)  # where the base is positive
    assert _equal(sympy.log(f), _sympy(ln_y), X, points)
    assert _equal(sympy.diff(sympy.log(f), X), _sympy(ratio), X, points)
    shown = deriv(source, "--plain").stdout
    assert "ln y = g ln f = " in shown and "y'/y = g' ln f + g f'/f = " in shown


@pytest.mark.parametrize("name", ["x", "t", "a"])
def test_repeated_factors_never_print_as_one_name(name: str) -> None:
    from deriv_lecture.core.syntax.printer import to_pretty
    from deriv_lecture.core.syntax.tree import Mul, Num, Sym

    two = Num(Fraction(2))
    assert to_pretty(Mul((two, Sym(name), Sym(name)))) == f"2{name}·{name}"
    assert to_pretty(Mul((Sym(name), Sym("y")))) == f"{name}·y"  # never read back as a name


LONG = [
    "x/sqrt(x^2+4)", "sin(x)^cos(x)", "(3x-1)^4 (2x+5)^3", "atan((1+x)/(1-x))",
    "ln(sec(x) + tan(x))", "e^(sin(x^2)) cos(x^3) / (1 + x^2)^(3/2)",
    "sqrt(1 + sqrt(1 + sqrt(1 + x^2)))", "x^x^x", "(x^2 + 3x + 1)^7 sin(5x) / ln(x^2 + 1)",
]  # fmt: skip


@pytest.mark.parametrize("source", LONG)
def test_plain_steps_fit_80_columns_and_rule_names_stay_whole(source: str) -> None:
    derivation = derive(parse_expr(source), "x")
    table = steps_table("x", listed_steps(derivation))
    shown = deriv(source, "--plain").stdout
    block = shown[shown.index("Steps: d/dx") :].splitlines()
    assert all(len(line) <= WIDTH for line in block), max(block, key=len)
    width = max(len("  " * d + r) for d, (r, _) in zip(table.indent, table.rows, strict=True))
    for line in block[2:]:
        rule = line[:width].strip()
        assert rule == "" or rule in RULE_NAMES, line


@settings(max_examples=examples(300), deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(["x²", "sin(x)", "(x + 1)", "√(x² + 4)", "2x", "eˣ", "ln(x)"]),
        min_size=1,
        max_size=14,
    ),
    st.lists(st.sampled_from([" + ", " − ", " · ", " = ", ", "]), min_size=13, max_size=13),
    st.integers(24, 70),
)
def test_wrapping_keeps_every_character_and_the_width(
    atoms: list[str], joins: list[str], width: int
) -> None:
    text = "".join(a + j for a, j in zip(atoms, joins, strict=False)) + atoms[-1]
    lines = wrap_formula(text, width)
    assert all(len(line) <= width for line in lines)
    rejoined = lines[0] + "".join(" " + line.removeprefix(CONTINUATION) for line in lines[1:])
    assert rejoined.replace(" ", "") == text.replace(" ", "")
    # a continuation starts with an operator or follows a comma, where there was one
    for before, after in itertools.pairwise(lines):
        head = after.removeprefix(CONTINUATION)
        assert head[0] in "+−·=" or before.endswith(",") or " " not in text[: width + 1]
