"""Frozen expression nodes, and the few questions every module asks of a tree.

Nodes are dumb on purpose: constructors never simplify, so a step can show exactly
what a rule produced. Structural equality and hashing come from the dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Num:
    """An exact rational constant (decimals from the input are exact too: 0.1 is 1/10)."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Const:
    """A named mathematical constant: 'e' or 'pi'."""

    name: str


@dataclass(frozen=True, slots=True)
class Sym:
    """A free symbol: the variable of differentiation or a constant parameter."""

    name: str


@dataclass(frozen=True, slots=True)
class Add:
    """A sum of two or more terms; subtraction is a Neg term."""

    terms: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Neg:
    arg: Expr


@dataclass(frozen=True, slots=True)
class Mul:
    """A product of two or more factors."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Div:
    num: Expr
    den: Expr


@dataclass(frozen=True, slots=True)
class Pow:
    """base^exp with a real result: a negative base needs an integer exponent."""

    base: Expr
    exp: Expr


@dataclass(frozen=True, slots=True)
class Call:
    """A named function applied to its arguments ('sin', 'log' with (x, base), 'max', ...)."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    """left OP right, OP one of < <= > >=; only used as a Piecewise condition."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Piecewise:
    """then if cond else otherwise."""

    cond: Compare
    then: Expr
    otherwise: Expr


Expr: TypeAlias = Num | Const | Sym | Add | Neg | Mul | Div | Pow | Call | Piecewise

ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))
TWO = Num(Fraction(2))
E = Const("e")
PI = Const("pi")


def num(value: int | Fraction) -> Num:
    return Num(Fraction(value))


def children(node: Expr | Compare) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in reading order."""
    match node:
        case Num() | Const() | Sym():
            return ()
        case Add(terms):
            return terms
        case Neg(arg):
            return (arg,)
        case Mul(factors):
            return factors
        case Div(n, d):
            return (n, d)
        case Pow(b, x):
            return (b, x)
        case Call(_, args):
            return args
        case Compare(_, left, right):
            return (left, right)
        case Piecewise(cond, then, otherwise):
            return (cond.left, cond.right, then, otherwise)
    raise TypeError(f"not an expression node: {node!r}")


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, pre-order, without recursion (trees may be deep)."""
    stack: list[Expr] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def free_symbols(node: Expr) -> frozenset[str]:
    return frozenset(n.name for n in walk(node) if isinstance(n, Sym))


def depends_on(node: Expr, var: str) -> bool:
    return any(isinstance(n, Sym) and n.name == var for n in walk(node))


def size(node: Expr) -> int:
    """Number of nodes: the measure of how big (and how ugly) an expression is."""
    return sum(1 for _ in walk(node))


def rebuild(node: Expr, transform: Callable[[Expr], Expr]) -> Expr:
    """The same node with transform applied to each direct child."""
    match node:
        case Num() | Const() | Sym():
            return node
        case Add(terms):
            return Add(tuple(transform(t) for t in terms))
        case Neg(arg):
            return Neg(transform(arg))
        case Mul(factors):
            return Mul(tuple(transform(f) for f in factors))
        case Div(n, d):
            return Div(transform(n), transform(d))
        case Pow(b, x):
            return Pow(transform(b), transform(x))
        case Call(name, args):
            return Call(name, tuple(transform(a) for a in args))
        case Piecewise(cond, then, otherwise):
            new_cond = Compare(cond.op, transform(cond.left), transform(cond.right))
            return Piecewise(new_cond, transform(then), transform(otherwise))
    raise TypeError(f"not an expression node: {node!r}")


def substitute(node: Expr, name: str, value: Expr) -> Expr:
    """node with every Sym(name) replaced by value."""
    if isinstance(node, Sym):
        return value if node.name == name else node
    return rebuild(node, lambda child: substitute(child, name, value))
