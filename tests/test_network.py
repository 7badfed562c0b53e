"""Backpropagation with many inputs (core/tasks/network.py, cli/network.py): every input's
gradient from one backward pass against SymPy's partial derivatives computed here, the
patterns of backward flow, shared nodes summed with +=, kinks where no gradient is
claimed, and the command's JSON and pictures."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.problem import read_several
from deriv_lecture.core.referee.timebox import budget
from deriv_lecture.core.tasks.backprop import Contribution, Graph, Pass, decompose, run_numeric
from deriv_lecture.core.tasks.network import DISTRIBUTES, ROUTES, SIGMOID, SWAPS, network
from tests.cli.inprocess import deriv
from tests.conftest import examples


def sympy_gradient(f: sympy.Expr, point: dict[str, float]) -> dict[str, float]:
    symbols = {s.name: s for s in f.free_symbols}
    at = {symbols[k]: sympy.nsimplify(v) for k, v in point.items() if k in symbols}
    return {k: float(sympy.diff(f, symbols[k]).subs(at).evalf(30)) if k in symbols else 0.0
            for k in point}  # fmt: skip


W0, X0, W1, X1, W2 = sympy.symbols("w0 x0 w1 x1 w2", real=True)
X, Y, Z, W = sympy.symbols("x y z w", real=True)


def run(source: str, at: str, seconds: float = 0):  # type: ignore[no-untyped-def]
    """The engine's own passes (SymPy's truth is the test's); at a kink the one-sided
    partials may need SymPy's limits: seconds > 0 gives it time."""
    from deriv_lecture.core.syntax.lists import parse_point

    names = ",".join(parse_point(at))  # type: ignore[arg-type]
    with budget(seconds):
        return network(read_several(source, names, None, at, {}))


@pytest.mark.parametrize(
    ("source", "f", "at"),
    [
        ("1/(1 + e^-(w0 x0 + w1 x1 + w2))", 1 / (1 + sympy.exp(-(W0 * X0 + W1 * X1 + W2))),
         {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}),  # CS231n's neuron
        ("sigmoid(w0 x0 + w1 x1 + w2)", 1 / (1 + sympy.exp(-(W0 * X0 + W1 * X1 + W2))),
         {"w0": 0.5, "x0": 1.5, "w1": -1, "x1": 0.25, "w2": 0.1}),
        ("(x y + max(z, w)) 2", (X * Y + sympy.Max(Z, W)) * 2, {"x": 3, "y": -4, "z": 2, "w": -1}),
        ("x y + sin(x y) + x", X * Y + sympy.sin(X * Y) + X, {"x": 0.7, "y": -1.2}),
        ("(x + y)(x - y) + x^2 z", (X + Y) * (X - Y) + X**2 * Z, {"x": 1.5, "y": 0.5, "z": 2}),
    ],
)  # fmt: skip
def test_every_inputs_gradient_is_sympys_partial(source: str, f: sympy.Expr, at: dict) -> None:
    text = ",".join(f"{k}={v}" for k, v in at.items())
    result = run(source, text)
    truth = sympy_gradient(f, {k: float(v) for k, v in at.items()})
    assert result.numeric is not None and result.differentiable is True
    for name, expected in truth.items():
        assert float(result.numeric.gradients.get(name, 0.0)) == pytest.approx(expected, rel=1e-12)
    assert result.agrees is True


def test_the_patterns_of_backward_flow_are_named() -> None:
    result = run("(x y + max(z, w)) 2 + sigmoid(x)", "x=3,y=-4,z=2,w=-1")
    patterns = set((result.patterns or {}).values())
    assert {DISTRIBUTES, SWAPS, ROUTES, SIGMOID} <= patterns
    numeric = result.numeric
    assert numeric is not None
    swaps = [m for m in result.graph.modules if (result.patterns or {}).get(m.name) == SWAPS]
    for module in swaps:  # a multiply gate: each input gets the other's value × upstream
        a, b = module.inputs
        upstream = float(numeric.gradients[module.name])
        mine = [c for c in numeric.contributions if c.source == module.name]
        assert {c.to: c.amount for c in mine} == pytest.approx(
            {a: upstream * numeric.values[b], b: upstream * numeric.values[a]}
        )
    # max routes everything to the larger input (z = 2 > w = −1) and 0 to the other
    assert float(numeric.gradients["w"]) == 0.0 and float(numeric.gradients["z"]) == 2.0


