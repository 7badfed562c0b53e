"""`deriv backprop` through Click's test runner."""

import json

from tests.cli.inprocess import deriv


def test_sigmoid_at_zero() -> None:
    result = deriv("backprop", "1/(1 + e^-x)", "--at", "0", "--plain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for module in ("u₁  u₁ = −x", "u₂  u₂ = e^u₁", "u₃  u₃ = 1 + u₂", "y   y = 1/u₃"):
        assert module in lines
    table = lines[lines.index("module  formula  value") + 1 :]
    forward = {row.split()[0]: row.split()[-1] for row in table[: table.index("")]}
    assert forward == {"x": "0", "u₁": "0", "u₂": "1", "u₃": "2", "y": "0.5"}
    final = next(
        line
        for line in lines
        if line.split() and line.split()[0] == "dy/dx" and len(line.split()) == 2
    )
    assert final.split()[1] == "0.25"
    assert "dy/dx = y(1 − y)" in result.stdout
    assert "✓ the backward pass and the rule engine agree" in result.stdout


def test_json_values_and_gradients() -> None:
    result = deriv("backprop", "1/(1 + e^-x)", "--at", "0", "--json")
    document = json.loads(result.stdout)
    values = {m["name"]: m["value"] for m in document["modules"]}
    assert values == {"u1": 0, "u2": 1, "u3": 2, "y": 0.5}
    gradients = {m["name"]: m["gradient"] for m in document["modules"]}
    assert gradients == {"u1": -0.25, "u2": -0.25, "u3": -0.25, "y": 1.0}
    assert document["dy_dx"] == 0.25 and document["value"] == 0.25
    assert document["in_terms_of_y"] == "y*(1 - y)" and document["agrees"] is True
    assert [(s["from"], s["to"]) for s in document["backward"]] == [
        ("y", "u3"), ("u3", "u2"), ("u2", "u1"), ("u1", "x"),
    ]  # fmt: skip


def test_x_sin_x_shows_two_contributions() -> None:
    result = deriv("backprop", "x sin(x)", "--at", "1", "--plain")
    assert "x is used 2 times" in result.stdout
    assert "dy/dx += dy/du₁ · ∂u₁/∂x" in result.stdout
    document = json.loads(deriv("backprop", "x sin(x)", "--at", "1", "--json").stdout)
    into_x = [s["contribution"] for s in document["backward"] if s["to"] == "x"]
    assert len(into_x) == 2 and abs(sum(into_x) - document["dy_dx"]) < 1e-15


def test_merge_and_symbolic() -> None:
    result = deriv("backprop", "1/(1 + e^-x)", "--merge", "1-2,3-4", "--json")
    document = json.loads(result.stdout)
    assert [m["formula"] for m in document["modules"]] == ["e^(-x)", "1/(1 + u1)"]
    assert document["dy_dx"] == "e^(-x)/(1 + e^(-x))^2"


def test_bad_merge_exits_2() -> None:
    result = deriv("backprop", "1/(1 + e^-x)", "--merge", "3-9")
    assert result.exit_code == 2 and "numbered 1 to 4" in result.stderr
