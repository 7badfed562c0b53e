"""How f behaves at one point and just beside it, decided with exact arithmetic.

Every operation has a domain and a set where it stops being smooth (core.numeric.domains' guard
of each node: a denominator must not be 0, sqrt's argument may touch 0 but is smooth only
above it, abs switches where its argument is 0, ...). At an exact point a:

- `status` says whether f is defined at a, and whether every node is strictly inside
  its smooth region there (then f is differentiable at a and f'(a) is the derivative's
  value: the common case, decided with no limit at all);
- `branch` gives, for one side of a, the formula f equals on (a, a + δ) or (a − δ, a):
  abs, sign, relu, max, min and piecewise nodes replaced by the piece that is active
  there (decided by the sign of their argument just beside a);
- `lead` gives the leading term c·tᵖ·(ln t)^q of a branch at a ± t as t → 0⁺: a Taylor
  coefficient where the branch is smooth at a (the engine's own derivatives, evaluated
  exactly), and the rules for products, powers, roots and logarithms elsewhere. From it
  come one-sided limits: of f (is f continuous at a?) and of f' (by the mean value
  theorem, the one-sided derivative where f is continuous).

Signs come from core.numeric.signs (exact, then digits, then a SymPy proof). Where the leading
term cannot be found (terms that cancel, oscillation), `side_limit` asks SymPy's `limit`
under a time limit; if that does not answer, the result is "undecided", never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from deriv_lecture.core.calculus.rules import differentiate
from deriv_lecture.core.calculus.simplify import simplify
from deriv_lecture.core.functions import (
    FUNCTIONS,
    NONNEG,
    NONZERO,
    POSITIVE,
    SWITCH,
    Guard,
    guards_of,
)
from deriv_lecture.core.numeric.domains import describe, guards, is_integer_constant
from deriv_lecture.core.numeric.signs import Sign, sign_of
from deriv_lecture.core.syntax.tree import (
    ONE,
    ZERO,
    Add,
    Call,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Undefined,
    depends_on,
    free_symbols,
    rebuild,
    size,
    substitute,
    walk,
)

SMOOTH, BOUNDARY, UNDECIDED, UNDEFINED = "smooth", "boundary", "undecided", "undefined"
_SEVERITY = {SMOOTH: 0, BOUNDARY: 1, UNDECIDED: 2, UNDEFINED: 3}
TAYLOR_ORDER = 8  # first nonzero Taylor coefficient looked for up to this order
MAX_TAYLOR_NODES = 3_000  # derivatives bigger than this are not expanded further
INFINITE = math.inf  # a power beyond every tᵖ: e^(−1/t) (+∞) or e^(1/t) (−∞)


@dataclass(frozen=True, slots=True)
class Status:
    state: str  # SMOOTH, BOUNDARY (defined, not smooth), UNDECIDED, UNDEFINED
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Lead:
    """expr(a + side·t) ~ coef · t^power · (ln t)^logs as t → 0⁺ (coef an exact nonzero
    constant; with an infinite power only its sign counts)."""

    coef: Expr
    power: Fraction | float
    logs: Fraction = Fraction(0)


IDENTICALLY_ZERO = Lead(ZERO, INFINITE)


@dataclass(frozen=True, slots=True)
class Limit:
    kind: str  # "finite", "+inf", "-inf", "none" (no limit: oscillation), "undecided"
    value: Expr | None = None  # for "finite": exactly
    how: str = "exact"  # "exact" (own arithmetic) or "SymPy"


class Undecided(Exception):
    """A sign or a leading term that could not be decided (the reason is the message)."""


class UndefinedOnSide(Exception):
    """The expression has no real values just beside the point on this side."""


class Local:
    """Questions about expressions at one exact point: var = a, parameters fixed."""

    def __init__(self, var: str, point: dict[str, Expr]) -> None:
        self.var = var
        self.point = point
        self._signs: dict[Expr, Sign] = {}
        self._status: dict[Expr, Status] = {}
        self._branches: dict[tuple[Expr, int], Expr] = {}
        self._leads: dict[tuple[Expr, int], Lead] = {}
        # Parameters without values: a requirement on them is assumed to hold (generic
        # values), and said so ("assuming a - 1 > 0").
        self.assumptions: list[str] = []

    # -- values at the point --------------------------------------------------------------
    def at_point(self, expr: Expr) -> Expr:
        """expr with the point's exact values put in (a constant)."""
        for name in free_symbols(expr) & self.point.keys():
            expr = substitute(expr, name, self.point[name])
        return expr

    def value(self, expr: Expr) -> Expr:
        """The exact value at the point, in the engine's own tidy form."""
        return simplify(self.at_point(expr))

    def sign(self, expr: Expr) -> Sign:
        found = self._signs.get(expr)
        if found is None:
            found = self._signs[expr] = sign_of(self.at_point(expr))
        return found

    def _decided(self, expr: Expr) -> int:
        found = self.sign(expr)
        if found.value is None:
            raise Undecided(f"the sign of {_text(self.at_point(expr))} ({found.how})")
        return found.value

    # -- at the point ---------------------------------------------------------------------
    def status(self, expr: Expr) -> Status:
        """Defined at the point, and smooth there (every node inside its smooth region)?"""
        known = self._status.get(expr)
        if known is None:
            known = self._status[expr] = self._status_of(expr)
        return known

    def _status_of(self, expr: Expr) -> Status:
        if isinstance(expr, Undefined):
            return Status(UNDEFINED, "none of the pieces applies here")
        if isinstance(expr, Piecewise):
            cond = expr.cond
            worst = _worst(self.status(cond.left), self.status(cond.right))
            if worst.state in (UNDEFINED, UNDECIDED):
                return worst
            side = self.sign(Add((cond.left, Neg(cond.right))))
            if side.value is None:
                return Status(UNDECIDED, f"could not tell which piece applies: {side.how}")
            chosen = expr.then if _holds(cond.op, side.value) else expr.otherwise
            found = _worst(worst, self.status(chosen))
            if side.value == 0 and found.state == SMOOTH:
                return Status(BOUNDARY, "the point is where the pieces meet")
            return found
        found = Status(SMOOTH)
        for child in _children(expr):
            found = _worst(found, self.status(child))
            if found.state == UNDEFINED:
                return found
        for guard in guards(expr, self.var, self._sign_value, self.value):
            found = _worst(found, self._guard_status(guard))
            if found.state == UNDEFINED:
                return found
        return found

    def _sign_value(self, expr: Expr) -> int | None:
        return self.sign(expr).value

    def _guard_status(self, guard: Guard) -> Status:
        sign = self.sign(guard.quantity)
        if sign.value is None:
            fixed = self.at_point(guard.quantity)
            if free_symbols(fixed):
                assumed = f"{_text(fixed)} {_STRICT[guard.kind]}"
                if assumed not in self.assumptions:
                    self.assumptions.append(assumed)
                return Status(SMOOTH)
            return Status(UNDECIDED, f"could not decide {describe(guard, _text)}: {sign.how}")
        s = sign.value
        if guard.kind == NONZERO:
            return Status(SMOOTH) if s else Status(UNDEFINED, guard.why)
        if guard.kind == POSITIVE:
            return Status(SMOOTH) if s > 0 else Status(UNDEFINED, guard.why)
        if guard.kind == NONNEG:
            if s < 0:
                return Status(UNDEFINED, guard.why)
            return Status(SMOOTH) if s > 0 else Status(BOUNDARY, guard.edge)
        assert guard.kind == SWITCH
        return Status(SMOOTH) if s else Status(BOUNDARY, guard.edge)

    # -- beside the point -------------------------------------------------------------------
    def branch(self, expr: Expr, side: int) -> Expr:
        """The formula expr equals just beside the point on one side (+1 right, −1 left):
        every switching node replaced by its active piece. Raises Undecided."""
        key = (expr, side)
        known = self._branches.get(key)
        if known is None:
            known = self._branches[key] = self._branch_of(expr, side)
        return known

    def _branch_of(self, expr: Expr, side: int) -> Expr:
        if isinstance(expr, Undefined):
            raise UndefinedOnSide
        if not depends_on(expr, self.var):
            return expr
        match expr:
            case Piecewise(cond, then, otherwise):
                left, right = self.branch(cond.left, side), self.branch(cond.right, side)
                s = self.side_sign(Add((left, Neg(right))), side)
                return self.branch(then if _holds(cond.op, s) else otherwise, side)
            case Call(name, args) if FUNCTIONS[name].pieces is not None:
                # abs, relu, max: the piece the switch quantity's sign beside a picks
                branched = tuple(self.branch(a, side) for a in args)
                (switch,) = [g for g in guards_of(name, branched) if g.kind == SWITCH]
                s = self.side_sign(switch.quantity, side)
                return FUNCTIONS[name].pieces(branched, s)  # type: ignore[misc]
        return rebuild(expr, lambda child: self.branch(child, side))

    def side_sign(self, expr: Expr, side: int) -> int:
        """The sign expr keeps just beside the point (0: it is 0 there)."""
        found = self.lead(expr, side)
        if found is IDENTICALLY_ZERO:
            return 0
        return _lead_sign(found, self)

    def defined_beside(self, branch: Expr, side: int) -> bool:
        """Whether a branch has real values on the open interval beside the point."""
        for node in set(walk(branch)):
            for guard in guards(node, self.var, self._sign_value, self.value):
                try:
                    s = self.side_sign(guard.quantity, side)
                except UndefinedOnSide:
                    return False
                if guard.kind in (POSITIVE, NONNEG) and s < 0:
                    return False
                if guard.kind == POSITIVE and s == 0:
                    return False
                if guard.kind == NONZERO and s == 0:
                    return False
        return True

    # -- leading terms ----------------------------------------------------------------------
    def lead(self, expr: Expr, side: int) -> Lead:
        key = (expr, side)
        known = self._leads.get(key)
        if known is None:
            known = self._leads[key] = self._lead_of(expr, side)
        return known

    def _lead_of(self, expr: Expr, side: int) -> Lead:
        if isinstance(expr, Undefined):
            raise UndefinedOnSide
        if not depends_on(expr, self.var):
            s = self._decided(expr)
            return IDENTICALLY_ZERO if s == 0 else Lead(self.value(expr), Fraction(0))
        if simplify(expr, self.var) == ZERO:
            return IDENTICALLY_ZERO  # x·0, 0·sin(x): zero wherever it has a value
        if self.status(expr).state == SMOOTH:
            return self._taylor(expr, side)
        match expr:
            case Add(terms):
                return self._sum([self.lead(t, side) for t in terms])
            case Neg(arg):
                inner = self.lead(arg, side)
                return inner if inner is IDENTICALLY_ZERO else _scaled(inner, Num(Fraction(-1)))
            case Mul(factors):
                return self._product([self.lead(f, side) for f in factors])
            case Div(num, den):
                below = self.lead(den, side)
                if below is IDENTICALLY_ZERO:
                    raise UndefinedOnSide
                return self._product([self.lead(num, side), _reciprocal(below)])
            case Pow(base, exp) if not depends_on(exp, self.var):
                return self._power(self.lead(base, side), self.value(exp))
            case Pow(base, exp):
                return self.lead(Call("exp", (Mul((exp, Call("ln", (base,)))),)), side)
            case Call(name, args):
                return self._function(name, args, side)
        raise Undecided(f"the behaviour of {_text(expr)} beside the point")

    def _taylor(self, expr: Expr, side: int) -> Lead:
        """The first nonzero Taylor coefficient at the point, times side^k/k!."""
        derivative = expr
        for k in range(TAYLOR_ORDER + 1):
            if k:
                derivative = simplify(differentiate(derivative, self.var).result, self.var)
                if size(derivative) > MAX_TAYLOR_NODES or self.status(derivative).state != SMOOTH:
                    break
            s = self._decided(derivative)
            if s:
                scale = Num(Fraction(side**k, math.factorial(k)))
                return Lead(self.value(Mul((scale, derivative))), Fraction(k))
        raise Undecided(f"{_text(expr)} vanishes to high order at the point")

    def _sum(self, parts: list[Lead]) -> Lead:
        parts = [p for p in parts if p is not IDENTICALLY_ZERO]
        if not parts:
            return IDENTICALLY_ZERO
        order = min(_order(p) for p in parts)
        leading = [p for p in parts if _order(p) == order]
        if len(leading) == 1:
            return leading[0]
        if isinstance(order[0], float):
            raise Undecided("two terms of the same exponential size")
        total = simplify(Add(tuple(p.coef for p in leading)))
        if self._decided(total) == 0:
            raise Undecided("the leading terms cancel")
        return Lead(total, leading[0].power, leading[0].logs)

    def _product(self, parts: list[Lead]) -> Lead:
        if any(p is IDENTICALLY_ZERO for p in parts):
            return IDENTICALLY_ZERO
        infinite = {p.power for p in parts if isinstance(p.power, float)}
        coef = simplify(Mul(tuple(p.coef for p in parts)))
        if infinite:
            if len(infinite) > 1:
                raise Undecided("an exponentially large factor times an exponentially small one")
            return Lead(Num(Fraction(self._decided(coef))), infinite.pop())
        power = sum((p.power for p in parts), Fraction(0))
        logs = sum((p.logs for p in parts), Fraction(0))
        return Lead(coef, Fraction(power), logs)

    def _power(self, base: Lead, exp: Expr) -> Lead:
        whole = is_integer_constant(exp)
        if base is IDENTICALLY_ZERO:
            if self._decided(exp) > 0:
                return IDENTICALLY_ZERO
            raise UndefinedOnSide
        if not whole and self._decided(base.coef) < 0:
            raise UndefinedOnSide  # a negative base to a non-integer power
        if isinstance(base.power, float):
            s = self._decided(exp)
            return Lead(ONE, base.power if s > 0 else -base.power)
        if not isinstance(exp, Num):
            if base.power == 0 and base.logs == 0:
                return Lead(simplify(Pow(base.coef, exp)), Fraction(0))
            raise Undecided("a power with an irrational exponent of a vanishing base")
        r = exp.value
        return Lead(simplify(Pow(base.coef, exp)), base.power * r, base.logs * r)

    def _function(self, name: str, args: tuple[Expr, ...], side: int) -> Lead:
        u = args[0]
        row = FUNCTIONS[name]
        if row.as_quotient is not None:  # tan = sin/cos: the rules for 1/u find its poles
            return self.lead(row.as_quotient(args), side)
        inner = self.lead(u, side)
        if name == "cbrt":
            if inner is IDENTICALLY_ZERO:
                return IDENTICALLY_ZERO
            if isinstance(inner.power, float):
                return Lead(inner.coef, inner.power)
            return Lead(simplify(Call("cbrt", (inner.coef,))), inner.power / 3, inner.logs / 3)
        if name == "ln":
            return self._logarithm(inner)
        if name == "exp":
            return self._exponential(inner)
        limit = _limit_of_lead(inner, self)
        if limit.kind == "finite":
            assert limit.value is not None
            value = Call(name, (limit.value,))
            if self.status(value).state == UNDEFINED:
                raise UndefinedOnSide
            s = self._decided(value)
            if s:
                return Lead(self.value(value), Fraction(0))
            if self._decided(limit.value) == 0 and row.slope_at_zero is not None:
                return _scaled(inner, Num(row.slope_at_zero))  # F(u) ~ F'(0)·u
            raise Undecided(f"{name} near a zero of its value")
        if limit.kind in ("+inf", "-inf"):
            if row.at_infinity is not None:
                coefficient, power = row.at_infinity(1 if limit.kind == "+inf" else -1)
                return Lead(coefficient, power)
        raise Undecided(f"{name} of an argument with no limit")

    def _logarithm(self, inner: Lead) -> Lead:
        if inner is IDENTICALLY_ZERO:
            raise UndefinedOnSide
        if self._decided(inner.coef) < 0:
            raise UndefinedOnSide
        if isinstance(inner.power, float):
            raise Undecided("the logarithm of an exponential size")
        if inner.power != 0:
            return Lead(Num(inner.power), Fraction(0), Fraction(1))  # p·ln t dominates
        if inner.logs != 0:
            raise Undecided("the logarithm of a power of ln t")
        value = simplify(Call("ln", (inner.coef,)))
        if self._decided(value) == 0:
            raise Undecided("ln of a quantity tending to 1")
        return Lead(value, Fraction(0))

    def _exponential(self, inner: Lead) -> Lead:
        limit = _limit_of_lead(inner, self)
        if limit.kind == "finite":
            assert limit.value is not None
            return Lead(self.value(Call("exp", (limit.value,))), Fraction(0))
        if limit.kind == "+inf":
            return Lead(ONE, -INFINITE)
        return Lead(ONE, INFINITE)

    # -- limits -----------------------------------------------------------------------------
    def side_limit(self, expr: Expr, side: int) -> Limit:
        """lim expr(x) as x → a from one side: own leading terms, then SymPy (time-limited)."""
        try:
            return _limit_of_lead(self.lead(expr, side), self)
        except Undecided:
            pass
        from deriv_lecture.core.referee.exact import sympy_side_limit

        at = self.point[self.var]
        kind, value = sympy_side_limit(self.fixed(expr), self.var, at, side)
        return Limit(kind, value, "SymPy")

    def fixed(self, expr: Expr) -> Expr:
        """expr with the parameters' values put in, the variable left free."""
        for name in free_symbols(expr) & self.point.keys() - {self.var}:
            expr = substitute(expr, name, self.point[name])
        return expr