def test_a_node_read_twice_sums_its_contributions() -> None:
    result = run("x y + sin(x y) + x", "x=0.7,y=-1.2")
    numeric = result.numeric
    assert numeric is not None
    into_x = [c for c in numeric.contributions if c.to == "x"]
    assert len(into_x) == 2  # from x·y and from the sum
    assert float(numeric.gradients["x"]) == pytest.approx(sum(float(c.amount) for c in into_x))


def overwriting_pass(graph: Graph, at: dict[str, float]) -> Pass:
    """The classic hand-written autograd mistake, for the mutation test: `=` where the
    backward pass must `+=`, so a node read twice keeps only its last contribution."""
    values = dict(at)
    for module in graph.modules:
        values[module.name] = evaluate(module.formula, values)
    gradients: dict[str, float] = {graph.output: 1.0}
    contributions = []
    for module in reversed(graph.modules):
        upstream = gradients.get(module.name, 0.0)
        for name, local in zip(module.inputs, module.local, strict=True):
            amount = upstream * evaluate(local, values)
            gradients[name] = amount  # the mutation: = instead of +=
            contributions.append(Contribution(module.name, name, upstream, 0.0, amount))
    return Pass(values, dict(gradients), tuple(contributions))


LEAVES = ["x", "y", "z"]


def random_graph(rng: random.Random) -> tuple[str, sympy.Expr]:
    """A random expression over x, y, z with a shared sub-expression used twice."""
    names = {"x": X, "y": Y, "z": Z}
    a, b = rng.sample(LEAVES, 2)
    shared_text, shared = f"({a} {b} + {rng.randint(1, 3)})", names[a] * names[b]
    shared = shared + sympy.Integer(int(shared_text.split("+ ")[1].rstrip(")")))
    ops = [
        (f"sin({shared_text})", sympy.sin(shared)),
        (f"{shared_text}^2", shared**2),
        (f"e^(-{shared_text} {rng.choice(LEAVES)})", None),
        (f"{rng.choice(LEAVES)} {shared_text}", None),
    ]
    parts = rng.sample(ops, 3)
    text = " + ".join(p for p, _ in parts)
    from deriv_lecture.core.referee.crosscheck import to_sympy
    from deriv_lecture.core.syntax.parser import parse_expr

    return text, to_sympy(parse_expr(text), {"x": X, "y": Y, "z": Z})


@settings(max_examples=examples(150, least=10), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.integers(0, 10**6))
def test_random_graphs_with_shared_nodes_give_sympys_gradients(seed: int) -> None:
    rng = random.Random(seed)
    text, f = random_graph(rng)
    point = {"x": 0.3 + rng.random(), "y": -0.8 + rng.random(), "z": 0.1 + rng.random()}
    with budget(0):
        graph = decompose(__import__("deriv_lecture.core.syntax.parser", fromlist=["x"])
                          .parse_expr(text), ("x", "y", "z"))  # fmt: skip
    passed = run_numeric(graph, point, {})
    truth = sympy_gradient(f, point)
    for name in LEAVES:
        assert float(passed.gradients.get(name, 0.0)) == pytest.approx(truth[name], rel=1e-9,
                                                                          abs=1e-12)  # fmt: skip


def test_the_property_catches_an_overwriting_backward_pass() -> None:
    """The mutation: with = instead of +=, the same comparison fails on a shared node."""
    from deriv_lecture.core.syntax.parser import parse_expr

    text = "sin(x y + 1) + (x y + 1)^2"
    f = sympy.sin(X * Y + 1) + (X * Y + 1) ** 2
    point = {"x": 0.4, "y": -0.9, "z": 0.0}
    graph = decompose(parse_expr(text), ("x", "y"))
    truth = sympy_gradient(f, point)
    right = run_numeric(graph, {"x": 0.4, "y": -0.9}, {})
    wrong = overwriting_pass(graph, {"x": 0.4, "y": -0.9})
    assert float(right.gradients["x"]) == pytest.approx(truth["x"])
    assert float(wrong.gradients["x"]) != pytest.approx(truth["x"])


