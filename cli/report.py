"""What a command shows, as plain data: sections of labelled fields and tables.

Built once from the core's results; cli/render.py draws it with Rich, cli/plain.py as
plain text. Cells are already-formatted strings (readable math), so both views agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deriv_lecture.core.numeric.contours import ContourData
    from deriv_lecture.core.numeric.plotdata import PlotData


@dataclass(frozen=True, slots=True)
class Status:
    """A verdict cell: ok True (✓), False (✗) or None (undecided), and its words."""

    ok: bool | None
    text: str

    def __str__(self) -> str:
        mark = {True: "✓", False: "✗", None: "?"}[self.ok]
        return f"{mark} {self.text}"


Cell = str | Status


@dataclass(frozen=True, slots=True)
class Fields:
    """Label: value lines, e.g. f(x) = x², f'(x) = 2x."""

    title: str
    rows: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    indent: tuple[int, ...] = ()  # per row: nesting depth of the first cell
    # The column of long formulas, broken at operators to fit the width; the other
    # columns then never wrap (a rule name split mid-word reads as two rules).
    formulas: int | None = None


@dataclass(frozen=True, slots=True)
class Plot:
    """A picture of f near the point, a graph (one variable) or a contour map (two);
    drawn only on a terminal (or with --plot)."""

    title: str
    data: PlotData | ContourData
    legend: tuple[tuple[int, str], ...]  # (layer, words) for the key under the plot


Section = Fields | Table | Plot


@dataclass(frozen=True, slots=True)
class Report:
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())  # how the input was read, where it is a trap
    footer: tuple[Status, ...] = field(default=())  # closing lines: "52 passed, 0 failed"
