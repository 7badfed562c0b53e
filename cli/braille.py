"""A braille-dot canvas for terminal plots: each character cell holds 2×4 dots, so an
80-column plot has 160 dots across, and a dot is about as wide as it is tall (a contour
map keeps its angles). Plain Python; cli/render.py adds the colours."""

from __future__ import annotations

from deriv_lecture.core.numeric.contours import ContourData
from deriv_lecture.core.numeric.plotdata import PlotData

# Bit of each dot in a braille cell, by [row][column] (Unicode's braille patterns).
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
AXIS, CURVE, SECANT, TANGENT, POINT = range(5)  # later layers win a shared cell
# A contour map draws its other level curves dimly (AXIS), the one through the point as the
# curve, the --dir line as the secant and the gradient's arrow as the tangent.


class Canvas:
    def __init__(self, columns: int, rows: int, data: PlotData | ContourData) -> None:
        self.columns, self.rows = columns, rows
        self.x_lo, self.x_hi = data.x_range
        self.y_lo, self.y_hi = data.y_range
        self.bits = [[0] * columns for _ in range(rows)]
        self.layer = [[-1] * columns for _ in range(rows)]

    def to_dots(self, x: float, y: float) -> tuple[float, float]:
        dx = (x - self.x_lo) / (self.x_hi - self.x_lo) * (2 * self.columns - 1)
        dy = (self.y_hi - y) / (self.y_hi - self.y_lo) * (4 * self.rows - 1)
        return dx, dy

    def dot(self, dx: float, dy: float, layer: int) -> None:
        col, row = int(round(dx)), int(round(dy))
        if not (0 <= col < 2 * self.columns and 0 <= row < 4 * self.rows):
            return  # clipped: outside the window
        cell_row, cell_col = row // 4, col // 2
        self.bits[cell_row][cell_col] |= DOT_BITS[row % 4][col % 2]
        self.layer[cell_row][cell_col] = max(self.layer[cell_row][cell_col], layer)

    def line(self, start: tuple[float, float], end: tuple[float, float], layer: int) -> None:
        (x0, y0), (x1, y1) = self.to_dots(*start), self.to_dots(*end)
        steps = int(max(abs(x1 - x0), abs(y1 - y0), 1) * 2)
        if steps > 20_000:  # a segment far outside the window: sample it coarsely
            steps = 20_000
        for i in range(steps + 1):
            t = i / steps
            self.dot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, layer)

    def cells(self) -> list[list[tuple[str, int]]]:
        return [
            [(chr(0x2800 + bits), layer) for bits, layer in zip(row, layers, strict=True)]
            for row, layers in zip(self.bits, self.layer, strict=True)
        ]


def draw(data: PlotData, columns: int = 64, rows: int = 16) -> list[list[tuple[str, int]]]:
    """The plot as rows of (character, layer) cells."""
    canvas = Canvas(columns, rows, data)
    if data.y_range[0] < 0 < data.y_range[1]:
        canvas.line((data.x_range[0], 0.0), (data.x_range[1], 0.0), AXIS)
    if data.x_range[0] < 0 < data.x_range[1]:
        canvas.line((0.0, data.y_range[0]), (0.0, data.y_range[1]), AXIS)
    for run in data.curve:
        for start, end in zip(run, run[1:], strict=False):
            canvas.line(start, end, CURVE)
    if data.secant is not None:
        canvas.line(*data.secant, SECANT)
    for segment in data.tangents:
        canvas.line(*segment, TANGENT)
    for point in (data.point, data.end_point):
        if point is not None:
            _mark(canvas, point)
    return canvas.cells()


def draw_picture(data: PlotData | ContourData, room: int) -> list[list[tuple[str, int]]]:
    """A graph 16 rows high across the room given, or a contour map at equal scales:
    4 columns per row (a cell is 2 dots across, 4 down) at most 64 columns across."""
    if isinstance(data, ContourData):
        columns = min(64, room // 4 * 4)
        return draw_contours(data, columns=columns, rows=columns // 4)
    return draw(data, columns=room, rows=16)


def draw_contours(data: ContourData, columns: int, rows: int) -> list[list[tuple[str, int]]]:
    """The contour map as rows of cells; columns = 4 × rows keeps the data's 2:1 window
    at equal scales."""
    canvas = Canvas(columns, rows, data)
    for segment in data.curves:
        canvas.line(*segment, AXIS)
    for segment in data.point_curve:
        canvas.line(*segment, CURVE)
    if data.direction is not None:
        canvas.line(*data.direction, SECANT)
    for segment in data.arrow:
        canvas.line(*segment, TANGENT)
    _mark(canvas, data.point)
    return canvas.cells()


def _mark(canvas: Canvas, point: tuple[float, float]) -> None:
    dx, dy = canvas.to_dots(*point)
    for ox in (-0.5, 0.0, 0.5):
        for oy in (-1.0, 0.0, 1.0):
            canvas.dot(dx + ox, dy + oy, POINT)