@pytest.mark.parametrize(
    ("source", "at", "kinked"),
    [("relu(w x + b)", "w=1,x=2,b=-2", ("w", "x", "b")),
     ("max(x, y) + x y", "x=1,y=1", ("x", "y"))],
)  # fmt: skip
def test_at_a_kink_no_gradient_is_claimed_and_the_one_sided_partials_are_sympys(
    source: str, at: str, kinked: tuple[str, ...]
) -> None:
    result = run(source, at, seconds=5)
    assert result.differentiable is False and result.conventions
    from deriv_lecture.core.referee.crosscheck import to_sympy
    from deriv_lecture.core.syntax.lists import parse_point
    from deriv_lecture.core.syntax.parser import parse_expr

    point = {k: float(evaluate(v, {})) for k, v in parse_point(at).items()}  # type: ignore[union-attr]
    symbols = {k: sympy.Symbol(k, real=True) for k in point}
    f = to_sympy(parse_expr(source), dict(symbols))
    h = sympy.Symbol("h", positive=True)
    for k, at_k in zip(result.graph.inputs, result.along, strict=True):
        if k not in kinked:
            continue
        analysis = at_k.analysis
        moved = {s: sympy.nsimplify(point[n]) for n, s in symbols.items()}
        base = f.subs(moved)
        right = sympy.limit((f.subs({**moved, symbols[k]: moved[symbols[k]] + h}) - base) / h, h, 0)
        left = sympy.limit((base - f.subs({**moved, symbols[k]: moved[symbols[k]] - h})) / h, h, 0)
        assert analysis is not None and not analysis.differentiable
        assert analysis.left is not None and analysis.right is not None
        assert analysis.left.value == pytest.approx(float(left))
        assert analysis.right.value == pytest.approx(float(right))


def test_without_a_point_the_passes_run_on_formulas() -> None:
    with budget(0):
        result = network(read_several("x y + x^2 sin(y)", "x,y", None, None, {}))
    from deriv_lecture.core.referee.crosscheck import to_sympy

    f = X * Y + X**2 * sympy.sin(Y)
    for name, symbol in (("x", X), ("y", Y)):
        ours = to_sympy(result.symbolic.gradients[name], {"x": X, "y": Y})  # type: ignore[arg-type]
        assert sympy.simplify(ours - sympy.diff(f, symbol)) == 0
    assert result.agrees is True


# -- the command --------------------------------------------------------------------------
def test_json_has_inputs_gradients_differentiable_and_patterns() -> None:
    out = deriv("backprop", "1/(1 + e^-(w0 x0 + w1 x1 + w2))", "--at",
                "w0=2,x0=-1,w1=-3,x1=-2,w2=-3", "--json")  # fmt: skip
    assert out.exit_code == 0
    doc = json.loads(out.stdout)
    truth = sympy_gradient(1 / (1 + sympy.exp(-(W0 * X0 + W1 * X1 + W2))),
                           {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3})  # fmt: skip
    assert doc["inputs"] == ["w0", "x0", "w1", "x1", "w2"] and doc["differentiable"] is True
    assert doc["gradients"] == {k: pytest.approx(v) for k, v in truth.items()}
    assert {m.get("pattern") for m in doc["modules"]} >= {"swaps", "distributes"}
    assert doc["sympy_agrees"] is True and doc["agrees"] is True


def test_a_kink_in_json_claims_no_gradient() -> None:
    doc = json.loads(deriv("backprop", "relu(w x + b)", "--at", "w=1,x=2,b=-2", "--json").stdout)
    assert doc["differentiable"] is False and doc["gradients"] == {"w": None, "x": None, "b": None}
    assert doc["one_sided"]["w"] == {"left": 0.0, "right": 2.0} and doc["conventions"]