def _limit_of_lead(found: Lead, local: Local) -> Limit:
    if found is IDENTICALLY_ZERO:
        return Limit("finite", ZERO)
    power, logs = found.power, found.logs
    vanishing = power > 0 or (power == 0 and logs < 0)
    if vanishing:
        return Limit("finite", ZERO)
    if power == 0 and logs == 0:
        return Limit("finite", found.coef)
    return Limit("+inf" if _lead_sign(found, local) > 0 else "-inf")


def _lead_sign(found: Lead, local: Local) -> int:
    """The sign of coef·tᵖ·(ln t)^q for small t > 0 (ln t < 0 there)."""
    if found.logs.denominator != 1:
        raise Undecided("a fractional power of ln t")
    sign = local._decided(found.coef)
    return -sign if found.logs % 2 else sign


def _order(lead: Lead) -> tuple[Fraction | float, Fraction]:
    """Smaller is bigger near the point: t^-1 before t⁰ before t; ln t before a constant."""
    return lead.power, -lead.logs


def _scaled(lead: Lead, factor: Expr) -> Lead:
    return Lead(simplify(Mul((factor, lead.coef))), lead.power, lead.logs)


def _reciprocal(lead: Lead) -> Lead:
    power = -lead.power
    return Lead(simplify(Div(ONE, lead.coef)), power, -lead.logs)


