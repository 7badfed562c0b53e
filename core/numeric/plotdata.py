"""The picture of f near a as data: the curve (with gaps where f is undefined or has a
pole), the point, the tangent (both one-sided tangents at a kink, a vertical line for a
vertical tangent), and with --to the secant. Drawing belongs to the CLI."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.numeric.point import PointAnalysis
from deriv_lecture.core.syntax.tree import Expr

SAMPLES = 400
Segment = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class PlotData:
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    curve: tuple[tuple[tuple[float, float], ...], ...]  # runs of points; a gap between runs
    point: tuple[float, float]
    tangents: tuple[Segment, ...]  # one line, two one-sided lines, or a vertical one
    secant: Segment | None
    end_point: tuple[float, float] | None


def plot_data(expr: Expr, analysis: PointAnalysis, lets: dict[str, Expr]) -> PlotData:
    values = {name: evaluate(value, {}) for name, value in lets.items()}

    def f(t: float) -> float:
        return evaluate(expr, {**values, analysis.var: t})

    a = analysis.at_value
    fa = analysis.f_value
    if a is None or fa is None:
        raise MathError("there is nothing to draw without a value of f at the point")
    end = _point_of(analysis) if analysis.average is not None else None
    b = _value(f, end) if end is not None else None  # f(B)
    x_lo, x_hi = _window(a, end)
    xs = [x_lo + (x_hi - x_lo) * i / (SAMPLES - 1) for i in range(SAMPLES)]
    ys = [_value(f, x) for x in xs]
    must_show = [fa] + ([b] if b is not None else [])
    y_lo, y_hi = _y_window(ys, must_show)
    curve = _runs(xs, ys, y_lo, y_hi)
    tangents = _tangents(analysis, a, fa, x_lo, x_hi, y_lo, y_hi)
    secant = None
    end_point = None
    if end is not None and b is not None:
        secant = ((a, fa), (end, b))
        end_point = (end, b)
    return PlotData((x_lo, x_hi), (y_lo, y_hi), curve, (a, fa), tangents, secant, end_point)


def _point_of(analysis: PointAnalysis) -> float:
    assert analysis.average is not None
    return evaluate(analysis.average.end, {})


def _value(f: Callable[[float], float], x: float) -> float | None:
    try:
        y = f(x)
    except MathError:
        return None
    return y if math.isfinite(y) else None


def _window(a: float, b: float | None) -> tuple[float, float]:
    """Around a (and b): wide enough to see the shape, centred on what matters."""
    if b is None:
        half = max(2.0, abs(a) * 0.5)
        return a - half, a + half
    lo, hi = min(a, b), max(a, b)
    margin = max(1.0, (hi - lo) * 0.75)
    return lo - margin, hi + margin


def _y_window(ys: list[float | None], must_show: list[float]) -> tuple[float, float]:
    """The central 90% of the values (so a pole does not squash the picture), widened to
    include the marked points, with a margin."""
    finite = sorted(y for y in ys if y is not None)
    if finite:
        lo = finite[int(0.05 * (len(finite) - 1))]
        hi = finite[int(0.95 * (len(finite) - 1))]
    else:
        lo = hi = must_show[0]
    lo, hi = min([lo, *must_show]), max([hi, *must_show])
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    margin = (hi - lo) * 0.15
    return lo - margin, hi + margin


def _runs(
    xs: list[float], ys: list[float | None], y_lo: float, y_hi: float
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Consecutive samples that belong together; a gap where f is undefined or where it
    leaves the window through a pole (no line is drawn across an asymptote)."""
    runs: list[list[tuple[float, float]]] = [[]]
    span = y_hi - y_lo
    previous: float | None = None
    for x, y in zip(xs, ys, strict=True):
        outside = y is None or y < y_lo - 2 * span or y > y_hi + 2 * span
        jump = previous is not None and y is not None and abs(y - previous) > 2 * span
        if outside or jump:
            if runs[-1]:
                runs.append([])
            previous = None if outside else y
            if not outside:
                runs[-1].append((x, y))  # type: ignore[arg-type]
            continue
        runs[-1].append((x, y))  # type: ignore[arg-type]
        previous = y
    return tuple(tuple(r) for r in runs if len(r) > 1)


def _tangents(
    analysis: PointAnalysis, a: float, fa: float, x_lo: float, x_hi: float,
    y_lo: float, y_hi: float,
) -> tuple[Segment, ...]:  # fmt: skip
    if analysis.kind == "vertical tangent":
        return (((a, y_lo), (a, y_hi)),)
    if analysis.differentiable and analysis.slope_value is not None:
        m = analysis.slope_value
        return (((x_lo, fa + m * (x_lo - a)), (x_hi, fa + m * (x_hi - a))),)
    segments: list[Segment] = []  # a kink: each one-sided tangent on its own side
    if analysis.left is not None and analysis.left.value is not None:
        m = analysis.left.value
        segments.append(((x_lo, fa + m * (x_lo - a)), (a, fa)))
    if analysis.right is not None and analysis.right.value is not None:
        m = analysis.right.value
        segments.append(((a, fa), (x_hi, fa + m * (x_hi - a))))
    return tuple(segments)
