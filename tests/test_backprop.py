"""core/tasks/backprop.py: modules, forward values and backward gradients, checked against the
rule engine and SymPy on the lecture's chain-rule examples and on random expressions."""

import pytest
import sympy
from hypothesis import HealthCheck, given, settings

from deriv_lecture.core.calculus.derive import derive
from deriv_lecture.core.errors import LimitError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.precise import decimal
from deriv_lecture.core.problem import Point, Problem, read_problem
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import Expr, Sym, depends_on, substitute
from deriv_lecture.core.tasks.backprop import (
    decompose,
    merge,
    parse_groups,
    run_numeric,
    run_symbolic,
)
from deriv_lecture.core.tasks.backprop_run import backprop
from tests.conftest import examples, nested_text
from tests.test_properties import EXPRESSIONS

CHAIN_EXAMPLES = [("cos(x^3)", 1.0), ("sin(t - tau)", 0.5), ("(a - x)^2", 1.0),
                  ("1/(1 + e^-x)", 0.0), ("x sin(x)", 1.0), ("e^x ln(x)", 1.3),
                  ("sin(x)^2 + sin(x)", 0.7)]  # fmt: skip
LETS = {"a": 3.0, "tau": 0.4}


def test_sigmoid_is_the_lectures_four_modules() -> None:
    graph = decompose(parse_expr("1/(1 + e^-x)"), "x")
    assert [(m.name, to_input(m.formula)) for m in graph.modules] == [
        ("u1", "-x"), ("u2", "e^u1"), ("u3", "1 + u2"), ("y", "1/u3"),
    ]  # fmt: skip
    assert [to_input(d) for m in graph.modules for d in m.local] == [
        "-1", "e^u1", "1", "-1/u3^2",
    ]  # fmt: skip
    forward = run_numeric(graph, 0.0, {})
    assert [forward.values[n] for n in ("u1", "u2", "u3", "y")] == [0, 1, 2, 0.5]
    assert [forward.gradients[n] for n in ("u3", "u2", "u1", "x")] == [-0.25, -0.25, -0.25, 0.25]


def test_sigmoid_symbolic_backward_pass_matches_the_lecture() -> None:
    graph = decompose(parse_expr("1/(1 + e^-x)"), "x")
    gradients = run_symbolic(graph).gradients
    assert to_input(gradients["u3"]) == "-1/(1 + e^(-x))^2"
    assert to_input(gradients["u1"]) == "-e^(-x)/(1 + e^(-x))^2"
    assert to_input(gradients["x"]) == "e^(-x)/(1 + e^(-x))^2"


def test_merged_modules_give_the_same_derivative() -> None:
    graph = merge(decompose(parse_expr("1/(1 + e^-x)"), "x"), parse_groups("1-2,3-4"))
    assert [(m.name, to_input(m.formula)) for m in graph.modules] == [
        ("u1", "e^(-x)"), ("y", "1/(1 + u1)"),
    ]  # fmt: skip
    assert to_input(graph.modules[0].local[0]) == "-e^(-x)"
    assert run_numeric(graph, 0.0, {}).gradients["x"] == 0.25
    assert to_input(run_symbolic(graph).gradients["x"]) == "e^(-x)/(1 + e^(-x))^2"


def test_local_derivatives_in_terms_of_the_output() -> None:
    graph = decompose(parse_expr("1/(1 + e^-x)"), "x")
    own = {m.name: m.local_in_output[0] for m in graph.modules}
    assert own["u2"] == Sym("u2")  # (e^u)' = e^u itself
    assert to_input(own["y"]) == "-y^2"
    assert backprop(read_problem("1/(1 + e^-x)")).in_terms_of_y is not None


def test_a_variable_used_twice_adds_its_contributions() -> None:
    graph = decompose(parse_expr("x sin(x)"), "x")
    result = run_numeric(graph, 1.0, {})
    into_x = [c.amount for c in result.contributions if c.to == "x"]
    assert len(into_x) == 2
    assert result.gradients["x"] == pytest.approx(sum(into_x))  # type: ignore[arg-type]
    assert result.gradients["x"] == pytest.approx(
        evaluate(derive(parse_expr("x sin(x)"), "x").derivative, {"x": 1.0})
    )


def test_shared_sub_expressions_are_one_module() -> None:
    graph = decompose(parse_expr("sin(x)^2 + sin(x)"), "x")
    assert [to_input(m.formula) for m in graph.modules].count("sin(x)") == 1


@pytest.mark.parametrize(
    ("spec", "fragment"), [("1-9", "numbered 1 to 4"), ("1-2,2-3", "overlap"), ("a", "ranges")]
)
def test_bad_merges(spec: str, fragment: str) -> None:
    graph = decompose(parse_expr("1/(1 + e^-x)"), "x")
    with pytest.raises(UsageError, match=fragment):
        merge(graph, parse_groups(spec))


def test_a_merge_that_hides_a_shared_module_is_refused() -> None:
    graph = decompose(parse_expr("sin(x)^2 + sin(x)"), "x")
    with pytest.raises(UsageError, match="also reads"):
        merge(graph, parse_groups("1-2"))


