"""Which way of writing f' an answer key would print: the engine's own tidy form against
SymPy's rewrites of it (factor, cancel, trigsimp, simplify, asked on the worker under a
time limit), measured by weight, the lightest winning and the engine's own on a tie.

Weight counts what a reader parses: operators and function calls, with products free
(2x·sin(x) weighs 1, its call; x² is x·x) and a fraction a/b counting as its division. A rewrite is
taken only if it is the same function wherever f' is defined (checked at many points), and
never one that turns e^(−u) into 1/e^u or back: the lecture writes the sigmoid's f' as
e⁻ˣ/(1 + e⁻ˣ)² and (x²e⁻ˣ)' as (2x − x²)/eˣ, and those forms stay. Where a rewrite
cancelled a factor ((x² − 1)/(x − 1) gives f' = 1), a note says for which x it holds.
Only the printed form depends on SymPy's speed; no verdict does.
"""

from __future__ import annotations

from collections.abc import Callable

from deriv_lecture.core.calculus.normal import Normalizer, split_coefficient
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import MathError
from deriv_lecture.core.functions import FUNCTIONS
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.referee.equivalence import compare
from deriv_lecture.core.syntax.printer import to_input
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Const,
    Div,
    E,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    free_symbols,
    identity_memo,
    size,
    walk,
)

LIGHT = 1  # forms this light (2x, 3x² − 4) are taken as they are: nothing to gain


def weight(expr: Expr) -> int:
    """Operators and calls a reader parses, as the form prints; products are free."""
    # Once per node object: a derivative shares sub-trees (the chain rule reuses u), and
    # written out a chain 300 deep has 90,000 nodes for 1,200 distinct ones.
    remembered: Callable[[Expr], int] = identity_memo(lambda node: _weight(node, remembered))
    return remembered(expr)


def _weight(expr: Expr, weight: Callable[[Expr], int]) -> int:
    match expr:
        case Num(value):
            return (value < 0) + (0 if value.denominator == 1 else 1)
        case Add(terms):  # a − b is one operator, not a plus and a minus
            first, *rest = terms
            return weight(first) + sum(1 + weight(t) - _minus(t) for t in rest)
        case Neg(arg):
            return 1 + weight(arg)
        case Mul(factors):  # −2x carries a minus sign, as −(2x) does
            return sum(weight(f) for f in factors)
        case Pow(base, Num(value)) if value.denominator == 1 and value > 0:
            return weight(base)  # x² is a product
        case Pow(base, Num(value)) if value < 0:  # prints as 1/base^|value|
            return 1 + weight(Pow(base, Num(-value)) if value != -1 else base)
        case Div(num, den) | Pow(num, den):
            return 1 + weight(num) + weight(den)
        case Call(_, args):
            return 1 + sum(weight(a) for a in args)
        case Piecewise(cond, then, otherwise):
            parts = (cond.left, cond.right, then, otherwise)
            return 1 + sum(weight(p) for p in parts)
    return 0


def _minus(term: Expr) -> int:
    """1 when the term prints with a leading minus (which a sum reads as its operator)."""
    match term:
        case Neg():
            return 1
        case Num(value) | Mul((Num(value), *_)) if value < 0:
            return 1
    return 0


def key_form(tidy: Expr, function: Expr, var: str) -> tuple[Expr, tuple[str, ...]]:
    """The lightest of tidy (f' of function) and SymPy's rewrites of it, with notes on what
    a rewrite cancelled."""
    if weight(tidy) <= LIGHT or free_symbols(tidy) - {var}:
        return tidy, ()
    from deriv_lecture.core.referee.exact import sympy_forms

    best, best_key = tidy, (weight(tidy), size(tidy))
    for candidate in sympy_forms(tidy, function, var):
        shown = simplify(_descending(candidate, var), var)
        key = (weight(shown), size(shown))
        if key >= best_key or _flips_exponentials(tidy, shown) or _new_family(tidy, shown):
            continue
        if not _constants(shown) <= _constants(tidy):
            continue  # √2·cos(x + π/4) for cos(x) − sin(x): a phase shift no key prints
        if _pulls_out_only(var, tidy, shown) and key[0] > best_key[0] - 2:
            continue  # 2x sin(x) + x² cos(x) reads better than x(2 sin(x) + x cos(x))
        same = compare(shown, tidy, var)
        if same.equal is True and same.narrower_at is None:
            best, best_key = shown, key
    if best is tidy:
        return tidy, ()
    return best, _cancelled(tidy, best, var)


