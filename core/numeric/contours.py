"""The picture of f(x, y) near a point as data: level curves (marching squares on a grid of
values of f), the level curve through the point, ∇f(a) as an arrow and the --dir line.
Drawing belongs to the CLI (cli/braille.py on a terminal, cli/figure.py to a file).

The window has the aspect the caller asks for (a terminal's braille dots are square), and x
and y share one scale: the arrow is drawn perpendicular to the level curve only then.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass

from deriv_lecture.core.errors import MathError
from deriv_lecture.core.numeric.evaluate import evaluate
from deriv_lecture.core.syntax.tree import Expr

Segment = tuple[tuple[float, float], tuple[float, float]]
ROWS = 49  # grid samples up the window; across, ROWS × aspect
LEVELS_ACROSS = 10  # about this many level curves between the 5th and 95th percentiles
ARROW_SHARE = 0.6  # the arrow's length as a share of the window's half-height


@dataclass(frozen=True, slots=True)
class ContourData:
    names: tuple[str, str]  # across, up
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    point: tuple[float, float]
    f_value: float
    spacing: float | None  # between neighbouring levels; None where f is flat here
    curves: tuple[Segment, ...]  # the other level curves
    point_curve: tuple[Segment, ...]  # the level curve f = f(a)
    gradient: tuple[float, float] | None  # ∇f(a), where it exists
    arrow: tuple[Segment, ...]  # its shaft and head, scaled to the window (empty: none)
    direction: Segment | None  # the line a + t·u across the window


def contour_data(
    expr: Expr,
    names: tuple[str, str],
    point: tuple[float, float],
    lets: Mapping[str, float],
    gradient: tuple[float, float] | None,
    unit: tuple[float, float] | None = None,
    aspect: float = 2.0,
    only_through_point: bool = False,
) -> ContourData:
    """aspect: the window's width over its height (equal scales on both axes);
    only_through_point: draw the level curve through the point alone (an implicit curve
    F = 0, without F's other levels)."""
    a, b = point
    try:
        fa = evaluate(expr, {**lets, names[0]: a, names[1]: b})
    except MathError as error:
        raise MathError(f"nothing to draw without a value of f at the point: {error}") from None
    half = max(1.0, 0.5 * max(abs(a), abs(b)))
    x_range = (a - half * aspect, a + half * aspect)
    y_range = (b - half, b + half)
    columns = max(3, round(ROWS * aspect))
    xs = [x_range[0] + (x_range[1] - x_range[0]) * i / (columns - 1) for i in range(columns)]
    ys = [y_range[0] + (y_range[1] - y_range[0]) * j / (ROWS - 1) for j in range(ROWS)]
    grid = [[_value(expr, lets, names, x, y) for x in xs] for y in ys]
    spacing, levels = (None, [fa]) if only_through_point else _levels(grid, fa)
    curves = _marching_squares(xs, ys, grid, levels)
    arrow = _arrow(point, gradient, ARROW_SHARE * half) if gradient is not None else ()
    direction = _line(point, unit, x_range, y_range) if unit is not None else None
    return ContourData(
        names, x_range, y_range, point, fa, spacing,
        tuple(s for level, s in curves if level != fa),
        tuple(s for level, s in curves if level == fa),
        gradient, arrow, direction,
    )  # fmt: skip


def _value(
    expr: Expr, lets: Mapping[str, float], names: tuple[str, str], x: float, y: float
) -> float | None:
    try:
        return evaluate(expr, {**lets, names[0]: x, names[1]: y})
    except MathError:  # outside the domain, a pole, an overflow: no value, no curve there
        return None


def _levels(grid: list[list[float | None]], fa: float) -> tuple[float | None, list[float]]:
    """Evenly spaced levels, one of them f(a) exactly, so the curve through the point is
    drawn; spaced and bounded by the central values, so that a pole or a steep corner of
    the window neither sets the scale nor fills the picture with lines."""
    finite = sorted(v for row in grid for v in row if v is not None)
    if not finite:
        return None, [fa]

    def share(q: float) -> float:
        return finite[int(q * (len(finite) - 1))]

    spacing = (share(0.95) - share(0.05)) / LEVELS_ACROSS
    if not spacing > 1e-12 * max(1.0, abs(fa)):
        return None, [fa]  # flat here: only the point's own level
    below = math.floor((fa - share(0.02)) / spacing)
    above = math.floor((share(0.98) - fa) / spacing)
    below, above = min(below, 2 * LEVELS_ACROSS), min(above, 2 * LEVELS_ACROSS)
    return spacing, [fa + k * spacing for k in range(-below, above + 1)]


def _marching_squares(
    xs: list[float], ys: list[float], grid: list[list[float | None]], levels: list[float]
) -> list[tuple[float, Segment]]:
    """Each grid cell crossed by a level gets the segment joining the crossings on its
    edges (a saddle cell, four crossings, is split by the centre's value)."""
    found: list[tuple[float, Segment]] = []
    for j in range(len(ys) - 1):
        for i in range(len(xs) - 1):
            corners = (grid[j][i], grid[j][i + 1], grid[j + 1][i + 1], grid[j + 1][i])
            if any(v is None for v in corners):
                continue  # part of the cell is outside the domain
            values: tuple[float, float, float, float] = corners  # type: ignore[assignment]
            places = ((xs[i], ys[j]), (xs[i + 1], ys[j]), (xs[i + 1], ys[j + 1]),
                      (xs[i], ys[j + 1]))  # fmt: skip
            low, high = min(values), max(values)
            first = bisect.bisect_left(levels, low)
            for level in levels[first:]:
                if level > high:
                    break
                for segment in _cell_segments(values, places, level):
                    found.append((level, segment))
    return found


def _cell_segments(
    values: tuple[float, float, float, float],
    places: tuple[tuple[float, float], ...],
    level: float,
) -> list[Segment]:
    crossings: list[tuple[float, float]] = []
    for k in range(4):
        v0, v1 = values[k], values[(k + 1) % 4]
        if (v0 < level) != (v1 < level):
            t = (level - v0) / (v1 - v0)
            (x0, y0), (x1, y1) = places[k], places[(k + 1) % 4]
            crossings.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
    if len(crossings) == 2:
        return [(crossings[0], crossings[1])]
    if len(crossings) == 4:
        centre_above = sum(values) / 4 >= level
        corner_above = values[0] >= level
        if centre_above == corner_above:  # corner 0's region joins the centre
            return [(crossings[0], crossings[1]), (crossings[2], crossings[3])]
        return [(crossings[3], crossings[0]), (crossings[1], crossings[2])]
    return []


def _arrow(
    point: tuple[float, float], gradient: tuple[float, float], length: float
) -> tuple[Segment, ...]:
    """∇f(a) as an arrow of fixed length (its direction is what the picture can show;
    |∇f| is printed beside it); nothing where ∇f(a) = 0."""
    gx, gy = gradient
    norm = math.hypot(gx, gy)
    if not norm > 0 or not math.isfinite(norm):
        return ()
    ux, uy = gx / norm, gy / norm
    a, b = point
    tip = (a + length * ux, b + length * uy)
    head = []
    for turn in (math.radians(150), math.radians(-150)):  # the barbs, back from the tip
        cos, sin = math.cos(turn), math.sin(turn)
        bx, by = ux * cos - uy * sin, ux * sin + uy * cos
        head.append((tip, (tip[0] + 0.3 * length * bx, tip[1] + 0.3 * length * by)))
    return ((point, tip), *head)


def _line(
    point: tuple[float, float],
    unit: tuple[float, float],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> Segment:
    """The line a + t·u, long enough to cross the whole window (the canvas clips it)."""
    reach = math.hypot(x_range[1] - x_range[0], y_range[1] - y_range[0])
    (a, b), (ux, uy) = point, unit
    return ((a - reach * ux, b - reach * uy), (a + reach * ux, b + reach * uy))