def sympy_gradient(expr: Expr, var: str, graph, name: str, values: dict[str, float]) -> float:  # type: ignore[no-untyped-def]
    """dy/d(name) by SymPy: name's uses replaced by a fresh symbol s, the rest in x."""
    s = "s_0"
    rebuilt: dict[str, Expr] = {}
    for module in graph.modules:
        formula = module.formula
        for done, value in rebuilt.items():
            formula = substitute(formula, done, Sym(s) if done == name else value)
        if name == var:
            formula = substitute(formula, var, Sym(s))
        rebuilt[module.name] = formula
    symbols: dict[str, sympy.Symbol] = {}
    y = to_sympy(rebuilt["y"], symbols)
    point = values[name]
    subs = {symbols[k]: v for k, v in {**LETS, var: values[var]}.items() if k in symbols}
    subs[symbols[s]] = point
    return float(sympy.diff(y, symbols[s]).evalf(subs=subs))


@pytest.mark.parametrize(("source", "at"), CHAIN_EXAMPLES)
def test_every_value_and_gradient_against_the_engine_and_sympy(source: str, at: float) -> None:
    expr = parse_expr(source)
    var = "t" if source.startswith("sin(t") else "x"
    graph = decompose(expr, var)
    result = run_numeric(graph, at, LETS)
    for module in graph.modules:  # forward: every value is the expansion's value
        expanded = evaluate(graph.expansions[module.name], {**LETS, var: at})
        assert result.values[module.name] == pytest.approx(expanded, rel=1e-12)
    for name in [var, *(m.name for m in graph.modules[:-1])]:  # backward: every gradient
        expected = sympy_gradient(expr, var, graph, name, result.values)
        assert result.gradients[name] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    engine = evaluate(derive(expr, var).derivative, {**LETS, var: at})
    assert result.gradients[var] == pytest.approx(engine, rel=1e-12, abs=1e-14)
    lets = Point.of({k: parse_expr(str(v)) for k, v in LETS.items()})
    assert backprop(Problem((expr,), (var,), Point.of({var: parse_expr(str(at))}), lets)).agrees


@settings(max_examples=examples(300), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
@given(EXPRESSIONS.filter(lambda e: e != Sym("x") and depends_on(e, "x")))
def test_random_expressions_backward_equals_the_engine(expr: Expr) -> None:
    graph = decompose(expr, "x")
    try:
        result = run_numeric(graph, 0.37, {"a": 0.7})
        engine = evaluate(derive(expr, "x").derivative, {"a": 0.7, "x": 0.37})
    except Exception as error:  # outside a domain: nothing to compare
        assert type(error).__name__ in ("DomainError", "MathError")
        return
    gradient = float(result.gradients["x"])  # type: ignore[arg-type]
    assert gradient == pytest.approx(engine, rel=1e-9, abs=1e-12)


def test_a_variable_read_by_many_modules_sums_every_contribution() -> None:
    # 40 terms: x is read by 80 modules; its gradient is their sum, which SymPy checks.
    source = " + ".join(f"{i} sin({i}x) x^{i}" for i in range(1, 41))
    graph = decompose(parse_expr(source), "x")
    gradient = run_symbolic(graph).gradients["x"]
    assert not isinstance(gradient, float)
    x = sympy.Symbol("x", real=True)
    theirs = sympy.diff(to_sympy(parse_expr(source), {"x": x}), x)
    ours = to_sympy(gradient, {"x": x})
    for point in (0.3, -0.7, 1.1):
        assert float(ours.subs(x, point)) == pytest.approx(float(theirs.subs(x, point)), rel=1e-9)


def test_a_backward_pass_too_large_to_show_is_refused() -> None:
    chain = parse_expr(nested_text(60))  # 60 deep: its formulas pass MAX_BACKWARD_NODES
    with pytest.raises(LimitError, match="backward pass's formulas pass 20,000 nodes"):
        run_symbolic(decompose(chain, "x"))


def test_renumbering_after_a_merge_renames_every_module_once() -> None:
    graph = merge(decompose(parse_expr("sin(cos(tan(e^x)))"), "x"), [(1, 2)])
    assert [(m.name, to_input(m.formula)) for m in graph.modules] == [
        ("u1", "tan(e^x)"), ("u2", "cos(u1)"), ("y", "sin(u2)"),
    ]  # fmt: skip


# -- at points without a derivative, no derivative is claimed --------------------------------


@pytest.mark.parametrize(
    ("source", "point", "sym"),
    [("abs(x)", "0", "Abs(x)"), ("relu(2x - 1)", "1/2", "Max(0, 2*x - 1)"),
     ("abs(x - 3) + x^2", "3", "Abs(x - 3) + x**2"), ("relu(x) sin(x + 1)", "0",
     "Max(0, x)*sin(x + 1)"), ("2 abs(3x + 1)", "-1/3", "2*Abs(3*x + 1)")],
)  # fmt: skip
def test_backprop_at_a_kink_claims_no_derivative(source: str, point: str, sym: str) -> None:
    result = backprop(read_problem(source, "x", point))
    assert result.differentiable is False and result.rule_value is None
    assert result.estimate is None  # no central difference passed off as the limit
    assert result.conventions  # the number the backward pass gives is labelled
    x = sympy.Symbol("x", real=True)
    f = sympy.sympify(sym, locals={"x": x})
    a = sympy.Rational(point)
    for side, found in (("-", result.verdict.left), ("+", result.verdict.right)):  # type: ignore[union-attr]
        truth = sympy.limit((f - f.subs(x, a)) / (x - a), x, a, side)
        assert found is not None and decimal(found.slope) == pytest.approx(float(truth))  # type: ignore[arg-type]


def test_backprop_where_f_is_smooth_still_agrees() -> None:
    result = backprop(read_problem("relu(x) + x^2", "x", "2"))
    assert result.differentiable and result.agrees and not result.conventions
    assert result.rule_value == 5.0
