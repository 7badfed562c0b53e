"""Are two expressions the same function of the variable? Compared at many points of the
real line, fixed and pseudo-random, wherever both are defined.

Equal at a few points or on part of the domain is not enough: two dozen points on both
sides of 0 and far from it catch that. Where the candidate is undefined but the reference
is not (the lecture's x^(7/3) for a derivative that exists at x < 0) the comparison still
holds where both are defined, and says where the candidate is narrower.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from deriv_lecture.core.errors import DomainError, MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.tree import Expr, free_symbols

FIXED_POINTS = (
    -7.3, -3.1, -2.2, -1.37, -0.81, -0.43, -0.12, 0.07, 0.29, 0.61, 0.97, 1.43, 1.88,
    2.71, 3.6, 5.2, 8.9,
)  # fmt: skip
RANDOM_POINTS = tuple(random.Random(20261127).uniform(-10, 10) for _ in range(8))
# Further out, for functions defined only far from 0 (sqrt(x − 100)): used when the
# points above found too few where both sides are defined.
WIDE_POINTS = tuple(
    sign * u * 10.0**k for k in range(1, 7) for u in (1.37, 2.71, 6.1, 9.3) for sign in (1, -1)
)
PARAMETER_VALUES = (0.83, 1.27, 2.09, 0.61, 1.73)
# Where a difference is found, a point a person can check by hand is shown if one differs.
SIMPLE_POINTS = (0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 10.0, -10.0)
RELATIVE, ABSOLUTE = 1e-8, 1e-10
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Comparison:
    equal: bool | None  # None: too few points where both are defined to say
    points: int
    counterexample: tuple[float, float, float] | None = None  # (x, candidate, reference)
    narrower_at: float | None = None  # candidate undefined where the reference is defined


def parameter_env(exprs: list[Expr], var: str, given: dict[str, float]) -> dict[str, float]:
    """Values for every parameter: given ones, and fixed stand-ins for the rest."""
    names = sorted(set().union(*(free_symbols(e) for e in exprs)) - {var} - set(given))
    return {
        **given,
        **{n: PARAMETER_VALUES[i % len(PARAMETER_VALUES)] for i, n in enumerate(names)},
    }


# Functions defined on a narrow piece of the line (acos(√(2t − 1)): ½ < t < 1) have few
# or none of the points above: a fine grid finds where they are defined.
GRID = tuple(-10 + 20 * k / 4000 for k in range(4001))
GRID_PICKS = 25


def sample_points(
    exprs: list[Expr], var: str, env: dict[str, float], preferred: tuple[float, ...],
    enough: int = MIN_POINTS,
) -> tuple[float, ...]:  # fmt: skip
    """Points where every expression has a value: the preferred ones, and where fewer than
    `enough` of them are, up to GRID_PICKS more, spread over where a fine grid finds the
    functions defined."""
    chosen = tuple(x for x in preferred if _defined_at(exprs, var, env, x))
    if len(chosen) >= enough:
        return chosen
    found = [x for x in GRID if _defined_at(exprs, var, env, x)]
    if not found:
        return chosen
    stride = max(1, len(found) // GRID_PICKS)
    return chosen + tuple(found[stride // 2 :: stride][:GRID_PICKS])


def _defined_at(exprs: list[Expr], var: str, env: dict[str, float], x: float) -> bool:
    return all(_value(e, {**env, var: x}) is not None for e in exprs)


def compare(
    candidate: Expr,
    reference: Expr,
    var: str,
    given: dict[str, float] | None = None,
    domain: Expr | None = None,
) -> Comparison:
    """Candidate against reference at many points; with `domain` (f, when the reference
    is f'), only at points where f itself has a value: an answer is judged on f's domain."""
    env = parameter_env([candidate, reference], var, given or {})
    points, narrower = 0, None
    agreeing: list[float] = []
    needed = [reference] if domain is None else [reference, domain]
    preferred = FIXED_POINTS + RANDOM_POINTS
    for group in (preferred, WIDE_POINTS, GRID):
        if group is not preferred and points >= MIN_POINTS:
            break
        if group is GRID:
            group = sample_points(needed, var, env, (), enough=GRID_PICKS)
        for x in group:
            if domain is not None and _value(domain, {**env, var: x}) is None:
                continue
            ref = _value(reference, {**env, var: x})
            if ref is None:
                continue
            got = _value(candidate, {**env, var: x})
            if got is None:
                narrower = narrower if narrower is not None else x
                continue
            if not _close(got, ref):
                witness = _simple_witness(candidate, reference, var, env, domain)
                shown = witness or (x, float(got), float(ref))
                return Comparison(False, points + 1, shown, narrower)
            agreeing.append(x)
            points += 1
    if points < MIN_POINTS:
        return Comparison(None, points, None, narrower)
    # Close in floats is not equal: 1/x + 1e-9 passes every test above. The same points
    # with 30 digits tell such answers apart (and no two different elementary functions
    # agree to 30 digits at several points by chance).
    for x in agreeing[:PRECISE_POINTS]:
        differs = _differs_precisely(candidate, reference, var, env, x)
        if differs is not None:
            return Comparison(False, points, differs, narrower)
    return Comparison(True, points, None, narrower)


PRECISE_POINTS = 4
PRECISE_DIGITS = 30


def _differs_precisely(
    candidate: Expr, reference: Expr, var: str, env: dict[str, float], x: float
) -> tuple[float, float, float] | None:
    """(x, candidate, reference) where the two differ in their 20th digit or before."""
    from fractions import Fraction

    from deriv_lecture.core.calculus.normal import Normalizer
    from deriv_lecture.core.numeric.precise import precise_value
    from deriv_lecture.core.syntax.tree import Add, Neg, Num, substitute

    point = {name: Num(Fraction(value)) for name, value in {**env, var: x}.items()}
    difference: Expr = Add((candidate, Neg(reference)))
    for name, value in point.items():
        difference = substitute(difference, name, value)
    exact = Normalizer(None).run(difference)  # 2^5000 + 1 against 2^5000: exactly 1 apart
    if isinstance(exact, Num):
        return (
            None if exact.value == 0 else (x, _as_float(candidate, env), _as_float(reference, env))
        )
    try:
        got = precise_value(candidate, point, PRECISE_DIGITS)
        ref = precise_value(reference, point, PRECISE_DIGITS)
    except MathError:
        return None
    scale = max(abs(got), abs(ref), 1)
    if abs(got - ref) <= scale * 10.0**-20:
        return None
    return x, float(got), float(ref)


def _simple_witness(
    candidate: Expr, reference: Expr, var: str, env: dict[str, float], domain: Expr | None
) -> tuple[float, float, float] | None:
    """The first simple point (0, 1, −1, 2, ...) where the two differ, if any. Both must be
    continuous there: simple points are where kinks sit, and sign(x) at 0 is no f'(0)."""
    for x in SIMPLE_POINTS:
        if domain is not None and _steady(domain, var, x, env) is None:
            continue
        ref, got = _steady(reference, var, x, env), _steady(candidate, var, x, env)
        if ref is not None and got is not None:
            if not _close(got, ref):
                return x, float(got), float(ref)
    return None


def _steady(expr: Expr, var: str, x: float, env: dict[str, float]) -> float | None:
    """expr at x if it is defined and continuous there (no jump within 1e-6), else None."""
    here, left, right = (_value(expr, {**env, var: x + dx}) for dx in (0.0, -1e-6, 1e-6))
    if here is None or left is None or right is None:
        return None
    near = 1e-4 * max(1.0, abs(here))
    return here if abs(left - here) <= near and abs(right - here) <= near else None


def _value(expr: Expr, env: dict[str, float]) -> Any:
    """expr at the point: a float, or, past the float range (x·2⁵⁰⁰⁰), the value with 30
    digits; None where it has none."""
    try:
        return evaluate(expr, env)
    except DomainError:
        return None
    except MathError:  # too large for a float: the same point, with digits
        from fractions import Fraction

        from deriv_lecture.core.numeric.precise import precise_value
        from deriv_lecture.core.syntax.tree import Num

        point = {name: Num(Fraction(value)) for name, value in env.items()}
        try:
            return precise_value(expr, point, PRECISE_DIGITS)
        except MathError:
            return None


def _as_float(expr: Expr, env: dict[str, float]) -> float:
    found = _value(expr, env)
    return float(found) if found is not None else float("nan")


def _close(got: Any, ref: Any) -> bool:
    """math.isclose for floats and for the digit values of numbers past the float range."""
    return bool(abs(got - ref) <= max(RELATIVE * max(abs(got), abs(ref)), ABSOLUTE))


@dataclass(frozen=True, slots=True)
class SeveralComparison:
    """Two functions of several variables compared at points that move every variable."""

    equal: bool | None  # None: too few points where both are defined
    points: int
    counterexample: dict[str, float] | None = None  # where they differ
    values: tuple[float, float] | None = None  # (candidate, reference) there
    narrower_at: dict[str, float] | None = None  # candidate undefined, reference defined


SEVERAL_POINTS = 25  # points of f's domain a gradient's component is judged at


def compare_several(
    candidate: Expr,
    reference: Expr,
    variables: tuple[str, ...],
    given: dict[str, float],
    domain: Expr | None = None,
) -> SeveralComparison:
    """Candidate against reference at SEVERAL_POINTS points of f's domain (every variable
    moving, the coordinates drawn from the one-variable sample points in a fixed mixed
    order), the agreeing ones then again with 30 digits."""
    samples = FIXED_POINTS + RANDOM_POINTS
    names = sorted(set(variables) | (set().union(*(free_symbols(e) for e in (candidate, reference)))
                                     - set(given)))  # fmt: skip
    points, narrower, agreeing = 0, None, []
    for i in range(40 * SEVERAL_POINTS):
        if points >= SEVERAL_POINTS:
            break
        env = {**given, **{n: samples[(i * (2 * j + 3) + 5 * j) % len(samples)]
                           for j, n in enumerate(names)}}  # fmt: skip
        if domain is not None and _value(domain, env) is None:
            continue
        ref = _value(reference, env)
        if ref is None:
            continue
        got = _value(candidate, env)
        if got is None:
            narrower = narrower if narrower is not None else env
            continue
        if not _close(got, ref):
            return SeveralComparison(False, points + 1, env, (float(got), float(ref)), narrower)
        agreeing.append(env)
        points += 1
    if points < MIN_POINTS:
        return SeveralComparison(None, points, None, None, narrower)
    for env in agreeing[:PRECISE_POINTS]:
        first = names[0]
        others = {k: v for k, v in env.items() if k != first}
        differs = _differs_precisely(candidate, reference, first, others, env[first])
        if differs is not None:
            return SeveralComparison(False, points, env, (differs[1], differs[2]), narrower)
    return SeveralComparison(True, points, None, None, narrower)


def all_of(verdicts: Iterable[bool | None]) -> bool | None:
    """Three-valued "all": False if any is False, else None if any is undecided, else True."""
    found = list(verdicts)
    if any(v is False for v in found):
        return False
    return None if any(v is None for v in found) else True
