"""Exact values at a point, with SymPy doing the arithmetic under a time limit.

`exact_value(expr, env)` substitutes exact values (our trees: 2, pi/4, 1/3) and returns
our tree for the result (√2/2), or raises DomainError at a pole or outside the domain.
Points are exact: tan(x) at pi/2 is a pole, not 1.6e16. SymPy results come back as our
trees node by node (`from_sympy`) so they print in our syntax.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deriv_lecture.core.calculus.algebra import add, neg
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.functions import FUNCTIONS
from deriv_lecture.core.functions import ROWS as FUNCTION_ROWS
from deriv_lecture.core.referee.crosscheck import has_large_power, sympy_refusal, to_sympy
from deriv_lecture.core.referee.memo import remember_decided
from deriv_lecture.core.referee.sympy_worker import remote
from deriv_lecture.core.referee.timebox import within
from deriv_lecture.core.syntax.tree import (
    PI,
    ZERO,
    Add,
    Call,
    Div,
    E,
    Expr,
    Mul,
    Num,
    Pow,
    Sym,
    children,
    identity_memo,
    size,
    substitute,
)

EXACT_SECONDS = 2.0
# simplify tidies small exact values (√2/2 + √6/2 ...); on big ones (a nested composition
# at a point) it only spends its whole time limit and finds nothing.
MAX_TIDY_OPS = 60
# ... and only briefly: where it helps it takes tens of ms; a tangent line at an awkward
# point asked for five exact values, each simplify using its whole second (2.6 s in all).
TIDY_SECONDS = 0.25
# Functions nested deeper than this get no exact value: written out it is the expression
# itself (sin(cos(sin(…(1/2))))), and SymPy's checks at each level ran past 2 s at 300.
MAX_EXACT_NESTING = 6
# ... and no derivation from the limit: SymPy's limit ran its whole 2 s from depth 6 on,
# and on a product of 150 factors. The slide's derivation is for slide-sized functions.
MAX_DERIVATION_NESTING = 4
MAX_DERIVATION_NODES = 200
# The lecture's derivations take SymPy under 0.1 s; where it needs more it rarely finishes.
DERIVATION_SECONDS = 0.5

# SymPy's class name -> ours, from the function table (exp and log are read below: e^u
# and ln are not calls of those names in our trees).
FROM_SYMPY = {name: row.name for row in FUNCTION_ROWS for name in row.sympy_names}


class NotRepresentable(Exception):
    """A SymPy result with no counterpart in our language."""


def _call_nesting(expr: Expr) -> int:
    """How deep function calls nest in expr (sin(cos(x)): 2), once per shared node."""

    def depth(node: Expr) -> int:
        below = max((remembered(child) for child in children(node)), default=0)
        return below + (1 if isinstance(node, Call) else 0)

    remembered = identity_memo(depth)
    return remembered(expr)


@remote(undecided=lambda *_, **__: None)
@remember_decided(keep=lambda value: value is not None)
def exact_value(expr: Expr, env: dict[str, Expr], tidy: bool = True) -> Expr | None:
    """expr with env substituted, exactly; None if SymPy cannot say in time.

    Raises DomainError where the value does not exist (a pole, a complex value)."""
    import sympy

    for name, given in env.items():
        expr = substitute(expr, name, given)
    if sympy_refusal(expr) is not None or _call_nesting(expr) > MAX_EXACT_NESTING:
        return None

    def compute() -> Any:
        value = to_sympy(expr)
        return sympy.expand_log(value, force=True) if value.has(sympy.log) else value

    value = within(EXACT_SECONDS, compute)
    if value is None:
        return None
    # simplify is slow (and its first call imports more of SymPy): only where it can help.
    if tidy and not value.is_Rational and 4 < sympy.count_ops(value) <= MAX_TIDY_OPS:
        tidier = within(TIDY_SECONDS, lambda: sympy.simplify(value))
        # Tidier, and with no bigger numbers: simplify folds c·ln(r) into ln(r^c), which
        # turned 10 ln(0.49) into ln(79792266297612001/1e20), and once into 461,000 bits.
        if (
            tidier is not None
            and sympy.count_ops(tidier) < sympy.count_ops(value)
            and _rational_bits(tidier) <= _rational_bits(value)
        ):
            value = tidier
    if _rational_bits(value) > MAX_EXACT_BITS:
        return None
    if value.has(sympy.zoo, sympy.oo, -sympy.oo) or value is sympy.nan or value.has(sympy.nan):
        raise DomainError("the function is not defined there (division by zero or a pole)")
    if value.is_real is False or value.has(sympy.I):
        raise DomainError("the function has no real value there (outside its domain)")
    try:
        found = simplify(from_sympy(value))
    except NotRepresentable:
        return None
    return found if modest(found) else None


MAX_EXACT_BITS = 3_000  # about 900 digits: beyond that an exact value is unreadable


def modest(expr: Expr) -> bool:
    """No rational in expr bigger than MAX_EXACT_BITS (x⁸ at 1e-300 is 10⁻²⁴⁰⁰)."""
    from deriv_lecture.core.syntax.tree import walk

    return all(
        max(n.value.numerator.bit_length(), n.value.denominator.bit_length()) <= MAX_EXACT_BITS
        for n in walk(expr)
        if isinstance(n, Num)
    )


def _rational_bits(value: Any) -> int:
    """Bits of the biggest numerator or denominator in a SymPy expression."""
    import sympy

    return max(
        (max(int(r.p).bit_length(), int(r.q).bit_length()) for r in value.atoms(sympy.Rational)),
        default=0,
    )


def from_sympy(value: Any) -> Expr:
    """A SymPy expression as our tree, node by node."""
    import sympy

    if value.is_Integer or value.is_Rational:
        return Num(Fraction(int(value.p), int(value.q)))
    if value is sympy.pi:
        return PI
    if value is sympy.E:
        return E
    if value.is_Symbol:
        return Sym(value.name)
    if value.is_Float:
        return Num(Fraction(str(value)))
    if value.is_Add:
        return Add(tuple(from_sympy(a) for a in value.args))
    if value.is_Mul:
        return Mul(tuple(from_sympy(a) for a in value.args))
    if value.is_Pow:
        base, exp = value.args
        return Pow(from_sympy(base), from_sympy(exp))
    if isinstance(value, sympy.exp):
        return Pow(E, from_sympy(value.args[0]))
    if isinstance(value, sympy.log) and len(value.args) == 1:
        return Call("ln", (from_sympy(value.args[0]),))
    name = FROM_SYMPY.get(type(value).__name__)
    if name is not None and len(value.args) == FUNCTIONS[name].arity:
        return Call(name, tuple(from_sympy(a) for a in value.args))
    raise NotRepresentable(type(value).__name__)


@remote(undecided=lambda *_: [])
@remember_decided(keep=bool)
def first_principles(expr: Expr, var: str, at: Expr | None, env: dict[str, Expr]) -> list[Expr]:
    """The slide's derivation: (f(a+h) − f(a))/h, simplified, and its limit as h → 0.

    Returns [quotient, simplified, limit] as our trees (simplified omitted when it is the
    same), or [] when SymPy cannot do it in time or the result has no form of ours."""
    import sympy

    if (
        has_large_power(expr)
        or size(expr) > MAX_DERIVATION_NODES
        or _call_nesting(expr) > MAX_DERIVATION_NESTING
    ):
        return []
    h_name = next(n for n in ("h", "k", "h_0") if n not in _names(expr, env))
    h = Sym(h_name)
    point: Expr = at if at is not None else Sym(var)
    # a + h with a = 0 is just h: the slide writes (h² − 0)/h, never ((0 + h)² − 0)/h.
    moved = _at(expr, var, h if at == ZERO else Add((point, h)), env)
    here = _at(expr, var, point, env)
    if at is not None:  # the slide writes ((2 + h)² − 4)/h: f(a) as a number
        here = simplify(exact_value(here, {}) or here, var)
    quotient = Div(add(moved, simplify(neg(here), var)), h)  # + 16√3/9, not − −16√3/9
    symbols: dict[str, Any] = {}

    def derive_by_limit() -> tuple[Any, Any, Any]:
        q = to_sympy(quotient, symbols)
        tidy = sympy.cancel(sympy.expand(q))
        return q, tidy, sympy.limit(tidy, symbols[h_name], 0)

    found = within(DERIVATION_SECONDS, derive_by_limit)
    if found is None:
        return []
    q, tidy, limit = found
    if limit.has(sympy.Limit, sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        return []
    try:
        rows = [quotient, simplify(from_sympy(tidy), var), simplify(from_sympy(limit), var)]
    except NotRepresentable:
        return []
    if rows[1] == rows[2] or _too_long(rows[1]) or _same_text(rows[1], quotient):
        del rows[1]
    else:  # 12 + 6h + h², 3x² + 3xh + h²: what is left as h → 0 comes first
        rows[1] = _ascending(rows[1], h_name)
    return rows


def _ascending(expr: Expr, h: str) -> Expr:
    """A sum with its terms in rising powers of h (terms that are not monomials in h
    keep their places at the end)."""
    from deriv_lecture.core.calculus.normal import degree_in

    if not isinstance(expr, Add):
        return expr
    degrees = [degree_in(term, h) for term in expr.terms]
    order = sorted(range(len(degrees)), key=lambda i: (degrees[i] is None, degrees[i] or 0))
    return Add(tuple(expr.terms[i] for i in order))


def _at(expr: Expr, var: str, value: Expr, env: dict[str, Expr]) -> Expr:
    for name, given in env.items():
        expr = substitute(expr, name, given)
    return substitute(expr, var, value)


def _names(expr: Expr, env: dict[str, Expr]) -> set[str]:
    from deriv_lecture.core.syntax.tree import free_symbols

    return set(free_symbols(expr)) | set(env)


def _same_text(a: Expr, b: Expr) -> bool:
    """Would the two read the same? Equal once nested sums and products are flattened."""
    return _flat(a) == _flat(b)


def _flat(node: Expr) -> Expr:
    from deriv_lecture.core.syntax.tree import rebuild

    node = rebuild(node, _flat)
    if isinstance(node, Add):
        return Add(tuple(q for p in node.terms for q in (p.terms if isinstance(p, Add) else (p,))))
    if isinstance(node, Mul):
        nested = (p.factors if isinstance(p, Mul) else (p,) for p in node.factors)
        return Mul(tuple(q for group in nested for q in group))
    return node


def _too_long(expr: Expr) -> bool:
    return size(expr) > 40


ZERO_PROOF_SECONDS = 1.0


@remote(undecided=lambda *_: None)
def sympy_is_zero(expr: Expr) -> bool | None:
    """SymPy's proof that a constant is exactly 0: True (proved), False (proved not to
    be) or None (no proof in time). Asked only for values that are 0 to many digits."""
    import sympy

    if sympy_refusal(expr) is not None:
        return None

    def prove() -> bool | None:
        value = to_sympy(expr)
        if value == 0:
            return True
        tidy = sympy.simplify(value)
        if tidy == 0:
            return True
        answer = tidy.equals(0)
        return answer if isinstance(answer, bool) else None

    return within(ZERO_PROOF_SECONDS, prove)


LIMIT_SECONDS = 1.0


@remote(undecided=lambda *_: ("undecided", None))
def sympy_side_limit(expr: Expr, var: str, at: Expr, side: int) -> tuple[str, Expr | None]:
    """lim expr as var -> at from the right (side +1) or left (−1), by SymPy under a time
    limit: ("finite", value), ("+inf", None), ("-inf", None), ("none", None) where the
    limit does not exist (the values oscillate), or ("undecided", None)."""
    import sympy

    if sympy_refusal(expr) is not None or sympy_refusal(at) is not None:
        return "undecided", None
    symbols: dict[str, Any] = {}

    def compute() -> Any:
        function = to_sympy(expr, symbols)
        x = symbols.setdefault(var, sympy.Symbol(var, real=True))
        return sympy.limit(function, x, to_sympy(at, symbols), "+" if side > 0 else "-")

    found = within(LIMIT_SECONDS, compute)
    if found is None or found.has(sympy.Limit):
        return "undecided", None
    if found.has(sympy.AccumBounds) or found is sympy.nan or found.has(sympy.nan):
        return "none", None
    if found == sympy.oo:
        return "+inf", None
    if found == -sympy.oo:
        return "-inf", None
    if found.has(sympy.oo, -sympy.oo, sympy.zoo) or not found.is_number:
        return "none", None
    try:
        return "finite", from_sympy(found)
    except NotRepresentable:
        return "undecided", None


FORM_SECONDS = 0.4  # SymPy's rewrites of one derivative, all together


@remote(undecided=lambda *_: [])
@remember_decided(keep=bool)
def sympy_forms(expr: Expr, function: Expr, var: str) -> list[Expr]:
    """Other ways SymPy writes expr, the derivative of function (factor, cancel, trigsimp
    and simplify of it, and simplify of SymPy's own derivative), as our trees, each found
    within what is left of FORM_SECONDS; [] where SymPy has none in time."""
    import sympy

    from deriv_lecture.core.referee.timebox import budget

    if sympy_refusal(expr) or has_large_power(expr) or sympy_refusal(function):
        return []
    symbols: dict[str, Any] = {}
    value = to_sympy(expr, symbols)
    original = to_sympy(function, symbols)
    x = symbols.setdefault(var, sympy.Symbol(var, real=True))

    def simplified_derivative(f: Any) -> Any:
        return sympy.simplify(sympy.diff(f, x))

    jobs: list[tuple[Any, Any]] = [
        (sympy.factor, value), (sympy.cancel, value), (sympy.trigsimp, value),
        (sympy.simplify, value), (simplified_derivative, original),
    ]  # fmt: skip
    found: list[Expr] = []
    with budget(FORM_SECONDS):
        for rewrite, argument in jobs:

            def rewritten(rewrite: Any = rewrite, argument: Any = argument) -> Any:
                return rewrite(argument)

            form = within(FORM_SECONDS, rewritten)
            if form is None or form.has(sympy.zoo, sympy.nan, sympy.I):
                continue
            try:
                found.append(from_sympy(form))
            except (NotRepresentable, ValueError):
                continue
    return found
