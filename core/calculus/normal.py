"""The normal form: a canonical tree in which like terms and like factors meet.

Sums of terms with rational coefficients, products of base^exponent with the exponents
of one base added up, no Neg and no Div, factors in a fixed order. Sums and products are
built by `Normalizer.add` and `Normalizer.mul`, which also cancel (sin² + cos² = 1,
common factors of a sum against the rest of the product) within fixed bounds (number
folding in core.calculus.algebra).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from deriv_lecture.core.calculus.algebra import fold_power
from deriv_lecture.core.functions import ROWS
from deriv_lecture.core.syntax.tree import (
    MINUS_ONE,
    ONE,
    ZERO,
    Add,
    Call,
    Compare,
    Const,
    Div,
    E,
    Expr,
    Key,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
    free_symbols,
    identity_memo,
    structure_keys,
)

HALF = Fraction(1, 2)
# f(0) for functions whose value there is a plain number (the function table's at_zero).
VALUE_AT_ZERO = {row.name: row.at_zero for row in ROWS if row.at_zero is not None}
# Pairs whose squares add (sin² + cos² = 1) or subtract (cosh² − sinh² = 1) to one.
PYTHAGOREAN = {(row.name, row.squares[0]): row.squares[1] for row in ROWS if row.squares}


class Normalizer:
    """Builds the normal form of trees, remembering each node it has seen: use one per
    simplification, so that its memos (and the sums met in two orders) are of one tree."""

    def __init__(self, var: str | None) -> None:
        self.var = var
        self._sums: dict[frozenset[Expr], Add] = {}
        self.run: Callable[[Expr], Expr] = identity_memo(self._run)
        structure = structure_keys()
        self.factor_order: Callable[[Expr], tuple[int, tuple[Key, int, Key]]] = identity_memo(
            lambda factor: (_factor_rank(factor), structure(factor))
        )

    def _run(self, expr: Expr) -> Expr:
        match expr:
            case Num() | Const() | Sym() | Undefined():
                return expr
            case Neg(arg):
                return self.mul([MINUS_ONE, self.run(arg)])
            case Add():
                return self.add([self.run(t) for t in _raw_parts(expr, Add)])
            case Mul():
                return self.mul([self.run(f) for f in _raw_parts(expr, Mul)])
            case Div(num, den):
                return self.mul([self.run(num), self.pow(self.run(den), Num(Fraction(-1)))])
            case Pow(base, exp):
                return self.pow(self.run(base), self.run(exp))
            case Call(name, args):
                return self.call(name, tuple(self.run(a) for a in args))
            case Piecewise(cond, then, otherwise):
                new_cond = Compare(cond.op, self.run(cond.left), self.run(cond.right))
                then_n, otherwise_n = self.run(then), self.run(otherwise)
                # (a if c else b) where c holds: a. The derivative of a piecewise piece is
                # itself piecewise on the same condition ((0 if c) if c reads as 0 if c).
                while isinstance(then_n, Piecewise) and then_n.cond == new_cond:
                    then_n = then_n.then
                return then_n if then_n == otherwise_n else Piecewise(new_cond, then_n, otherwise_n)

    # -- sums ---------------------------------------------------------------------------
    def add(self, terms: list[Expr]) -> Expr:
        coefficients: dict[tuple[Expr, ...], Fraction] = {}
        for term in _flatten(terms, Add):
            coefficient, monomial = split_coefficient(term)
            known = coefficients.get(monomial)
            coefficients[monomial] = coefficient if known is None else known + coefficient
        self._apply_pythagorean(coefficients)
        built = [_product(c, m) for m, c in coefficients.items() if c != 0]
        if not built:
            return ZERO
        if len(built) == 1:
            return built[0]
        # The same sum met in another order is the same base: 1 + cos(x) and cos(x) + 1
        # must cancel in (cos(x) + 1)/(1 + cos(x))². The first order met is kept.
        key = frozenset(built)
        seen = self._sums.get(key)
        if seen is not None:
            return seen
        if self.var is not None:
            built = self._by_degree(built)
        total = Add(tuple(built))
        self._sums[key] = total
        return total

    def _apply_pythagorean(self, coefficients: dict[tuple[Expr, ...], Fraction]) -> None:
        """c·M·sin²u + c·M·cos²u -> c·M, and c·M·cosh²u − c·M·sinh²u -> c·M."""
        for (first, second), sign in PYTHAGOREAN.items():
            for monomial in list(coefficients):
                square = _find_square(monomial, first)
                if square is None or monomial not in coefficients:
                    continue
                rest = [f for f in monomial if f != square]
                assert isinstance(square.base, Call)  # _find_square checked it
                partner_factor = Pow(Call(second, square.base.args), square.exp)
                _, partner = split_coefficient(self.mul([*rest, partner_factor]))
                c = coefficients[monomial]
                if coefficients.get(partner) == c * sign:
                    del coefficients[monomial], coefficients[partner]
                    rest_c, rest_m = split_coefficient(self.mul(rest) if rest else ONE)
                    coefficients[rest_m] = coefficients.get(rest_m, Fraction(0)) + c * rest_c

    def _by_degree(self, terms: list[Expr]) -> list[Expr]:
        """Polynomials in the variable read highest power first: 9x² − 4x + 10."""
        degrees = [degree_in(t, self.var or "") for t in terms]
        if any(d is None for d in degrees):
            return terms
        parameters = any(
            d == 0 and not isinstance(t, Num) for d, t in zip(degrees, terms, strict=True)
        )
        if max(d or 0 for d in degrees) < 2 and not parameters:
            return terms  # 1 + x stays as written (the lecture's 1 + u1); x² − 4 is sorted
        order = sorted(range(len(terms)), key=lambda i: -(degrees[i] or 0))
        ordered = [terms[i] for i in order]
        # Highest power first (2x + 5, −x⁴ + x³), but a positive constant leads a sum that
        # would open with a minus: 1 − x², as in √(1 − x²).
        constant = next((t for t in ordered if isinstance(t, Num) and t.value > 0), None)
        if constant is not None and split_coefficient(ordered[0])[0] < 0:
            ordered.remove(constant)
            ordered.insert(0, constant)
        return ordered

    # -- products -----------------------------------------------------------------------
    def mul(self, factors: list[Expr]) -> Expr:
        flat = _flatten(factors, Mul)
        simple = _simple_product(flat)
        return self._merge_powers(flat) if simple is None else self._finish(*simple)

    def _merge_powers(self, flat: list[Expr]) -> Expr:
        """x·x² -> x³, e^x·e^-x -> 1, ∛x·∛x² -> x: factors of one base become one power."""
        coefficient = Fraction(1)
        exponents: dict[tuple[str, Expr], list[Expr]] = {}
        for factor in flat:
            if isinstance(factor, Num):
                coefficient *= factor.value
                continue
            kind, base, exp = _base_exp(factor)
            exponents.setdefault((kind, base), []).append(exp)
        if coefficient == 0:
            return ZERO
        combined = {
            key: exps[0] if len(exps) == 1 else self.add(exps) for key, exps in exponents.items()
        }
        _fold_cube_roots(combined)
        _fold_signs(combined)
        _fold_quotients(combined)
        rest: list[Expr] = []
        for (kind, base), exp in combined.items():
            part: Expr
            if kind == "cbrt":
                root = Call("cbrt", (base,))
                part = root if exp == ONE else ONE if exp == ZERO else Pow(root, exp)
            else:
                part = self.pow(base, exp)
            if isinstance(part, Num):
                coefficient *= part.value
            elif part != ONE:
                rest.extend(part.factors if isinstance(part, Mul) else (part,))
        return self._finish(coefficient, rest)

    def _finish(self, coefficient: Fraction, rest: list[Expr]) -> Expr:
        """Sums cancelled against the rest, then the factors in their fixed order."""
        if coefficient == 0:
            return ZERO
        cancelled = self._cancel(rest)
        if cancelled is not None:
            return self.mul([Num(coefficient), *cancelled])
        rest.sort(key=self.factor_order)
        return _product(coefficient, tuple(rest))

    def _cancel(self, factors: list[Expr]) -> list[Expr] | None:
        """Pull out of a sum the common factors that cancel against the rest of the product:
        (2x·eˣ − x²·eˣ)·e⁻²ˣ -> (2x − x²)·eˣ·e⁻²ˣ."""
        if not any(isinstance(f, Add) for f in factors):
            return None
        outside = {(kind, base): exp for kind, base, exp in map(_base_exp, factors)}
        for index, factor in enumerate(factors):
            # A factor common to all terms is a factor of the first: a cheap test that
            # keeps a product of n sums linear, before the full look at every term.
            if not isinstance(factor, Add) or not _may_cancel(factor.terms[0], outside):
                continue
            common = _common_factors(factor)
            cancelling = [
                (key, exp)
                for key, exp in common.items()
                if key in outside and exponent_sign(outside[key]) == -exponent_sign(exp)
            ]
            if not cancelling:
                continue
            pulled = [self.pow(_rebuild_base(key), exp) for key, exp in cancelling]
            inverse = [self.pow(p, Num(Fraction(-1))) for p in pulled]
            reduced = self.add([self.mul([term, *inverse]) for term in factor.terms])
            return [*factors[:index], reduced, *pulled, *factors[index + 1 :]]
        return None

    # -- powers and functions -------------------------------------------------------------
    def pow(self, base: Expr, exp: Expr) -> Expr:
        if exp == ZERO:
            return ONE
        if exp == ONE:
            return base
        if isinstance(base, Pow) and _positive_base(base.base):
            return self.pow(base.base, self.mul([base.exp, exp]))
        if base == E:
            logarithm = _log_of(exp)
            if logarithm is not None:  # e^(k ln u) = u^k, where ln u has a value (u > 0)
                return self.pow(logarithm[1], Num(logarithm[0]))
        if not isinstance(exp, Num):
            return Pow(base, exp)
        value = exp.value
        if isinstance(base, Call) and base.name == "cbrt" and value.denominator == 1:
            return self.mul([Pow(base, exp)])  # ∛x³ = x, folded with the other powers of x
        match base:
            case Num(b):
                folded = _fold_rational_power(b, value)
                if folded is not None:
                    return Num(folded)
                whole = value.numerator // value.denominator
                if b > 0 and whole != 0 and abs(whole) <= 64 and b.numerator.bit_length() < 64:
                    # 3^(3/2) = 3√3 and 3^(−3/2) = √3/9: one radical, a rational factor
                    # (the form f(a) and the tangent line share).
                    return self.mul([Num(b**whole), Pow(base, Num(value - whole))])
                return Pow(base, exp)
            case Pow(inner, inner_exp) if value.denominator == 1:
                return self.pow(inner, self.mul([inner_exp, exp]))
            case Mul(factors) if value.denominator == 1:
                return self.mul([self.pow(f, exp) for f in factors])
        return Pow(base, exp)

    def call(self, name: str, args: tuple[Expr, ...]) -> Expr:
        arg = args[0]
        if name == "sqrt":
            return self.pow(arg, Num(HALF))
        if name == "cbrt" and isinstance(arg, Pow) and isinstance(arg.exp, Num):
            if arg.exp.value.denominator == 1:  # ∛(u^k) = (∛u)^k for every real u
                return self.pow(Call("cbrt", (arg.base,)), arg.exp)
        if name == "exp":
            return self.pow(E, arg)
        if name == "ln":
            if arg == ONE:
                return ZERO
            if arg == E:
                return ONE
            if isinstance(arg, Pow) and arg.base == E:
                return arg.exp
        if name == "log" and (arg == args[1] or arg == ONE):
            return ONE if arg == args[1] else ZERO
        if name in HYPERBOLIC_OF_EXP:
            value = _hyperbolic_of_log(name, arg)
            if value is not None:  # cosh(ln 2) = (2 + 1/2)/2 = 5/4
                return Num(value)
        if arg == ZERO and name in VALUE_AT_ZERO:
            return Num(VALUE_AT_ZERO[name])
        turns = _multiple_of_pi(arg)
        if turns is not None and name in TRIG_AT_PI:
            special = self._trig_at(name, turns)
            if special is not None:
                return special
        if isinstance(arg, Num) and name == "abs":
            return Num(abs(arg.value))
        if isinstance(arg, Num) and name == "sign":
            return Num(Fraction((arg.value > 0) - (arg.value < 0)))
        return Call(name, args)

    def _trig_at(self, name: str, q: Fraction) -> Expr | None:
        """sin, cos, tan, sec, csc, cot at q·π where the value is a known radical (q a
        multiple of 1/6 or 1/4); None elsewhere and at poles (their domain says so)."""
        sine, cosine = _sin_cos_at(q)
        if sine is None or cosine is None:
            return None
        top, bottom = {
            "sin": (sine, None), "cos": (cosine, None), "tan": (sine, cosine),
            "sec": (None, cosine), "csc": (None, sine), "cot": (cosine, sine),
        }[name]  # fmt: skip
        if bottom is not None and bottom == ZERO:
            return None
        numerator = top if top is not None else ONE
        if bottom is None:
            return numerator
        return self.mul([numerator, self.pow(bottom, Num(Fraction(-1)))])


TRIG_AT_PI = frozenset(row.name for row in ROWS if row.at_pi)

# Hyperbolic functions of t written with e^t = q: at t = k·ln(q) they are rational.
HYPERBOLIC_OF_EXP = {row.name: row.of_exp for row in ROWS if row.of_exp is not None}


def _hyperbolic_of_log(name: str, arg: Expr) -> Fraction | None:
    """sinh, cosh, ... of k·ln(q) for a positive rational q and whole k, else None."""
    logged = _log_of(arg)
    if logged is None or logged[0].denominator != 1:
        return None
    k, u = logged
    if not isinstance(u, Num) or u.value <= 0 or u.value == 1:
        return None  # q = 1 is t = 0, which VALUE_AT_ZERO covers (csch, coth: no value)
    if abs(k) > 64 or abs(u.value.numerator) > 10**6 or u.value.denominator > 10**6:
        return None  # exact, but with digits no reader wants
    value: Fraction = HYPERBOLIC_OF_EXP[name](u.value ** int(k))
    return value


def _multiple_of_pi(arg: Expr) -> Fraction | None:
    """q when arg (in normal form) is q·π with q rational."""
    if arg == Const("pi"):
        return Fraction(1)
    if (
        isinstance(arg, Mul)
        and len(arg.factors) == 2
        and isinstance(arg.factors[0], Num)
        and arg.factors[1] == Const("pi")
    ):
        return arg.factors[0].value
    return None


_SQRT2_HALF = Mul((Num(HALF), Pow(Num(Fraction(2)), Num(HALF))))
_SQRT3_HALF = Mul((Num(HALF), Pow(Num(Fraction(3)), Num(HALF))))
# sin(k·π/12) for the k where it is a simple radical; cos(t) = sin(t + π/2).
_SIN_TWELFTHS: dict[int, Expr] = {
    0: ZERO, 2: Num(HALF), 3: _SQRT2_HALF, 4: _SQRT3_HALF, 6: ONE,
    8: _SQRT3_HALF, 9: _SQRT2_HALF, 10: Num(HALF),
}  # fmt: skip


def _sin_at(q: Fraction) -> Expr | None:
    twelfths = q * 12
    if twelfths.denominator != 1:
        return None
    k = twelfths.numerator % 24
    negative = k >= 12
    value = _SIN_TWELFTHS.get(k % 12)
    if value is None:
        return None
    if not negative or value == ZERO:
        return value
    if isinstance(value, Num):
        return Num(-value.value)
    assert isinstance(value, Mul) and isinstance(value.factors[0], Num)
    return Mul((Num(-value.factors[0].value), *value.factors[1:]))


def _sin_cos_at(q: Fraction) -> tuple[Expr | None, Expr | None]:
    return _sin_at(q), _sin_at(q + HALF)


# -- helpers on the normal form -------------------------------------------------------------
def _simple_product(flat: list[Expr]) -> tuple[Fraction, list[Expr]] | None:
    """(coefficient, factors) when the factors need no merging: each base once, and no
    numbers or cube roots to fold. Most products are like that (3x², 2x·cos(x²)), and
    skipping the general merge made them several times faster."""
    coefficient: Fraction | None = None
    rest: list[Expr] = []
    bases: set[Expr] = set()
    for factor in flat:
        if isinstance(factor, Num):
            coefficient = factor.value if coefficient is None else coefficient * factor.value
            continue
        base = factor.base if isinstance(factor, Pow) else factor
        if isinstance(base, Num | Mul | Pow) or (isinstance(base, Call) and base.name in MERGED):
            return None
        if base in bases:
            return None
        bases.add(base)
        rest.append(factor)
    return (Fraction(1) if coefficient is None else coefficient), rest


def _raw_parts(expr: Add | Mul, kind: type[Add] | type[Mul]) -> list[Expr]:
    """The terms (or factors) of nested sums (or products) as written, in order.

    The chain rule nests products n deep; normalizing each level and then merging it
    into the next redid the inner factors at every level, quadratic in the depth.
    A product also opens its minus signs: −u is −1·u.
    """
    parts: list[Expr] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            stack.extend(reversed(node.terms if isinstance(node, Add) else node.factors))  # type: ignore[union-attr]
        elif kind is Mul and isinstance(node, Neg):
            parts.append(MINUS_ONE)
            stack.append(node.arg)
        else:
            parts.append(node)
    return parts


def _flatten(items: list[Expr], kind: type[Add] | type[Mul]) -> list[Expr]:
    flat: list[Expr] = []
    for item in items:
        if isinstance(item, kind):
            flat.extend(item.terms if isinstance(item, Add) else item.factors)  # type: ignore[union-attr]
        else:
            flat.append(item)
    return flat


def split_coefficient(term: Expr) -> tuple[Fraction, tuple[Expr, ...]]:
    if isinstance(term, Num):
        return term.value, ()
    if isinstance(term, Mul):
        head = term.factors[0]
        if isinstance(head, Num):
            return head.value, term.factors[1:]
        return Fraction(1), term.factors
    return Fraction(1), (term,)


def _product(coefficient: Fraction, factors: tuple[Expr, ...]) -> Expr:
    if not factors:
        return Num(coefficient)
    if coefficient == 1:
        return factors[0] if len(factors) == 1 else Mul(factors)
    return Mul((Num(coefficient), *factors))


def _base_exp(factor: Expr) -> tuple[str, Expr, Expr]:
    """(kind, base, exponent): cube roots are their own kind, since ∛x is real for x < 0."""
    if isinstance(factor, Pow):
        if isinstance(factor.base, Call) and factor.base.name == "cbrt":
            return "cbrt", factor.base.args[0], factor.exp
        return "pow", factor.base, factor.exp
    if isinstance(factor, Call) and factor.name == "cbrt":
        return "cbrt", factor.args[0], ONE
    return "pow", factor, ONE


def _rebuild_base(key: tuple[str, Expr]) -> Expr:
    kind, base = key
    return Call("cbrt", (base,)) if kind == "cbrt" else base


# Functions whose products with others fold by identities (∛, sign and |u|, sin/cos).
MERGED = frozenset(row.name for row in ROWS if row.merges)
# f(u)^k · g(u)^(−k) = q(u)^k for k > 0 (and r(u)^(−k), the reciprocal, for k < 0).
QUOTIENTS = {row.ratio: (row.name, row.reciprocal) for row in ROWS if row.ratio and row.reciprocal}


def _log_of(exp: Expr) -> tuple[Fraction, Expr] | None:
    """(k, u) when exp is k·ln(u)."""
    if isinstance(exp, Call) and exp.name == "ln":
        return Fraction(1), exp.args[0]
    if (
        isinstance(exp, Mul)
        and len(exp.factors) == 2
        and isinstance(exp.factors[0], Num)
        and isinstance(exp.factors[1], Call)
        and exp.factors[1].name == "ln"
    ):
        return exp.factors[0].value, exp.factors[1].args[0]
    return None


def _fold_signs(combined: dict[tuple[str, Expr], Expr]) -> None:
    """sign(u)·|u|^b = u·|u|^(b−1) and sign(u)·u^c = |u|·u^(c−1), for u ≠ 0 (where f'
    is written at all): sign(x)/|x| is 1/x, x·sign(x) is |x|."""
    for kind, base in list(combined):
        if kind != "pow" or not (isinstance(base, Call) and base.name == "sign"):
            continue
        if combined.get((kind, base)) != ONE:
            continue
        u = base.args[0]
        size_key, power_key = ("pow", Call("abs", (u,))), ("pow", u)
        magnitude, power = combined.get(size_key), combined.get(power_key)
        if _whole(magnitude):
            del combined[(kind, base)]
            combined[size_key] = Num(magnitude.value - 1)  # type: ignore[union-attr]
            combined[power_key] = _plus(power, 1)
        elif _whole(power):
            del combined[(kind, base)]
            combined[power_key] = Num(power.value - 1)  # type: ignore[union-attr]
            combined[size_key] = _plus(magnitude, 1)
        else:
            continue
        even = combined[size_key]
        if isinstance(even, Num) and even.value % 2 == 0:  # |u|^(2k) = u^(2k)
            del combined[size_key]
            combined[power_key] = _plus(combined.get(power_key), int(even.value))


def _fold_quotients(combined: dict[tuple[str, Expr], Expr]) -> None:
    """sin(u)^a·cos(u)^b with a and b of opposite signs: tan(u)^k (cot(u)^k where sin is
    below) for k = min(|a|, |b|), the rest left as it was: sin/cos² is tan·(1/cos),
    cos/sin² is cot·(1/sin); sinh and cosh likewise."""
    for (top, bottom), (name, reciprocal) in QUOTIENTS.items():
        for kind, base in list(combined):
            if kind != "pow" or not (isinstance(base, Call) and base.name == top):
                continue
            partner = ("pow", Call(bottom, base.args))
            a, b = combined.get((kind, base)), combined.get(partner)
            if not (isinstance(a, Num) and isinstance(b, Num)) or a.value * b.value >= 0:
                continue
            k = min(abs(a.value), abs(b.value))
            quotient = name if a.value > 0 else reciprocal
            combined[(kind, base)] = Num(a.value - k if a.value > 0 else a.value + k)
            combined[partner] = Num(b.value + k if b.value < 0 else b.value - k)
            combined[("pow", Call(quotient, base.args))] = Num(k)
            for key in ((kind, base), partner):
                if combined[key] == ZERO:
                    del combined[key]


def _whole(exp: Expr | None) -> bool:
    return isinstance(exp, Num) and exp.value.denominator == 1


def _plus(exp: Expr | None, amount: int) -> Expr:
    total = (exp.value if isinstance(exp, Num) else Fraction(0)) + amount
    return Num(total)


def _fold_cube_roots(combined: dict[tuple[str, Expr], Expr]) -> None:
    """∛x^k = x^q·∛x^r with k = 3q + r, r in {−1, 0, 1}: true for every real x."""
    for (kind, base), exp in list(combined.items()):
        if kind != "cbrt" or not isinstance(exp, Num) or exp.value.denominator != 1:
            continue
        k = exp.value.numerator
        r = (k + 1) % 3 - 1
        q = (k - r) // 3
        whole = combined.get(("pow", base), ZERO)
        if q == 0 or not (isinstance(whole, Num) and whole.value.denominator == 1):
            continue
        combined[("pow", base)] = Num(whole.value + q)
        combined[(kind, base)] = Num(Fraction(r))


def _common_factors(total: Add) -> dict[tuple[str, Expr], Expr]:
    """Base -> exponent present in every term of the sum (the smaller of numeric ones)."""
    common: dict[tuple[str, Expr], Expr] | None = None
    for term in total.terms:
        _, factors = split_coefficient(term)
        here = {_base_exp(f)[:2]: _base_exp(f)[2] for f in factors}
        if common is None:
            common = here
            continue
        kept: dict[tuple[str, Expr], Expr] = {}
        for key, exp in common.items():
            other = here.get(key)
            if other is None:
                continue
            if other == exp:
                kept[key] = exp
            elif (
                isinstance(other, Num)
                and isinstance(exp, Num)
                and exponent_sign(other) == exponent_sign(exp)
            ):
                kept[key] = other if abs(other.value) < abs(exp.value) else exp
        common = kept
    return common or {}


def _may_cancel(term: Expr, outside: dict[tuple[str, Expr], Expr]) -> bool:
    """Does a factor of term meet a factor outside with an exponent of the other sign?"""
    _, factors = split_coefficient(term)
    for kind, base, exp in map(_base_exp, factors):
        other = outside.get((kind, base))
        if other is not None and exponent_sign(other) == -exponent_sign(exp):
            return True
    return False


def exponent_sign(exp: Expr) -> int:
    coefficient, _ = split_coefficient(exp)
    return 1 if coefficient > 0 else -1


def _positive_base(base: Expr) -> bool:
    """Bases with (b^u)^v = b^(uv) for all real u, v."""
    return base == E or (isinstance(base, Num) and base.value > 0)


def _fold_rational_power(base: Fraction, exp: Fraction) -> Fraction | None:
    folded = fold_power(base, exp)
    if folded is not None or base < 0:
        return folded
    root = _exact_root(base, exp.denominator)
    return fold_power(root, Fraction(exp.numerator)) if root is not None else None


def _exact_root(value: Fraction, n: int) -> Fraction | None:
    """The exact n-th root of a non-negative rational, if it is rational (small n only)."""
    if n > 12 or value.numerator.bit_length() > 256 or value.denominator.bit_length() > 256:
        return None
    parts = []
    for whole in (value.numerator, value.denominator):
        root = round(whole ** (1 / n))
        match = next((r for r in (root - 1, root, root + 1) if r >= 0 and r**n == whole), None)
        if match is None:
            return None
        parts.append(match)
    return Fraction(parts[0], parts[1])


def _find_square(monomial: tuple[Expr, ...], name: str) -> Pow | None:
    for factor in monomial:
        if (
            isinstance(factor, Pow)
            and factor.exp == Num(Fraction(2))
            and isinstance(factor.base, Call)
            and factor.base.name == name
        ):
            return factor
    return None


def degree_in(term: Expr, var: str) -> Fraction | None:
    """Degree in var of a monomial c·x^n·(constants), or None if the term is not one."""
    _, factors = split_coefficient(term)
    degree: int | Fraction = 0  # ints while the powers are whole: Fraction sums are slow
    for factor in factors:
        if var not in free_symbols(factor):
            continue
        if isinstance(factor, Sym):
            degree += 1
        elif isinstance(factor, Pow) and factor.base == Sym(var) and isinstance(factor.exp, Num):
            exp = factor.exp.value
            degree += exp.numerator if exp.denominator == 1 else exp
        else:
            return None
    return Fraction(degree)


def _factor_rank(factor: Expr) -> int:
    """Numbers, constants, x and its powers, exponentials, functions, sums, the rest."""
    base = factor.base if isinstance(factor, Pow) else factor
    if isinstance(factor, Call | Pow) and not free_symbols(factor):
        rank = 1  # numeric constants such as ln(2) and √2 lead: √2 x, not x √2
    elif isinstance(base, Const) and not isinstance(factor, Pow):
        rank = 1
    elif isinstance(base, Sym):
        rank = 2
    elif isinstance(base, Const | Num):
        rank = 3
    elif isinstance(base, Call):
        rank = 4
    elif isinstance(base, Add):
        rank = 5
    else:
        rank = 6
    return rank
