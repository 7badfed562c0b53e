"""The function table (core/functions.py): every row complete and right, each field
checked against SymPy and mpmath, never against deriv itself; and erf, the function the
lecture does not have, working everywhere from its one row."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import pytest
import sympy

from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.functions import FUNCTIONS, ROWS, Function
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.precise import precise_value
from deriv_lecture.core.referee.crosscheck import to_sympy
from deriv_lecture.core.referee.exact import from_sympy
from deriv_lecture.core.syntax.names import ALIASES, FUNCTION_ARITY, canonical_function
from deriv_lecture.core.syntax.parser import parse_expr
from deriv_lecture.core.syntax.printer import to_input, to_pretty
from deriv_lecture.core.syntax.tree import Call, Num, Sym

CANDIDATES = (0.3, 0.7, 1.4, 2.2, -0.6, -1.7, 3.1)
SECOND = {"log": 3.0, "max": 0.9, "min": 0.9}  # a second argument where one is needed
IDS = [row.name for row in ROWS]


def _points(row: Function) -> list[tuple[float, ...]]:
    """Argument tuples inside the function's real domain and away from kinks."""
    found = []
    for u in CANDIDATES:
        args = (u, SECOND[row.name]) if row.arity == 2 else (u,)
        try:
            row.value(*args)
        except (DomainError, ValueError, ZeroDivisionError):
            continue
        found.append(args)
    return found


def _sympy_of(row: Function) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    symbols = sympy.symbols("u v", real=True)[: row.arity]
    return row.sympy(sympy, *symbols), symbols


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_every_row_is_complete(row: Function) -> None:
    assert row.rule.endswith(("rule", "differentiation")) and row.arity in (1, 2)
    assert FUNCTION_ARITY[row.name] == row.arity
    assert all(canonical_function(alias) == row.name or alias == "log" for alias in row.aliases)
    assert len(_points(row)) >= 2, "no points to check it at"


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_values_match_sympy_and_mpmath(row: Function) -> None:
    expr, symbols = _sympy_of(row)
    for args in _points(row):
        truth = complex(expr.subs(dict(zip(symbols, args, strict=True))).evalf(30))
        assert abs(truth.imag) < 1e-12
        assert row.value(*args) == pytest.approx(truth.real, rel=1e-12, abs=1e-14)
        mpmath.mp.dps = 30
        assert float(row.precise(mpmath.mp, *(mpmath.mpf(a) for a in args))) == pytest.approx(
            truth.real, rel=1e-12, abs=1e-14
        )


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_one_derivative_per_argument_matches_sympy(row: Function) -> None:
    expr, symbols = _sympy_of(row)
    names = ("u", "v")[: row.arity]
    ours_args = tuple(Sym(n) for n in names)
    for i, symbol in enumerate(symbols):
        theirs = sympy.diff(expr, symbol)
        ours = row.partials[i](ours_args)
        for args in _points(row):
            if row.name in ("max", "min") and abs(args[0] - args[1]) < 1e-9:
                continue
            env = dict(zip(names, args, strict=True))
            try:
                mine = evaluate(ours, env)
            except DomainError:
                continue  # a kink: no derivative claimed there
            value = complex(theirs.subs(dict(zip(symbols, args, strict=True))).evalf(30))
            assert mine == pytest.approx(value.real, rel=1e-10, abs=1e-12), (i, args)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_sympy_both_ways_and_printing_read_back(row: Function) -> None:
    args = (Sym("x"), Num(Fraction(3))) if row.arity == 2 else (Sym("x"),)
    call = Call(row.name, args)
    assert parse_expr(to_input(call)) == call or row.name == "log"  # log_3(x) reads as log
    reread = parse_expr(to_pretty(call))
    for u, *_rest in _points(row):
        assert evaluate(reread, {"x": u}) == pytest.approx(evaluate(call, {"x": u}), rel=1e-12)
    if row.sympy_names:  # SymPy may reorder max's arguments: the same function
        back = from_sympy(to_sympy(call))
        assert isinstance(back, Call) and back.name == row.name
        for u, *_rest in _points(row):
            assert evaluate(back, {"x": u}) == pytest.approx(evaluate(call, {"x": u}), rel=1e-12)


@pytest.mark.parametrize("row", [r for r in ROWS if r.at_zero is not None], ids=lambda r: r.name)
def test_exact_values_at_zero(row: Function) -> None:
    expr, symbols = _sympy_of(row)
    assert sympy.nsimplify(expr.subs(symbols[0], 0)) == sympy.Rational(row.at_zero)  # type: ignore[arg-type]