def test_the_terminal_shows_the_graph_the_passes_and_every_node(tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    out = deriv("backprop", "max(x, y) + x y + sin(x)", "--at", "x=1,y=2",
                "--save-plot", str(target))  # fmt: skip
    assert out.exit_code == 0, out.output
    for words in ("Data flow", "x ─┬→", "└→", "Backward pass", "data (forward) | grad",
                  "routes", "swaps", "forks into"):  # fmt: skip
        assert words in out.stdout, words
    assert ET.parse(target).getroot().tag.endswith("svg")
    assert "grad" in target.read_text(encoding="utf-8")


def test_the_one_variable_lecture_output_keeps_its_keys() -> None:
    doc = json.loads(deriv("backprop", "1/(1 + e^-x)", "--at", "0", "--json").stdout)
    assert doc["var"] == "x" and doc["dy_dx"] == pytest.approx(0.25) and "inputs" not in doc


def test_sympys_verdict_on_many_partials_judges_each_shape_and_catches_one_wrong() -> None:
    """Partials that differ only by their symbols' names are judged once; a wrong one has a
    shape of its own and is caught, among many right ones."""
    from deriv_lecture.core.calculus.derive import derive
    from deriv_lecture.core.referee.matrices import sympy_partials_verdict
    from deriv_lecture.core.syntax.parser import parse_expr

    pieces = [parse_expr(f"tanh(w{i} x{i} + b)") for i in range(12)]
    right = tuple((p, f"w{i}", derive(p, f"w{i}").derivative) for i, p in enumerate(pieces))
    layer = parse_expr(" + ".join(f"tanh(w{i} x{i} + b)" for i in range(12)))
    whole = (layer, "b", derive(layer, "b").derivative)  # a sum: judged term by term
    assert sympy_partials_verdict((*right, whole)).agrees is True
    wrong = list(right)
    wrong[7] = (pieces[7], "w7", parse_expr("x7 (1 + tanh(w7 x7 + b)^2)"))  # a sign off
    assert sympy_partials_verdict((*wrong, whole)).agrees is False
    off = (layer, "b", parse_expr(" + ".join(f"sech(w{i} x{i} + b)^2" for i in range(11))))
    assert sympy_partials_verdict((*right, off)).agrees is False  # one term short


@pytest.mark.parametrize(
    ("source", "at"),
    [("relu(w x + b)", "w=1,x=2,b=-2"), ("max(x, y) + x y", "x=1,y=1"),
     ("abs(x - y) z", "x=2,y=2,z=3"), ("x y + sin(x)", "x=1,y=2")],
)  # fmt: skip
def test_without_sympys_time_a_verdict_is_the_same_or_undecided(source: str, at: str) -> None:
    full, none = run(source, at, seconds=5), run(source, at, seconds=0)
    assert none.differentiable in (full.differentiable, None)
    if none.differentiable:
        assert none.numeric is not None and full.numeric is not None
        assert none.numeric.gradients == full.numeric.gradients


def test_a_deep_recurrence_checks_its_untidied_partials_against_mpmath() -> None:
    """x ↦ tanh(w x + b) 40 times: the rules' partials (thousands of nodes) are compared with
    the pass untidied, and every gradient is mpmath's derivative to 30 digits."""
    import mpmath

    from deriv_lecture.core.syntax.tree import size
    from deriv_lecture.core.tasks.network import TIDY_NODES

    source = "x"
    for _ in range(40):
        source = f"tanh(w ({source}) + b)"
    result = run(source, "w=0.5,b=0.1,x=0.3")
    assert any(not d.simplified and size(d.derivative) > TIDY_NODES for d in result.partials)
    assert result.agrees is True and result.numeric is not None

    def f(w: object, b: object, x: object) -> object:
        for _ in range(40):
            x = mpmath.tanh(w * x + b)  # type: ignore[operator]
        return x

    with mpmath.workdps(30):  # not mp.dps = 30: that would stay set for later tests
        point = [mpmath.mpf("0.5"), mpmath.mpf("0.1"), mpmath.mpf("0.3")]
        truths = {}
        for k, name in enumerate(("w", "b", "x")):
            order = [0, 0, 0]
            order[k] = 1
            truths[name] = float(mpmath.diff(f, point, tuple(order)))
    for name, truth in truths.items():
        assert float(result.numeric.gradients[name]) == pytest.approx(truth, rel=1e-9, abs=1e-30)
