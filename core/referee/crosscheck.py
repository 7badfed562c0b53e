"""SymPy as referee: our tree built node by node into SymPy objects, compared with
sympy.diff of the same function. SymPy never sees the user's text and never computes
the answer we print; it only says whether it agrees.

SymPy is imported inside the functions, so commands that do not cross-check never pay
for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deriv_lecture.core.functions import FUNCTIONS
from deriv_lecture.core.referee.equivalence import sample_points
from deriv_lecture.core.referee.memo import remember_decided
from deriv_lecture.core.referee.sympy_worker import remote
from deriv_lecture.core.referee.timebox import attempt, within
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    free_symbols,
)

if TYPE_CHECKING:
    import sympy

SYMBOLIC_SECONDS = 2.0  # budget for sympy.diff and for the symbolic equivalence proof
# Points of the variable where the two derivatives are compared; varied in sign and size
# so that answers equal only at a few points or on part of the domain are caught.
SAMPLE_POINTS = (0.37, 1.3, -0.71, 2.15, -1.93, 0.053, 3.7, -2.6, 5.3, 0.88, -0.29, 1.61)
PARAMETER_VALUES = (0.83, 1.27, 2.09, 0.61, 1.73)  # other symbols, held constant
RELATIVE_TOLERANCE = 1e-8
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Verdict:
    agrees: bool | None  # None: SymPy could not decide in time
    method: str  # "symbolic", "numeric", "none"
    sympy_derivative: str  # SymPy's own derivative, as SymPy prints it
    points_checked: int
    counterexample: tuple[float, float, float] | None = None  # (x, ours, SymPy's)


def to_sympy(expr: Expr, symbols: dict[str, sympy.Symbol] | None = None) -> sympy.Expr:
    """Our tree as a SymPy expression, node by node (never through parsing text). A tree
    is converted once per process: f and f' go to SymPy for the verdict, the exact values
    and the forms, and SymPy's real symbols are the same objects each time."""
    import sympy

    table = symbols if symbols is not None else {}
    if all(s == sympy.Symbol(name, real=True) for name, s in table.items()):
        converted = _CONVERTED.get(expr)
        if converted is None:
            converted = _convert(expr, table)
            _CONVERTED[expr] = converted
            if len(_CONVERTED) > 512:
                _CONVERTED.pop(next(iter(_CONVERTED)))
        for symbol in converted.free_symbols:
            table.setdefault(symbol.name, symbol)
        return converted
    return _convert(expr, table)


_CONVERTED: dict[Expr, Any] = {}  # oldest first


def _convert(expr: Expr, table: dict[str, Any]) -> Any:
    import sympy

    def build(node: Expr) -> Any:
        match node:
            case Num(value):
                return sympy.Rational(value.numerator, value.denominator)
            case Const(name):
                return sympy.E if name == "e" else sympy.pi
            case Sym(name):
                if name not in table:
                    table[name] = sympy.Symbol(name, real=True)
                return table[name]
            case Add(terms):
                return sympy.Add(*(build(t) for t in terms))
            case Neg(arg):
                return -build(arg)
            case Mul(factors):
                return sympy.Mul(*(build(f) for f in factors))
            case Div(num, den):
                return build(num) / build(den)
            case Pow(base, exp):
                return sympy.Pow(build(base), build(exp))
            case Call(name, args):
                return _function(name, [build(a) for a in args])
            case Piecewise(cond, then, otherwise):
                relation = {
                    "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
                }[cond.op](build(cond.left), build(cond.right))  # fmt: skip
                if isinstance(otherwise, Undefined):
                    return sympy.Piecewise((build(then), relation))  # nan elsewhere
                return sympy.Piecewise((build(then), relation), (build(otherwise), True))
            case Undefined():
                return sympy.nan

    return build(expr)


def _function(name: str, args: list[Any]) -> Any:
    import sympy

    return FUNCTIONS[name].sympy(sympy, *args)


def no_verdict(*_: Any, **__: Any) -> Verdict:
    return Verdict(None, "none", "SymPy did not answer in time", 0)


