"""What a command is asked, as one value: the expressions, the variables to differentiate
by, the point (exact values by name, for one variable or several) and the parameters
--let fixes. The command line and the Python API read it once; the core takes it whole.

Engine functions below this level (core.calculus.derive, the rules, the point analysis's
pieces) take `var: str`: the one variable of the one derivative they compute. A partial
derivative is by one variable too; a gradient is several of them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from deriv_lecture.core.errors import ParseError
from deriv_lecture.core.syntax.tree import Expr


@dataclass(frozen=True, slots=True)
class Point(Mapping[str, Expr]):
    """Exact values by name: {x: 2}, {x: 1, y: π/4}, or the parameters {a: 3}."""

    entries: tuple[tuple[str, Expr], ...] = ()

    @staticmethod
    def of(mapping: Mapping[str, Expr]) -> Point:
        return Point(tuple(mapping.items()))

    def __getitem__(self, name: str) -> Expr:
        for key, value in self.entries:
            if key == name:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def floats(self) -> dict[str, float]:
        """The values as floats (each a constant, or a constant of earlier names)."""
        return dict(_floats(self))

    def value(self, expr: Expr, given: Point | None = None) -> float:
        """expr at this point (and the parameters given), as a float."""
        from deriv_lecture.core.numeric.evaluate import evaluate

        return evaluate(expr, {**(given.floats() if given else {}), **self.floats()})

    def exact(self, expr: Expr, given: Point | None = None) -> Expr:
        """expr at this point, exactly (the engine's own arithmetic, no SymPy)."""
        from deriv_lecture.core.calculus.simplify import simplify
        from deriv_lecture.core.syntax.tree import free_symbols, substitute

        for name, value in (*(given.entries if given else ()), *self.entries):
            if name in free_symbols(expr):  # a point of 100 inputs: walk only for those used
                expr = substitute(expr, name, value)
        return simplify(expr)


@functools.lru_cache(maxsize=256)
def _floats(point: Point) -> tuple[tuple[str, float], ...]:
    """A point's floats, worked out once: a network's point of 135 inputs was evaluated
    again for each input's estimate."""
    from deriv_lecture.core.numeric.evaluate import evaluate

    found: dict[str, float] = {}
    for name, value in point.entries:
        found[name] = evaluate(value, found)
    return tuple(found.items())


@dataclass(frozen=True, slots=True)
class Problem:
    expressions: tuple[Expr, ...]
    variables: tuple[str, ...]
    point: Point | None = None  # where, if the command asks about a point
    lets: Point = field(default_factory=Point)  # parameters with values
    notes: tuple[str, ...] = ()  # how the input was read ("2/3x is (2/3)·x")

    @property
    def expr(self) -> Expr:
        """The function, for the commands about one."""
        (only,) = self.expressions
        return only

    @property
    def var(self) -> str:
        """The variable, for the commands about one."""
        (only,) = self.variables
        return only

    @property
    def at(self) -> Expr | None:
        """The point's value of the one variable."""
        return None if self.point is None else self.point[self.var]


def read_problem(
    source: str, var: str | None = None, at: str | None = None, lets: Mapping[str, Expr] = {}
) -> Problem:
    """One function of one variable, as the one-variable commands are asked: EXPR, --var,
    --at and the --let values, each checked with the option it came from named."""
    from deriv_lecture.core.calculus.derive import check_lets, choose_variable
    from deriv_lecture.core.syntax.parser import parse

    parsed = parse(source)
    chosen = choose_variable(parsed.expr, var)
    check_lets(chosen, dict(lets))
    point = Point(((chosen, read_point(at, "--at")),)) if at is not None else None
    return Problem((parsed.expr,), (chosen,), point, Point.of(lets), tuple(parsed.notes))


def read_point(text: str, option: str) -> Expr:
    """A point is an expression too; its errors say which option they came from."""
    from deriv_lecture.core.syntax.parser import parse_expr

    try:
        value = parse_expr(text)
    except ParseError as error:
        error.message = f"{option}: {error.message}"
        raise
    return value


def read_several(
    source: str,
    wrt: str | None,
    var: str | None,
    at: str | None,
    lets: Mapping[str, Expr],
    every_symbol: bool = False,
) -> Problem:
    """A function of several variables as `deriv EXPR --wrt`, `deriv grad` and `check --wrt`
    are asked: the variables to differentiate by (--wrt, in order, repeats allowed; else
    --var; else, with every_symbol, every free symbol --let does not fix, alphabetically;
    else the one variable), and a point that gives each variable of f a value."""
    from deriv_lecture.core.calculus.derive import choose_variable
    from deriv_lecture.core.errors import UsageError
    from deriv_lecture.core.syntax.lists import parse_names, parse_point
    from deriv_lecture.core.syntax.parser import parse
    from deriv_lecture.core.syntax.tree import free_symbols

    if wrt is not None and var is not None:
        raise UsageError("--wrt and --var say the same thing: give one of them")
    parsed = parse(source)
    symbols = free_symbols(parsed.expr)
    free = sorted(symbols - set(lets))
    if wrt is not None:
        variables = parse_names(wrt, "--wrt")
    elif every_symbol and var is None:
        variables = tuple(free) or ("x",)
    else:
        variables = (choose_variable(parsed.expr, var),)
    for name in dict.fromkeys(variables):
        if name in lets:
            raise UsageError(
                f"--let {name}=...: {name} is a variable here (--wrt); not a parameter"
            )
        if symbols and name not in symbols:
            raise UsageError(f"f does not use {name}: nothing to differentiate by (--wrt {name})")
    point = None
    if at is not None:
        given = parse_point(at, "--at")
        if not isinstance(given, dict):
            distinct = tuple(dict.fromkeys(variables))
            if len(distinct) != 1:
                names = ", ".join(distinct)
                raise UsageError(f"--at {at}: give each of {names} a value, like --at x=1,y=2")
            given = {distinct[0]: given}
        point = _checked_point(given, symbols, set(lets), variables)
    return Problem((parsed.expr,), variables, point, Point.of(lets), tuple(parsed.notes))


def read_vector(source: str, wrt: str | None, at: str | None, lets: Mapping[str, Expr]) -> Problem:
    """A vector function [F1, F2, ...] as `deriv jacobian` is asked: its components (an
    error points into the whole text, under the component's own column), the inputs
    (--wrt in order, else every free symbol --let does not fix, alphabetically) and a
    point that gives each of them a value."""
    from deriv_lecture.core.errors import UsageError
    from deriv_lecture.core.syntax.lists import parse_components, parse_names, parse_point
    from deriv_lecture.core.syntax.tree import free_symbols

    components = parse_components(source)
    symbols = frozenset().union(*(free_symbols(c) for c in components))
    if wrt is not None:
        variables = parse_names(wrt, "--wrt")
        if len(set(variables)) != len(variables):
            raise UsageError("--wrt for a Jacobian names each input once")
    else:
        variables = tuple(sorted(symbols - set(lets))) or ("x",)
    for name in variables:
        if name in lets:
            raise UsageError(f"--let {name}=...: {name} is an input here (--wrt); not a parameter")
    point = None
    if at is not None:
        given = parse_point(at, "--at")
        if not isinstance(given, dict):
            if len(variables) != 1:
                raise UsageError(f"--at {at}: give each input a value, like --at x=1,y=2")
            given = {variables[0]: given}
        point = _checked_point(given, symbols, set(lets), variables)
    return Problem(components, variables, point, Point.of(lets))


def _checked_point(
    given: dict[str, Expr], symbols: frozenset[str], lets: set[str], variables: tuple[str, ...]
) -> Point:
    from deriv_lecture.core.errors import UsageError

    for name in given:
        if name in lets:
            raise UsageError(f"{name} is in both --at and --let: a point's variable or a parameter")
        if name not in symbols and name not in variables:
            raise UsageError(f"--at names {name}, which f does not use")
    missing = [n for n in sorted(symbols - lets) if n not in given]
    missing += [n for n in dict.fromkeys(variables) if n not in given and n not in missing]
    if missing:
        names = ", ".join(missing)
        raise UsageError(f"--at gives no value for {names}: add {missing[0]}=... (f uses it)")
    return Point.of(given)