def _descending(expr: Expr, var: str) -> Expr:
    """SymPy orders 5 + 2x its own way; an answer key writes 2x + 5 (but 1 − x, keeping a
    positive term first)."""
    from deriv_lecture.core.syntax.tree import rebuild

    def degree(term: Expr) -> int | None:
        if not free_symbols(term) - {var} and var not in free_symbols(term):
            return 0
        _, factors = split_coefficient(term)
        return 1 if factors == (Sym(var),) else None

    def visit(node: Expr) -> Expr:
        node = rebuild(node, visit)
        if isinstance(node, Add):
            degrees = [degree(t) for t in node.terms]
            if None not in degrees and split_coefficient(_highest(node.terms, degrees))[0] > 0:
                order = sorted(range(len(degrees)), key=lambda i: -(degrees[i] or 0))
                return Add(tuple(node.terms[i] for i in order))
        return node

    return visit(expr)


def _highest(terms: tuple[Expr, ...], degrees: list[int | None]) -> Expr:
    return terms[max(range(len(terms)), key=lambda i: degrees[i] or 0)]


def _pulls_out_only(var: str, ours: Expr, theirs: Expr) -> bool:
    """Is theirs ours with just a power of the variable (and a number) taken out of a sum?"""
    while isinstance(theirs, Neg | Div):  # −x(x − 2)/eˣ takes out x and a sign
        theirs = theirs.arg if isinstance(theirs, Neg) else theirs.num
    if not isinstance(ours, Add | Div) or not isinstance(theirs, Mul):
        return False
    sums = [f for f in theirs.factors if isinstance(f, Add)]
    rest = [f for f in theirs.factors if not isinstance(f, Add | Num)]
    return len(sums) == 1 and all(
        f == Sym(var) or (isinstance(f, Pow) and f.base == Sym(var)) for f in rest
    )


def _families(expr: Expr) -> set[str]:
    """The families (trigonometric, hyperbolic) of the functions expr calls."""
    return {
        family
        for node in walk(expr)
        if isinstance(node, Call) and (family := FUNCTIONS[node.name].family) is not None
    }


def _new_family(ours: Expr, theirs: Expr) -> bool:
    """A rewrite into functions the answer did not use (the sigmoid's f' as 1/(4cosh²(x/2)))
    is no answer key's form."""
    return not _families(theirs) <= _families(ours)


def _constants(expr: Expr) -> set[Expr]:
    """π, e and radicals of numbers (√2): what a rewrite must not bring in."""
    found: set[Expr] = set()
    for node in walk(expr):
        if isinstance(node, Const) and node != E:
            found.add(node)
        elif isinstance(node, Pow) and isinstance(node.base, Num) and isinstance(node.exp, Num):
            if node.exp.value.denominator != 1:
                found.add(node.base)
        elif isinstance(node, Call) and node.name in ("sqrt", "cbrt") and not free_symbols(node):
            found.add(node)
    return found


def _exponents(expr: Expr) -> set[Expr]:
    normal = Normalizer(None)
    found = set()
    for node in walk(expr):
        if isinstance(node, Pow) and node.base == E:
            found.add(normal.run(node.exp))
        elif isinstance(node, Div) and isinstance(node.den, Pow) and node.den.base == E:
            found.add(normal.run(Neg(node.den.exp)))  # 1/eˣ is e^(−x)
    return found


def _flips_exponentials(ours: Expr, theirs: Expr) -> bool:
    """Does theirs write e^u where ours writes e^(−u) (or the other way round)?"""
    normal = Normalizer(None)
    mine = _exponents(ours)
    return any(normal.run(Neg(u)) in mine and u not in mine for u in _exponents(theirs))


def _cancelled(before: Expr, after: Expr, var: str) -> tuple[str, ...]:
    """Where the rewrite has a value but the derivative as the rules gave it has none:
    the zeros of a cancelled denominator ("f' = 1 for x ≠ 1")."""
    from deriv_lecture.core.calculus.roots import real_roots

    points = []
    for node in walk(before):
        base = _denominator_base(node)
        if base is None or not free_symbols(base) == {var}:
            continue
        for root in real_roots(base, var):
            if root in points or not _defined(after, var, root) or _defined(before, var, root):
                continue
            points.append(root)
    if not points:
        return ()
    where = " and ".join(f"{var} ≠ {to_input(p)}" for p in points)
    return (f"f' is written with a common factor cancelled: it holds for {where}",)


def _denominator_base(node: Expr) -> Expr | None:
    if isinstance(node, Div):
        return node.den.base if isinstance(node.den, Pow) else node.den
    if isinstance(node, Pow) and isinstance(node.exp, Num) and node.exp.value < 0:
        return node.base
    return None


def _defined(expr: Expr, var: str, at: Expr) -> bool:
    from deriv_lecture.core.numeric.precise import decimal

    value = decimal(at)
    if value is None:
        return False
    try:
        evaluate(expr, {var: value})
    except MathError:
        return False
    return True