@remote(undecided=no_verdict)
@remember_decided(keep=lambda verdict: verdict.agrees is not None)
def compare_with_sympy(expr: Expr, ours: Expr, var: str, prove: bool = True) -> Verdict:
    """Does our derivative of expr agree with sympy.diff? Numbers first, at points where
    f has a value, then (with prove) a time-limited symbolic proof; without it the verdict
    says it is numeric. A difference is rechecked with 50 digits before it counts: floats
    next to a pole (sec² − tan² at 1.61) make equal functions look different."""
    import sympy

    refusal = sympy_refusal(expr) or sympy_refusal(ours)
    if refusal is not None:
        return Verdict(None, "none", f"not asked: {refusal}", 0)
    symbols: dict[str, sympy.Symbol] = {}
    function = to_sympy(expr, symbols)
    mine = to_sympy(ours, symbols)
    x = symbols.get(var) or symbols.setdefault(var, sympy.Symbol(var, real=True))
    outcome = attempt(SYMBOLIC_SECONDS, lambda: sympy.diff(function, x))
    theirs = outcome.value
    if theirs is None:
        if outcome.timed_out:
            return Verdict(None, "none", "SymPy could not differentiate it in time", 0)
        return Verdict(None, "none", f"SymPy could not differentiate it ({outcome.failure})", 0)
    if theirs.has(sympy.Derivative):
        left = str(next(iter(theirs.atoms(sympy.Derivative))))
        left = left if len(left) <= 80 else left[:77] + "..."
        return Verdict(None, "none", f"SymPy could not differentiate a part of it: {left}", 0)
    shown = str(theirs)
    parameters = {
        s: PARAMETER_VALUES[i % len(PARAMETER_VALUES)]
        for i, s in enumerate(sorted(free_symbols(expr) - {var}))
    }
    substitutions = {symbols[name]: value for name, value in parameters.items() if name in symbols}
    reference = _float_function(theirs, [x, *substitutions])
    checked = 0
    for point in sample_points([expr, ours], var, parameters, SAMPLE_POINTS):
        a = _own_value(ours, {**parameters, var: point})
        b = reference(point, *substitutions.values())
        if a is None or b is None:
            continue
        if not math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12):
            exact_point = {**parameters, var: point}
            if not _differ_precisely(ours, theirs, symbols, exact_point):
                checked += 1
                continue  # the floats lost digits; 50 digits agree
            return Verdict(False, "numeric", shown, checked + 1, (point, a, b))
        checked += 1
    if prove and not has_large_power(ours) and _proved_equal(mine, theirs):
        return Verdict(True, "symbolic", shown, checked)
    if checked >= MIN_POINTS:
        return Verdict(True, "numeric", shown, checked)
    return Verdict(None, "none", shown, checked)


PRECISE_DIGITS = 50


def _differ_precisely(
    ours: Expr, theirs: Any, symbols: dict[str, Any], point: dict[str, float]
) -> bool:
    """Do our tree and SymPy's expression differ at the point (taken exactly), to 50
    digits? Where either has no real value there, they are not said to differ."""
    from fractions import Fraction

    import sympy

    from deriv_lecture.core.errors import MathError
    from deriv_lecture.core.numeric.precise import precise_value

    exact = {name: Num(Fraction(value)) for name, value in point.items()}
    try:
        mine = precise_value(ours, exact, PRECISE_DIGITS)
    except MathError:
        return False
    subs = {symbols[n]: sympy.Rational(Fraction(v)) for n, v in point.items() if n in symbols}
    value = within(SYMBOLIC_SECONDS / 4, lambda: sympy.N(theirs.subs(subs), PRECISE_DIGITS))
    if value is None or not value.is_number:
        return False
    try:
        other = complex(value)
    except (TypeError, ValueError, OverflowError):
        return False
    if other.imag != 0 or not math.isfinite(other.real):
        return False
    import mpmath

    scale = max(abs(mine), abs(mpmath.mpf(value.evalf(PRECISE_DIGITS))), 1)
    return bool(abs(mine - mpmath.mpf(value.evalf(PRECISE_DIGITS))) > scale * 10.0**-30)


def _own_value(expr: Expr, env: dict[str, float]) -> float | None:
    """Our own tree at a point, with our domain rules (undefined -> None)."""
    from deriv_lecture.core.errors import MathError
    from deriv_lecture.core.numeric.evaluate import evaluate

    try:
        return evaluate(expr, env)
    except MathError:
        return None


def _float_function(expr: Any, symbols: list[Any]) -> Any:
    """SymPy's expression as a fast float function (lambdify to the math module, code
    generated by SymPy from its own tree), falling back to evalf where that fails."""
    import sympy

    def by_evalf(*values: float) -> float | None:
        return _real_value(expr, dict(zip(symbols, values, strict=True)))

    compiled = within(SYMBOLIC_SECONDS / 4, lambda: sympy.lambdify(symbols, expr, "math"))
    if compiled is None:
        return by_evalf

    def fast(*values: float) -> float | None:
        try:
            value = compiled(*values)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None  # outside the domain, as math sees it
        except Exception:  # a function math does not have (Heaviside, DiracDelta, ...)
            return by_evalf(*values)
        if isinstance(value, complex):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return by_evalf(*values)
        return number if math.isfinite(number) else None

    return fast


def _real_value(expr: Any, values: dict[Any, float]) -> float | None:
    """expr at the point as a float, or None where it is undefined, complex or not finite."""
    import sympy

    def evaluate() -> Any:
        return expr.evalf(subs=values)

    value = within(SYMBOLIC_SECONDS / 4, evaluate)
    if value is None or not isinstance(value, sympy.Expr) or not value.is_number:
        return None
    try:
        number = complex(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)) or not math.isfinite(number.real):
        return None
    return number.real


