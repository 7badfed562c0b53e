"""Frozen expression nodes, and the few questions every module asks of a tree.

Nodes are dumb on purpose: constructors never simplify, so a step can show exactly
what a rule produced. Structural equality and hashing come from the dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from operator import attrgetter
from typing import Any, TypeAlias, TypeVar

N = TypeVar("N")
V = TypeVar("V")


class _Node:
    """Structural equality and a hash computed once per node.

    Derivatives share sub-trees and get deep (the chain rule nests); a hash recomputed
    from the leaves at every dictionary lookup made simplification quadratic and worse.
    Equality checks the cached hashes before walking the children.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    # The compared fields as one value, read in C (set for each class below the classes).
    _parts: Callable[[Any], Any]

    def __hash__(self) -> int:
        cached: int = self._h  # type: ignore[attr-defined]
        if cached == 0:
            cached = hash((type(self).__name__, self._parts(self))) or 1
            object.__setattr__(self, "_h", cached)
        return cached

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return False
        if hash(self) != hash(other):
            return False
        return bool(self._parts(self) == other._parts(other))  # type: ignore[attr-defined]


def _cache() -> Any:
    return field(default=0, init=False, repr=False, compare=False)


def _symbols_cache() -> Any:
    return field(default=None, init=False, repr=False, compare=False)


@dataclass(frozen=True, slots=True, eq=False)
class Num(_Node):
    """An exact rational constant (decimals from the input are exact too: 0.1 is 1/10)."""

    value: Fraction
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Const(_Node):
    """A named mathematical constant: 'e' or 'pi'."""

    name: str
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Sym(_Node):
    """A free symbol: the variable of differentiation or a constant parameter."""

    name: str
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Add(_Node):
    """A sum of two or more terms; subtraction is a Neg term."""

    terms: tuple[Expr, ...]
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Neg(_Node):
    arg: Expr
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Mul(_Node):
    """A product of two or more factors."""

    factors: tuple[Expr, ...]
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Div(_Node):
    num: Expr
    den: Expr
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Pow(_Node):
    """base^exp with a real result: a negative base needs an integer exponent."""

    base: Expr
    exp: Expr
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Call(_Node):
    """A named function applied to its arguments ('sin', 'log' with (x, base), 'max', ...)."""

    name: str
    args: tuple[Expr, ...]
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Undefined(_Node):
    """No value: what a piecewise function is where none of its pieces applies (its final
    `else` left out: `1 if x > 0 else -1 if x < 0` has no value at 0)."""

    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Compare(_Node):
    """left OP right, OP one of < <= > >=; only used as a Piecewise condition."""

    op: str
    left: Expr
    right: Expr
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


@dataclass(frozen=True, slots=True, eq=False)
class Piecewise(_Node):
    """then if cond else otherwise."""

    cond: Compare
    then: Expr
    otherwise: Expr
    _h: int = _cache()
    _fs: frozenset[str] | None = _symbols_cache()
    _n: int = _cache()


Expr: TypeAlias = Num | Const | Sym | Add | Neg | Mul | Div | Pow | Call | Piecewise | Undefined

for _kind in (Num, Const, Sym, Add, Neg, Mul, Div, Pow, Call, Compare, Piecewise):
    _kind._parts = staticmethod(attrgetter(*_kind.__match_args__))  # type: ignore[assignment]
Undefined._parts = staticmethod(lambda node: ())  # type: ignore[assignment]

ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))
MINUS_ONE = Num(Fraction(-1))
TWO = Num(Fraction(2))
NO_VALUE = Undefined()
E = Const("e")
PI = Const("pi")


def num(value: int | Fraction) -> Num:
    return Num(Fraction(value))