_STRICT = {NONZERO: "!= 0", POSITIVE: "> 0", NONNEG: "> 0", SWITCH: "!= 0"}


def _holds(op: str, sign: int) -> bool:
    """Whether left OP right holds when left − right has this sign."""
    return {"<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}[op]


def _worst(first: Status, second: Status) -> Status:
    return second if _SEVERITY[second.state] > _SEVERITY[first.state] else first


def _children(expr: Expr) -> tuple[Expr, ...]:
    from deriv_lecture.core.syntax.tree import children

    return children(expr)


def _text(expr: Expr) -> str:
    from deriv_lecture.core.syntax.printer import to_input

    return to_input(expr)


def reach(exprs: tuple[Expr, ...], var: str, env: dict[str, float]) -> float:
    """About how far from the point the nearest edge of smoothness is (a pole, a domain
    end, a kink, a switch of pieces), to first order: min |q/q'| over every guard
    quantity q. Numeric steps stay well inside it. math.inf where nothing is near."""
    from deriv_lecture.core.errors import MathError
    from deriv_lecture.core.numeric.evaluate import evaluate

    def float_sign(e: Expr) -> int | None:
        try:
            value = evaluate(e, env)
        except MathError:
            return None
        return (value > 0) - (value < 0)

    quantities: set[Expr] = set()
    for expr in exprs:
        for node in set(walk(expr)):
            if isinstance(node, Piecewise):
                quantities.add(Add((node.cond.left, Neg(node.cond.right))))
            for guard in guards(node, var, float_sign, lambda e: e):
                quantities.add(guard.quantity)
    nearest = math.inf
    for quantity in quantities:
        if not depends_on(quantity, var):
            continue
        try:
            value = evaluate(quantity, env)
            slope = evaluate(differentiate(quantity, var).result, env)
        except MathError:
            continue
        if slope and value:  # 0 at the point itself: that edge is the point (a kink at a)
            nearest = min(nearest, abs(value / slope))
    return nearest
