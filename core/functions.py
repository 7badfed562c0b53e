"""The function table: every function of the language is one row, and nothing else lists
functions.

A row holds what each stage needs to know of one function: its names, one derivative per
argument (as JAX's defjvp and autograd's defvjp(..., argnum) declare them), its float and
many-digit values and real domain, its SymPy counterpart both ways, exact values at special
points, the rule's name as the lecture says it, and how it prints. The parser, the rules,
the evaluators, the normal form, the SymPy bridge, the domain guards, the point analysis
and the printers all read it. Adding a function is one row here and its tests (erf, which
the lecture does not have, is the example).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from deriv_lecture.core.calculus.algebra import add, div, mul, neg, power, sub
from deriv_lecture.core.errors import DomainError
from deriv_lecture.core.syntax.tree import (
    NO_VALUE,
    ONE,
    PI,
    TWO,
    ZERO,
    Add,
    Call,
    Compare,
    Div,
    E,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Undefined,
)

Args = tuple[Expr, ...]
Partial = Callable[[Args], Expr]  # ∂F/∂(argument i), a tree of the arguments

# -- domain guards: the sign a quantity must have at a point (core.numeric.domains) --------
NONZERO, POSITIVE, NONNEG, SWITCH = "nonzero", "positive", "nonneg", "switch"


@dataclass(frozen=True, slots=True)
class Guard:
    kind: str  # NONZERO, POSITIVE, NONNEG or SWITCH
    quantity: Expr
    why: str  # what is wrong where the requirement fails
    edge: str = ""  # what is special where the quantity is 0 (NONNEG, SWITCH)


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    rule: str  # the lecture's name for its rule: "trigonometric rule"
    partials: tuple[Partial, ...]  # one derivative per argument
    value: Callable[..., float]  # the float value; DomainError off the real domain
    precise: Callable[..., Any]  # precise(mpmath, *args): the value to many digits
    sympy: Callable[..., Any]  # sympy(sympy, *args): SymPy's counterpart
    aliases: tuple[str, ...] = ()  # other words people type for it
    sympy_names: tuple[str, ...] = ()  # SymPy classes read back as this function
    guards: Callable[[Args], list[Guard]] = lambda _: []  # where it is defined and smooth
    family: str | None = None  # "trigonometric", "hyperbolic": forms keep to a family
    at_zero: Fraction | None = None  # its exact value at 0, where that is a number
    at_pi: bool = False  # exact values at multiples of π/6 and π/4 (core.calculus.normal)
    of_exp: Callable[[Fraction], Fraction] | None = None  # its value at t with e^t = q
    reciprocal: str | None = None  # 1/sin is csc
    ratio: tuple[str, str] | None = None  # tan = sin/cos
    squares: tuple[str, int] | None = None  # sin² + cos² = 1: ("cos", 1); cosh² − sinh²
    as_quotient: Callable[[Args], Expr] | None = None  # tan(u) = sin(u)/cos(u): its poles
    slope_at_zero: Fraction | None = None  # F'(0) where F(0) = 0: F(u) ~ F'(0)·u
    # F(u) as u → ±∞ (the sign given) ~ c·t^order in the point analysis's terms
    at_infinity: Callable[[int], tuple[Expr, Fraction | float]] | None = None
    growing: bool = False  # grows like e^u: many digits need a small argument
    # LaTeX: a command (\sin, written \sin\left(x\right)) or a form of the arguments
    # ({0}, {1}): \sqrt{{{0}}}; None: \operatorname{name}
    latex: str | None = None
    raised: bool = True  # its square prints sin²(x); False: (√x)², |x|², σ(x)²
    merges: bool = False  # products of it fold by identities (sign·|u| = u, ∛u·∛u = ∛u²)
    combine: Callable[[Args, tuple[Expr, ...]], Expr] | None = None  # see max below
    # A function made of pieces (abs, relu, max): the piece beside a point, given its
    # arguments there and the sign of its switch quantity (the SWITCH guard's).
    pieces: Callable[[Args, int], Expr] | None = None
    # Printed with a glyph rather than its name: one before the argument (√x, ∛x), or a
    # pair around it (|x|).
    glyph: str | None = None
    enclosed: bool = False  # its LaTeX brackets itself: \sqrt{x}^{2}, \left|x\right|^{2}
    bases: tuple[tuple[str, int], ...] = ()  # words that fix a second argument: log2, log10

    @property
    def arity(self) -> int:
        return len(self.partials)


def _call(name: str) -> Callable[[Args], Expr]:
    return lambda a: Call(name, (a[0],))


def _square(u: Expr) -> Expr:
    return power(u, TWO)


def _sqrt(u: Expr) -> Expr:
    return Call("sqrt", (u,))


def _minus(a: Expr, b: Expr) -> Expr:
    return Add((a, Neg(b)))


# -- float values ----------------------------------------------------------------------------
def _short(value: float) -> str:
    return f"{value:.6g}"


def _domain(check: Callable[[float], bool], f: Callable[[float], float], why: str) -> Any:
    def guarded(u: float) -> float:
        if not check(u):
            raise DomainError(why.format(u=_short(u)))
        return f(u)

    return guarded


def _nonzero(value: float, name: str) -> float:
    if value == 0:
        raise DomainError(f"{name} has a pole here")
    return value


def _sigmoid(u: float) -> float:
    if u >= 0:  # stable on both sides: no overflow of exp for large |u|
        return 1 / (1 + math.exp(-u))
    z = math.exp(u)
    return z / (1 + z)


def _log(u: float, base: float) -> float:
    if base <= 0 or base == 1:
        raise DomainError(f"a logarithm needs a positive base other than 1, not {_short(base)}")
    return LN_VALUE(u) / math.log(base)


LN_VALUE = _domain(lambda u: u > 0, math.log, "ln is defined for positive numbers, not at {u}")


# -- guards ----------------------------------------------------------------------------------
def _pole_of(denominator: str) -> Callable[[Args], list[Guard]]:
    return lambda a: [Guard(NONZERO, Call(denominator, a), "{name} has a pole here")]


def _switch(a: Args) -> list[Guard]:
    return [Guard(SWITCH, a[0], "", "{name}'s argument is 0")]


def _unit_interval(a: Args) -> list[Guard]:
    why, edge = "{name} is defined on [-1, 1]", "the argument of {name} is ±1"
    return [Guard(NONNEG, _minus(ONE, a[0]), why, edge), Guard(NONNEG, Add((ONE, a[0])), why, edge)]


def _outside_unit(a: Args) -> list[Guard]:
    square = _minus(Pow(a[0], TWO), ONE)
    return [Guard(NONNEG, square, "{name} needs |u| >= 1", "the argument of {name} is ±1")]


def _log_guards(a: Args) -> list[Guard]:
    return [
        Guard(POSITIVE, a[0], "a logarithm is defined for positive numbers"),
        Guard(POSITIVE, a[1], "a logarithm needs a positive base"),
        Guard(NONZERO, _minus(a[1], ONE), "a logarithm's base cannot be 1"),
    ]


# -- piecewise derivatives (the rules build strict-inequality pieces) ------------------------
def apart(cond: Compare, inside: Expr, outside: Expr) -> Expr:
    """inside where cond holds strictly, outside where it strictly fails, no value on the
    boundary: `a if l > r else b if l < r` (a kink has no derivative)."""
    strict = Compare({"<": "<", "<=": "<", ">": ">", ">=": ">"}[cond.op], cond.left, cond.right)
    if isinstance(outside, Undefined):
        return Piecewise(strict, inside, outside)
    opposite = {"<": ">", "<=": ">", ">": "<", ">=": "<"}[cond.op]
    return Piecewise(
        strict, inside, Piecewise(Compare(opposite, cond.left, cond.right), outside, NO_VALUE)
    )


def _max_or_min(op: str) -> Callable[[Args, tuple[Expr, ...]], Expr]:
    """max(f, g)' = f' where f > g, g' where g > f (min the other way round), nothing where
    they tie: the sum of ∂/∂f·f' and ∂/∂g·g', written as one piecewise."""
    return lambda a, d: apart(Compare(op, a[0], a[1]), d[0], d[1])


def _exact_pi_over(q: int) -> Callable[[int], tuple[Expr, Fraction | float]]:
    return lambda s: (Mul((Num(Fraction(s, q)), PI)), Fraction(0))


INFINITE = math.inf  # an order past every power: e^(−1/t) (+∞) or e^(1/t) (−∞)

_TRIG = "trigonometric rule"
_INV_TRIG = "inverse trigonometric rule"
_HYP = "hyperbolic rule"
_INV_HYP = "inverse hyperbolic rule"

ROWS: tuple[Function, ...] = (
    # -- trigonometric --------------------------------------------------------------------
    Function("sin", _TRIG, (_call("cos"),), math.sin, lambda mp, u: mp.sin(u),
             lambda sp, u: sp.sin(u), sympy_names=("sin",), family="trigonometric",
             at_zero=Fraction(0), at_pi=True, reciprocal="csc", squares=("cos", 1),
             slope_at_zero=Fraction(1), latex=r"\sin", merges=True),
    Function("cos", _TRIG, (lambda a: neg(Call("sin", a)),), math.cos,
             lambda mp, u: mp.cos(u), lambda sp, u: sp.cos(u), sympy_names=("cos",),
             family="trigonometric", at_zero=Fraction(1), at_pi=True, reciprocal="sec",
             latex=r"\cos", merges=True),
    Function("tan", _TRIG, (lambda a: _square(Call("sec", a)),),
             lambda u: math.sin(u) / _nonzero(math.cos(u), "tan"), lambda mp, u: mp.tan(u),
             lambda sp, u: sp.tan(u), sympy_names=("tan",), guards=_pole_of("cos"),
             family="trigonometric", at_zero=Fraction(0), at_pi=True, reciprocal="cot",
             ratio=("sin", "cos"), as_quotient=lambda a: Div(Call("sin", a), Call("cos", a)),
             slope_at_zero=Fraction(1), latex=r"\tan"),
    Function("sec", _TRIG, (lambda a: mul(Call("sec", a), Call("tan", a)),),
             lambda u: 1 / _nonzero(math.cos(u), "sec"), lambda mp, u: mp.sec(u),
             lambda sp, u: sp.sec(u), sympy_names=("sec",), guards=_pole_of("cos"),
             family="trigonometric", at_pi=True, as_quotient=lambda a: Div(ONE, Call("cos", a)),
             latex=r"\sec"),
    Function("csc", _TRIG, (lambda a: neg(mul(Call("csc", a), Call("cot", a))),),
             lambda u: 1 / _nonzero(math.sin(u), "csc"), lambda mp, u: mp.csc(u),
             lambda sp, u: sp.csc(u), sympy_names=("csc",), guards=_pole_of("sin"),
             family="trigonometric", at_pi=True, as_quotient=lambda a: Div(ONE, Call("sin", a)),
             latex=r"\csc"),
    Function("cot", _TRIG, (lambda a: neg(_square(Call("csc", a))),),
             lambda u: math.cos(u) / _nonzero(math.sin(u), "cot"), lambda mp, u: mp.cot(u),
             lambda sp, u: sp.cot(u), sympy_names=("cot",), guards=_pole_of("sin"),
             family="trigonometric", at_pi=True,
             as_quotient=lambda a: Div(Call("cos", a), Call("sin", a)), latex=r"\cot"),
    # -- inverse trigonometric ---------------------------------------------------------------
    Function("asin", _INV_TRIG, (lambda a: div(ONE, _sqrt(sub(ONE, _square(a[0])))),),
             _domain(lambda u: -1 <= u <= 1, math.asin, "asin is defined on [-1, 1], not at {u}"),
             lambda mp, u: mp.asin(u), lambda sp, u: sp.asin(u), aliases=("arcsin",),
             sympy_names=("asin",), guards=_unit_interval, at_zero=Fraction(0),
             slope_at_zero=Fraction(1), latex=r"\arcsin"),
    Function("acos", _INV_TRIG,
             (lambda a: neg(div(ONE, _sqrt(sub(ONE, _square(a[0]))))),),
             _domain(lambda u: -1 <= u <= 1, math.acos, "acos is defined on [-1, 1], not at {u}"),
             lambda mp, u: mp.acos(u), lambda sp, u: sp.acos(u), aliases=("arccos",),
             sympy_names=("acos",), guards=_unit_interval, latex=r"\arccos"),
    Function("atan", _INV_TRIG, (lambda a: div(ONE, add(ONE, _square(a[0]))),), math.atan,
             lambda mp, u: mp.atan(u), lambda sp, u: sp.atan(u), aliases=("arctan",),
             sympy_names=("atan",), at_zero=Fraction(0), slope_at_zero=Fraction(1),
             at_infinity=_exact_pi_over(2), latex=r"\arctan"),
    # acot(u) = π/2 − atan(u), continuous with values in (0, π). SymPy's and mpmath's acot
    # jump from −π/2 to π/2 at 0, so they are asked for π/2 − atan(u), and SymPy's acot is
    # not read back as ours.
    Function("acot", _INV_TRIG, (lambda a: neg(div(ONE, add(ONE, _square(a[0])))),),
             lambda u: math.pi / 2 - math.atan(u), lambda mp, u: mp.pi / 2 - mp.atan(u),
             lambda sp, u: sp.pi / 2 - sp.atan(u), aliases=("arccot",)),
    Function("asec", _INV_TRIG,
             (lambda a: div(ONE, mul(Call("abs", a), _sqrt(sub(_square(a[0]), ONE)))),),
             _domain(lambda u: abs(u) >= 1, lambda u: math.acos(1 / u),
                     "asec needs |u| >= 1, not {u}"),
             lambda mp, u: mp.asec(u), lambda sp, u: sp.asec(u), aliases=("arcsec",),
             sympy_names=("asec",), guards=_outside_unit),
    Function("acsc", _INV_TRIG,
             (lambda a: neg(div(ONE, mul(Call("abs", a), _sqrt(sub(_square(a[0]), ONE))))),),
             _domain(lambda u: abs(u) >= 1, lambda u: math.asin(1 / u),
                     "acsc needs |u| >= 1, not {u}"),
             lambda mp, u: mp.acsc(u), lambda sp, u: sp.acsc(u), aliases=("arccsc",),
             sympy_names=("acsc",), guards=_outside_unit),
    # -- hyperbolic -------------------------------------------------------------------------
    Function("sinh", _HYP, (_call("cosh"),), math.sinh, lambda mp, u: mp.sinh(u),
             lambda sp, u: sp.sinh(u), sympy_names=("sinh",), family="hyperbolic",
             at_zero=Fraction(0), of_exp=lambda q: (q - 1 / q) / 2, reciprocal="csch",
             slope_at_zero=Fraction(1), at_infinity=lambda s: (Num(Fraction(s)), -INFINITE),
             growing=True, latex=r"\sinh", merges=True),
    Function("cosh", _HYP, (_call("sinh"),), math.cosh, lambda mp, u: mp.cosh(u),
             lambda sp, u: sp.cosh(u), sympy_names=("cosh",), family="hyperbolic",
             at_zero=Fraction(1), of_exp=lambda q: (q + 1 / q) / 2, reciprocal="sech",
             squares=("sinh", -1), at_infinity=lambda s: (ONE, -INFINITE), growing=True,
             latex=r"\cosh", merges=True),
    Function("tanh", _HYP, (lambda a: _square(Call("sech", a)),), math.tanh,
             lambda mp, u: mp.tanh(u), lambda sp, u: sp.tanh(u), sympy_names=("tanh",),
             family="hyperbolic", at_zero=Fraction(0),
             of_exp=lambda q: (q * q - 1) / (q * q + 1), reciprocal="coth",
             ratio=("sinh", "cosh"), slope_at_zero=Fraction(1),
             at_infinity=lambda s: (Num(Fraction(s)), Fraction(0)), latex=r"\tanh"),
    Function("sech", _HYP, (lambda a: neg(mul(Call("sech", a), Call("tanh", a))),),
             lambda u: 1 / math.cosh(u), lambda mp, u: mp.sech(u), lambda sp, u: sp.sech(u),
             sympy_names=("sech",), family="hyperbolic", at_zero=Fraction(1),
             of_exp=lambda q: 2 / (q + 1 / q), at_infinity=lambda s: (ONE, INFINITE),
             growing=True),
    Function("csch", _HYP, (lambda a: neg(mul(Call("csch", a), Call("coth", a))),),
             lambda u: 1 / _nonzero(math.sinh(u), "csch"), lambda mp, u: mp.csch(u),
             lambda sp, u: sp.csch(u), sympy_names=("csch",),
             guards=lambda a: [Guard(NONZERO, a[0], "{name} has a pole here")],
             family="hyperbolic", of_exp=lambda q: 2 / (q - 1 / q),
             as_quotient=lambda a: Div(ONE, Call("sinh", a)), growing=True),
    Function("coth", _HYP, (lambda a: Neg(_square(Call("csch", a))),),
             lambda u: math.cosh(u) / _nonzero(math.sinh(u), "coth"),
             lambda mp, u: mp.coth(u), lambda sp, u: sp.coth(u), sympy_names=("coth",),
             guards=lambda a: [Guard(NONZERO, a[0], "{name} has a pole here")],
             family="hyperbolic", of_exp=lambda q: (q * q + 1) / (q * q - 1),
             as_quotient=lambda a: Div(Call("cosh", a), Call("sinh", a)), latex=r"\coth"),
    # -- inverse hyperbolic -----------------------------------------------------------------
    Function("asinh", _INV_HYP, (lambda a: div(ONE, _sqrt(add(_square(a[0]), ONE))),),
             math.asinh, lambda mp, u: mp.asinh(u), lambda sp, u: sp.asinh(u),
             aliases=("arsinh", "arcsinh"), sympy_names=("asinh",), at_zero=Fraction(0),
             slope_at_zero=Fraction(1)),
    Function("acosh", _INV_HYP, (lambda a: div(ONE, _sqrt(sub(_square(a[0]), ONE))),),
             _domain(lambda u: u >= 1, math.acosh, "acosh is defined for u >= 1, not at {u}"),
             lambda mp, u: mp.acosh(u), lambda sp, u: sp.acosh(u),
             aliases=("arcosh", "arccosh"), sympy_names=("acosh",),
             guards=lambda a: [Guard(NONNEG, _minus(a[0], ONE), "acosh is defined for u >= 1",
                                     "acosh's argument is 1")]),
    Function("atanh", _INV_HYP, (lambda a: div(ONE, sub(ONE, _square(a[0]))),),
             _domain(lambda u: -1 < u < 1, math.atanh, "atanh is defined on (-1, 1), not at {u}"),
             lambda mp, u: mp.atanh(u), lambda sp, u: sp.atanh(u),
             aliases=("artanh", "arctanh"), sympy_names=("atanh",),
             guards=lambda a: [Guard(POSITIVE, _minus(ONE, Mul((a[0], a[0]))),
                                     "atanh is defined on (-1, 1)")],
             at_zero=Fraction(0), slope_at_zero=Fraction(1)),
    # -- exponential, logarithms, roots -----------------------------------------------------
    Function("exp", "exponential rule", (_call("exp"),), math.exp, lambda mp, u: mp.exp(u),
             lambda sp, u: sp.exp(u), growing=True, latex=r"\exp"),
    Function("ln", "logarithm rule", (lambda a: div(ONE, a[0]),), LN_VALUE,
             lambda mp, u: mp.ln(u), lambda sp, u: sp.log(u), aliases=("log",),
             guards=lambda a: [Guard(POSITIVE, a[0], "ln is defined for positive numbers")],
             latex=r"\ln"),
    # log(u, b): log_B(x), log2 and log10 are this (core.syntax.names)
    Function("log", "logarithm rule",
             (lambda a: div(ONE, mul(a[0], Call("ln", (a[1],)))),
              lambda a: neg(div(Call("ln", (a[0],)), mul(a[1], _square(Call("ln", (a[1],))))))),
             _log, lambda mp, u, b: mp.ln(u) / mp.ln(b),
             lambda sp, u, b: sp.log(u) / sp.log(b), guards=_log_guards, raised=False,
             bases=(("log2", 2), ("log10", 10)), latex=r"\log_{{{1}}}\left({0}\right)",
             as_quotient=lambda a: Div(Call("ln", (a[0],)), Call("ln", (a[1],)))),
    Function("sqrt", "power rule", (lambda a: div(ONE, mul(TWO, _sqrt(a[0]))),),
             _domain(lambda u: u >= 0, math.sqrt, "sqrt is defined for u >= 0, not at {u}"),
             lambda mp, u: mp.sqrt(u), lambda sp, u: sp.sqrt(u),
             guards=lambda a: [Guard(NONNEG, a[0], "sqrt is defined for numbers >= 0",
                                     "sqrt's argument is 0")],
             as_quotient=lambda a: Pow(a[0], Num(Fraction(1, 2))), raised=False, glyph="√",
             enclosed=True, latex=r"\sqrt{{{0}}}"),
    Function("cbrt", "power rule",
             (lambda a: div(ONE, mul(Num(Fraction(3)), _square(Call("cbrt", a)))),),
             lambda u: math.copysign(abs(u) ** (1 / 3), u) if u else 0.0,
             lambda mp, u: mp.sign(u) * mp.cbrt(abs(u)),
             # sign·|u|^(1/3) rather than real_root, which turns into a Piecewise SymPy
             # cannot differentiate when it cannot tell that u is real.
             lambda sp, u: sp.sign(u) * sp.Abs(u) ** sp.Rational(1, 3),
             guards=_switch, at_zero=Fraction(0), raised=False, merges=True, glyph="∛",
             enclosed=True, latex=r"\sqrt[3]{{{0}}}"),
    # -- absolute value and the switches ----------------------------------------------------
    Function("abs", "absolute value rule", (_call("sign"),), abs, lambda mp, u: mp.fabs(u),
             lambda sp, u: sp.Abs(u), sympy_names=("Abs",), guards=_switch,
             at_zero=Fraction(0), raised=False, merges=True, glyph="||", enclosed=True,
             latex=r"\left|{0}\right|",
             pieces=lambda a, s: a[0] if s > 0 else Neg(a[0]) if s < 0 else ZERO),
    Function("sign", "piecewise rule", (lambda a: Num(Fraction(0)),),
             lambda u: float((u > 0) - (u < 0)), lambda mp, u: mp.mpf(int(mp.sign(u))),
             lambda sp, u: sp.sign(u), sympy_names=("sign",), guards=_switch,
             at_zero=Fraction(0), raised=False, merges=True, pieces=lambda a, s: Num(Fraction(s))),
    Function("relu", "piecewise rule",
             (lambda a: apart(Compare(">", a[0], Num(Fraction(0))), ONE, Num(Fraction(0))),),
             lambda u: max(0.0, u), lambda mp, u: max(mp.mpf(0), u), lambda sp, u: sp.Max(0, u),
             aliases=("ReLU", "Relu"), guards=_switch, at_zero=Fraction(0), raised=False,
             pieces=lambda a, s: a[0] if s > 0 else ZERO),
    Function("sigmoid", "sigmoid rule",
             (lambda a: mul(Call("sigmoid", a), sub(ONE, Call("sigmoid", a))),),
             _sigmoid, lambda mp, u: 1 / (1 + mp.exp(-u)), lambda sp, u: 1 / (1 + sp.exp(-u)),
             at_infinity=lambda s: (ONE, Fraction(0)) if s > 0 else (ONE, INFINITE),
             growing=True, raised=False, latex=r"\sigma\left({0}\right)"),
    Function("max", "piecewise rule",
             (lambda a: apart(Compare(">", a[0], a[1]), ONE, Num(Fraction(0))),
              lambda a: apart(Compare("<", a[0], a[1]), ONE, Num(Fraction(0)))),
             max, lambda mp, u, v: max(u, v), lambda sp, u, v: sp.Max(u, v),
             sympy_names=("Max",), combine=_max_or_min(">"), latex=r"\max", raised=False,
             pieces=lambda a, s: a[0] if s >= 0 else a[1],
             guards=lambda a: [Guard(SWITCH, _minus(a[0], a[1]), "",
                                     "the two arguments of {name} tie")]),
    Function("min", "piecewise rule",
             (lambda a: apart(Compare("<", a[0], a[1]), ONE, Num(Fraction(0))),
              lambda a: apart(Compare(">", a[0], a[1]), ONE, Num(Fraction(0)))),
             min, lambda mp, u, v: min(u, v), lambda sp, u, v: sp.Min(u, v),
             sympy_names=("Min",), combine=_max_or_min("<"), latex=r"\min", raised=False,
             pieces=lambda a, s: a[1] if s >= 0 else a[0],
             guards=lambda a: [Guard(SWITCH, _minus(a[0], a[1]), "",
                                     "the two arguments of {name} tie")]),
    # -- beyond the lecture: the error function, added as one row ----------------------------
    Function("erf", "error function rule",
             (lambda a: div(mul(TWO, power(E, neg(_square(a[0])))), _sqrt(PI)),),
             math.erf, lambda mp, u: mp.erf(u), lambda sp, u: sp.erf(u),
             sympy_names=("erf",), at_zero=Fraction(0),
             at_infinity=lambda s: (Num(Fraction(s)), Fraction(0)),
             latex=r"\operatorname{erf}"),
)  # fmt: skip

FUNCTIONS: dict[str, Function] = {row.name: row for row in ROWS}


def _power_by_base(a: Args) -> Expr:
    """∂(u^n)/∂u = n·u^(n−1)."""
    u, n = a
    lowered = Num(n.value - 1) if isinstance(n, Num) else sub(n, ONE)
    return mul(n, power(u, lowered))


def _power_by_exponent(a: Args) -> Expr:
    """∂(a^u)/∂u = ln(a)·a^u, and e^u for a = e."""
    base, u = a
    return power(E, u) if base == E else mul(Call("ln", (base,)), power(base, u))


# The power u^v is a node of its own (written ^), not a word of the language, but its two
# derivatives are declared the same way: the power rule is the first, the exponential rule
# the second, and where both vary the rules differentiate logarithmically.
POWER = Function(
    "^", "power rule", (_power_by_base, _power_by_exponent),
    lambda u, v: math.pow(u, v), lambda mp, u, v: mp.power(u, v), lambda sp, u, v: u**v,
)  # fmt: skip


def function(name: str) -> Function:
    return FUNCTIONS[name]


def guards_of(name: str, args: Args) -> list[Guard]:
    """The requirements F puts on its arguments, with its name in the sentences."""
    return [
        Guard(g.kind, g.quantity, g.why.format(name=name), g.edge.format(name=name))
        for g in FUNCTIONS[name].guards(args)
    ]