@pytest.mark.parametrize("row", [r for r in ROWS if r.of_exp is not None], ids=lambda r: r.name)
@pytest.mark.parametrize("q", [Fraction(2), Fraction(1, 3), Fraction(5, 2)])
def test_hyperbolic_values_at_logarithms(row: Function, q: Fraction) -> None:
    expr, symbols = _sympy_of(row)
    truth = sympy.nsimplify(sympy.simplify(expr.subs(symbols[0], sympy.log(sympy.Rational(q)))))
    assert truth == sympy.Rational(row.of_exp(q))  # type: ignore[misc]


@pytest.mark.parametrize("row", [r for r in ROWS if r.reciprocal or r.ratio or r.squares],
                         ids=lambda r: r.name)  # fmt: skip
def test_identities_hold(row: Function) -> None:
    for (u,) in _points(row):
        value = row.value(u)
        if row.reciprocal:
            assert FUNCTIONS[row.reciprocal].value(u) == pytest.approx(1 / value, rel=1e-12)
        if row.ratio:
            top, bottom = (FUNCTIONS[n].value(u) for n in row.ratio)
            assert value == pytest.approx(top / bottom, rel=1e-12)
        if row.squares:
            other, sign = row.squares
            assert value**2 + sign * FUNCTIONS[other].value(u) ** 2 == pytest.approx(1)


@pytest.mark.parametrize("row", [r for r in ROWS if r.as_quotient], ids=lambda r: r.name)
def test_quotient_forms_are_the_function(row: Function) -> None:
    args = (Sym("x"), Num(Fraction(3))) if row.arity == 2 else (Sym("x"),)
    for point in _points(row):
        u = point[0]
        assert (
            evaluate(row.as_quotient(args), {"x": u})
            == pytest.approx(  # type: ignore[misc]
                row.value(u, *point[1:]), rel=1e-12
            )
        )


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_outside_the_guards_there_is_no_value(row: Function) -> None:
    """Where the float value refuses (a pole, outside [-1, 1]), a guard says why."""
    from deriv_lecture.core.functions import guards_of

    args = (Sym("x"), Num(Fraction(3))) if row.arity == 2 else (Sym("x"),)
    for u in (-3.0, -1.0, 0.0, 1.0, math.pi / 2, 5.0):
        point = (u, SECOND[row.name]) if row.arity == 2 else (u,)
        try:
            row.value(*point)
        except (DomainError, ValueError, ZeroDivisionError):
            assert guards_of(row.name, args), f"{row.name} refuses {u} with no guard"


# -- erf: a function added as one row ---------------------------------------------------------
X = sympy.Symbol("x", real=True)


@pytest.mark.parametrize("inner", ["x", "x^2", "3x - 1", "sin(x)", "x e^x", "1/(1 + x^2)"])
def test_erf_composes_like_any_function(inner: str) -> None:
    from deriv_lecture.core.calculus.derive import derive

    f = parse_expr(f"erf({inner})")
    derivation = derive(f, "x")
    truth = sympy.diff(sympy.erf(to_sympy(parse_expr(inner), {"x": X})), X)
    for point in (0.2, -0.7, 1.3):
        expected = float(truth.subs(X, point).evalf(30))
        assert evaluate(derivation.derivative, {"x": point}) == pytest.approx(expected, rel=1e-12)
        assert evaluate(f, {"x": point}) == pytest.approx(
            float(sympy.erf(to_sympy(parse_expr(inner), {"x": X})).subs(X, point).evalf(30)),
            rel=1e-12,
        )
    assert derivation.steps.rule in ("chain rule", "error function rule")


def test_erf_through_the_command_line() -> None:
    import json

    from tests.cli.inprocess import run_inprocess

    result = run_inprocess(["erf(x)", "--at", "0", "--json"])
    document = json.loads(result.stdout)
    assert result.returncode == 0 and document["kind"] == "smooth"
    assert sympy.sympify(document["exact"]) == 2 / sympy.sqrt(sympy.pi)  # exact f'(0)
    assert document["f_exact"] == "0" and document["sympy_agrees"] is True
    assert parse_expr(document["derivative"]) == parse_expr("2e^(-x^2)/sqrt(pi)")
    value = precise_value(parse_expr("erf(x)"), {"x": parse_expr("1/2")})
    assert float(value) == pytest.approx(math.erf(0.5), rel=1e-15)


def test_no_other_module_lists_functions() -> None:
    """The vocabulary is read from the table: every canonical word is a row."""
    assert set(FUNCTION_ARITY) == set(FUNCTIONS)
    assert set(ALIASES.values()) <= set(FUNCTIONS)
