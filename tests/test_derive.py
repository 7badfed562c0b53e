"""core.calculus.derive: the main job end to end, and its bounds on what it will print."""

from __future__ import annotations

import pytest
import sympy

from deriv_lecture.core.calculus.derive import (
    MAX_DERIVATIVE_NODES,
    MAX_STEP_NODES,
    choose_variable,
    derive,
    listed_steps,
)
from deriv_lecture.core.calculus.steps import flatten
from deriv_lecture.core.errors import DomainError, LimitError, UsageError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.parser import parse_expr as read
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.printer import to_input as written
from deriv_lecture.core.syntax.tree import size
from tests.conftest import nested_text, product_text


@pytest.mark.parametrize(
    ("source", "requested", "chosen"),
    [("x^2 + a", None, "x"), ("sin(t - tau)", "t", "t"), ("t^2", None, "t"), ("5", None, "x")],
)
def test_the_variable(source: str, requested: str | None, chosen: str) -> None:
    assert choose_variable(parse_expr(source), requested) == chosen


def test_several_symbols_without_var_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--var"):
        choose_variable(parse_expr("a t + b"), None)


def test_a_derivative_too_big_to_print_is_refused_with_its_size() -> None:
    # 300 factors: 300 terms of 299 factors, each (x + i) three nodes: ~270,000 nodes.
    with pytest.raises(LimitError) as caught:
        derive(parse_expr(product_text(300)), "x")
    nodes = int(caught.value.message.split(" nodes")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert nodes > MAX_DERIVATIVE_NODES and f"{MAX_DERIVATIVE_NODES:,}" in caught.value.message


def test_a_big_derivative_under_the_limit_is_given_in_full() -> None:
    derivation = derive(parse_expr(product_text(150)), "x")
    assert MAX_DERIVATIVE_NODES // 10 < size(derivation.derivative) <= MAX_DERIVATIVE_NODES
    assert to_input(derivation.derivative).count("+") > 150 * 100


def test_small_derivations_list_every_step_then_the_simplification() -> None:
    derivation = derive(parse_expr("x(x+2)(x-2)"), "x")
    listing = listed_steps(derivation)
    assert listing.omitted == 0 and listing.note is None
    assert [step for _, step in listing.rows[:-1]] == [s for _, s in flatten(derivation.steps)]
    last = listing.rows[-1][1]
    assert last.rule == "simplify" and to_input(last.result) == "3*x^2 - 4"


def test_deep_chains_list_a_prefix_of_the_steps_within_the_budget() -> None:
    # Each chain-rule step repeats the composition below it: the steps total ~n³ nodes.
    derivation = derive(parse_expr(nested_text(150)), "x")
    every = list(flatten(derivation.steps))
    listing = listed_steps(derivation)
    assert listing.omitted > 0 and listing.note is not None and str(listing.omitted) in listing.note
    assert len(listing.rows) + listing.omitted == len(every) + 1  # + the simplification
    assert list(listing.rows) == every[: len(listing.rows)]
    printed = sum(size(step.expr) + size(step.result) for _, step in listing.rows)
    assert printed <= MAX_STEP_NODES


@pytest.mark.parametrize(
    ("source", "part"),
    [
        ("x sqrt(cos(2))", "sqrt(cos(2))"),
        ("x + ln(-1)", "ln(-1)"),
        ("x^2 + (-8)^(1/3)", "(-8)^(1/3)"),
    ],
)
def test_a_part_with_no_value_leaves_f_defined_nowhere(source: str, part: str) -> None:
    with pytest.raises(DomainError, match="no value anywhere") as caught:
        derive(parse_expr(source), "x")
    assert part in caught.value.message


@pytest.mark.parametrize("source", ["x if x > 0 else ln(-1)", "x + 10^10^10", "x/(1 - 1 + x)"])
def test_parts_that_are_not_always_needed_or_are_only_big_are_fine(source: str) -> None:
    assert derive(parse_expr(source), "x").derivative is not None


# -- printed derivatives assert nothing where f' does not exist ------------------------------


@pytest.mark.parametrize(
    ("source", "boundary", "left_piece", "right_piece"),
    [("x^2 if x >= 0 else x", 0.0, "x", "x**2"), ("max(0, x)", 0.0, "0", "x"),
     ("max(x, 0)", 0.0, "0", "x"), ("relu(x)", 0.0, "0", "x"),
     ("min(x, 1 - x)", 0.5, "x", "1 - x"), ("3x if x < 1 else x^2 + 2", 1.0, "3*x", "x**2 + 2")],
)  # fmt: skip
def test_the_printed_derivative_leaves_kinks_out(
    source: str, boundary: float, left_piece: str, right_piece: str
) -> None:
    x = sympy.Symbol("x", real=True)
    a = sympy.nsimplify(boundary)
    pieces = [sympy.sympify(p, locals={"x": x}) for p in (left_piece, right_piece)]
    slopes = [
        sympy.limit(sympy.diff(p, x), x, a, side) for p, side in zip(pieces, "-+", strict=True)
    ]
    assert slopes[0] != slopes[1]  # SymPy: the one-sided slopes differ, no f' at the boundary
    derivation = derive(read(source), "x")
    printed = read(written(derivation.derivative))  # the JSON form parses back ...
    with pytest.raises(DomainError):
        evaluate(printed, {"x": boundary})  # ... and has no value at the kink
    for piece, offset in zip(pieces, (-0.25, 0.25), strict=True):  # elsewhere: the piece's slope
        point = boundary + offset
        truth = float(sympy.diff(piece, x).subs(x, sympy.nsimplify(point)))
        assert evaluate(printed, {"x": point}) == pytest.approx(truth)
    assert any("does not exist" in note for note in derivation.notes)


def test_max_written_either_way_has_one_derivative() -> None:
    first, second = (derive(read(s), "x").derivative for s in ("max(0, x)", "max(x, 0)"))
    for point in (-1.5, -0.1, 0.1, 2.0):
        assert evaluate(first, {"x": point}) == evaluate(second, {"x": point})
    for derivative in (first, second):
        with pytest.raises(DomainError):
            evaluate(derivative, {"x": 0.0})


def test_where_pieces_meet_smoothly_the_note_gives_fprime() -> None:
    derivation = derive(read("x^2 if x >= 0 else x^3"), "x")
    assert "f'(0) = 0: the pieces meet smoothly there" in derivation.notes