@remote(undecided=lambda *_: False)
@remember_decided(keep=lambda proved: proved is True)  # False may be a proof out of time
def proved_equal(first: Expr, second: Expr) -> bool:
    """A symbolic proof (time-limited) that two of our expressions are the same."""
    symbols: dict[str, Any] = {}
    return _proved_equal(to_sympy(first, symbols), to_sympy(second, symbols))


def _proved_equal(mine: Any, theirs: Any) -> bool:
    """A symbolic proof that mine - theirs is 0, cheapest attempts first, time-limited."""
    import sympy

    difference = mine - theirs
    if difference == 0:
        return True
    tries: tuple[Any, ...] = (sympy.expand, sympy.cancel, sympy.simplify)
    for tidy in tries:

        def prove(tidy: Any = tidy) -> Any:
            return tidy(difference)

        result = within(SYMBOLIC_SECONDS, prove)
        if result is not None and result == 0:
            return True
    return False


# Trees bigger than this (counted written out) are not given to SymPy: building them in
# SymPy alone costs ~9 µs a node, and its diff of a product of 300 factors takes seconds.
MAX_SYMPY_NODES = 20_000
# SymPy computes constants exactly, in C, where no time limit reaches it: (3^9999 + 1)^9999
# is a 158-million-bit integer. Constants whose exact value would pass this many bits are
# kept away from it.
MAX_CONSTANT_BITS = 200_000


def sympy_refusal(expr: Expr) -> str | None:
    """Why expr is kept away from SymPy, or None if it is not: a constant whose exact value
    would be enormous (judged before anything computes it), or a tree too big to check in
    time."""
    from deriv_lecture.core.syntax.tree import size

    if size(expr) > MAX_SYMPY_NODES:
        return f"{size(expr):,} nodes, more than SymPy can check in the time allowed"
    if exact_bits(expr) > MAX_CONSTANT_BITS:
        return "a constant too large for exact arithmetic"
    return None


def exact_bits(expr: Expr) -> float:
    """About how many bits the exact values of expr's constant parts take (numerator and
    denominator), as SymPy would compute them: a power n^k takes k times n's bits. An
    upper estimate, found without computing anything big; symbols take none."""
    from deriv_lecture.core.syntax.tree import children, identity_memo

    def bits(node: Expr) -> float:
        match node:
            case Num(value):
                return float(value.numerator.bit_length() + value.denominator.bit_length())
            case Pow(base, Num(value)) if not free_symbols(base):
                return remembered(base) * max(1, abs(value.numerator))
            case Pow(base, exp) if not free_symbols(node):
                exponent = _magnitude(exp)
                return remembered(base) * max(1.0, abs(exponent)) + remembered(exp)
        return sum(remembered(c) for c in children(node))

    remembered = identity_memo(bits)
    return remembered(expr)


def _magnitude(expr: Expr) -> float:
    from deriv_lecture.core.errors import MathError
    from deriv_lecture.core.numeric.evaluate import evaluate

    try:
        return evaluate(expr, {})
    except MathError:
        return math.inf


LARGE_POWER = 64.0


def has_large_power(expr: Expr) -> bool:
    """A power whose expansion would be huge ((x + 1)^1000): SymPy's expand and cancel
    would build every term, so proofs and first-principles derivations skip it."""
    from deriv_lecture.core.errors import MathError
    from deriv_lecture.core.numeric.evaluate import evaluate
    from deriv_lecture.core.syntax.tree import walk

    for node in walk(expr):
        if isinstance(node, Pow) and not free_symbols(node.exp):
            try:
                if abs(evaluate(node.exp, {})) > LARGE_POWER:
                    return True
            except MathError:
                return True
    return False


def combined_verdict(
    variables: tuple[str, ...], derivations: tuple[Any, ...], prove: bool = True
) -> Verdict:
    """SymPy's verdict on several derivations (the orders of a higher or mixed partial, or
    the components of a gradient): each against sympy.diff of what it differentiated, by
    its variable, the other symbols held constant. Disagreement anywhere is disagreement;
    agreement needs every one."""
    return combine([
        compare_with_sympy(d.expr, d.derivative, var, prove)
        for var, d in zip(variables, derivations, strict=True)
    ])  # fmt: skip


def combine(verdicts: list[Verdict]) -> Verdict:
    """Several verdicts as one: the first disagreement, else the first undecided, else
    agreement (symbolic only if every one was proved)."""
    wrong = next((v for v in verdicts if v.agrees is False), None)
    if wrong is not None:
        return wrong
    undecided = next((v for v in verdicts if v.agrees is None), None)
    if undecided is not None:
        return undecided
    method = "symbolic" if all(v.method == "symbolic" for v in verdicts) else "numeric"
    shown = ", ".join(v.sympy_derivative for v in verdicts)
    return Verdict(True, method, shown, min(v.points_checked for v in verdicts))