def children(node: Expr | Compare) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in reading order."""
    match node:
        case Num() | Const() | Sym() | Undefined():
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


def free_symbols(node: Expr | Compare) -> frozenset[str]:
    """The names of the free symbols, computed once per node (sub-trees are shared)."""
    cached = node._fs
    if cached is None:
        if isinstance(node, Sym):
            cached = frozenset((node.name,))
        else:
            cached = frozenset().union(*(free_symbols(c) for c in children(node)))
        object.__setattr__(node, "_fs", cached)
    return cached


def depends_on(node: Expr, var: str) -> bool:
    return var in free_symbols(node)


def size(node: Expr | Compare) -> int:
    """Number of nodes, counted as a tree (shared sub-trees count each time they appear):
    the measure of how big, and how ugly, an expression reads. Computed once per node."""
    cached = node._n
    if cached == 0:
        cached = 1 + sum(size(c) for c in children(node))
        object.__setattr__(node, "_n", cached)
    return cached


def rebuild(node: Expr, transform: Callable[[Expr], Expr]) -> Expr:
    """The same node with transform applied to each direct child."""
    match node:
        case Num() | Const() | Sym() | Undefined():
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


def identity_memo(compute: Callable[[N], V]) -> Callable[[N], V]:
    """compute, remembered per node object rather than per equal node: rules share
    sub-trees (the chain rule reuses u), so a derivative is a DAG much smaller than its
    printed tree, and walking it once per object keeps the work linear in the DAG."""
    seen: dict[int, tuple[N, V]] = {}

    def lookup(node: N) -> V:
        known = seen.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        value = compute(node)
        seen[id(node)] = (node, value)  # the node is kept alive, so its id stays unique
        return value

    return lookup


# A key that orders trees by their structure, as their written form would order them
# ("x" < "x^2" < "y", "cos(x)" < "sin(x)", "(2x + 5)" < "(3x − 1)") without printing them:
# (head, the children's keys, a number), where the head is the name or sign a tree's
# written form starts with, and a number's value is compared as a number.
Key: TypeAlias = tuple[str, tuple[Any, ...], Fraction]
_NONE = Fraction(0)


def structure_key(node: Expr) -> Key:
    """The ordering key of node (its sub-trees' keys are computed once per shared node)."""
    return _structure_key(node, {})


def structure_keys() -> Callable[[Expr], tuple[Key, int, Key]]:
    """Sort keys remembering every node they have seen, for one simplification: sorting
    the factors of a product of nested calls would otherwise walk each of them again. The
    key's first levels come first, then the size: two deep keys that start alike (cos(sin(
    cos(...)))) are told apart without walking them to the bottom."""
    seen: dict[int, tuple[Expr, Key]] = {}

    def key(node: Expr) -> tuple[Key, int, Key]:
        full = _structure_key(node, seen)
        return _shallow(full, 4), size(node), full

    return key


def _shallow(key: Key, depth: int) -> Key:
    head, parts, number = key
    return (head, tuple(_shallow(p, depth - 1) for p in parts) if depth else (), number)


def _structure_key(node: Expr, seen: dict[int, tuple[Expr, Key]]) -> Key:
    known = seen.get(id(node))
    if known is not None and known[0] is node:
        return known[1]

    def key(child: Expr) -> Key:
        return _structure_key(child, seen)

    found: Key
    match node:
        case Num(value):
            found = ("-" if value < 0 else "0", (), value)
        case Const(name) | Sym(name):
            found = (name, (), _NONE)
        case Call(name, args):
            found = (name, tuple(key(a) for a in args), _NONE)
        case Pow(base, exp):
            below = key(base)
            bracketed = isinstance(base, Add | Mul | Div | Neg) or (
                isinstance(base, Num) and (base.value < 0 or base.value.denominator != 1)
            )
            found = ("(" if bracketed else below[0], (below, key(exp)), _NONE)  # (x + 1)^2
        case Add(terms):
            # x + 1 before x − 1, as "+" comes before "-": each later term with its sign
            first, *rest = terms
            signed = tuple(_signed(t, key) for t in rest)
            found = (key(first)[0], (key(first), *signed), _NONE)
        case Mul(factors):
            parts = tuple(key(f) for f in factors)
            found = (parts[0][0], parts, _NONE)
        case Neg(arg):
            found = ("-", (key(arg),), _NONE)
        case Div(num, den):
            top = key(num)
            found = (top[0], (top, key(den)), _NONE)
        case Piecewise(cond, then, otherwise):
            parts = (key(then), key(cond.left), key(cond.right), key(otherwise))
            found = (parts[0][0], parts, _NONE)
        case _:
            found = ("~", (), _NONE)  # Undefined: after everything
    seen[id(node)] = (node, found)  # the node is kept alive, so its id stays its own
    return found


def _signed(term: Expr, key: Callable[[Expr], Key]) -> Key:
    if isinstance(term, Neg):
        return ("-", (key(term.arg),), _NONE)
    if isinstance(term, Num) and term.value < 0:
        return ("-", (key(Num(-term.value)),), _NONE)
    return ("+", (key(term),), _NONE)
