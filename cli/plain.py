"""The plain-text view: for pipes, files and --plain. No colour, no box drawing."""

from __future__ import annotations

from typing import TextIO

from deriv_lecture.cli.braille import POINT, draw_picture
from deriv_lecture.cli.errors import printable
from deriv_lecture.cli.report import Fields, Plot, Report, Table
from deriv_lecture.cli.wrap import wrap_formula
from deriv_lecture.core.numeric.contours import ContourData


def write_plain(report: Report, out: TextIO) -> None:
    _write_plain(report, _Safe(out))


class _Safe:
    """A stream that passes text on with terminal controls made harmless (cli.errors)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(printable(text))


def _write_plain(report: Report, out: _Safe) -> None:
    for note in report.notes:
        out.write(f"note: {note}\n")
    for section in report.sections:
        if isinstance(section, Plot):
            _write_plot(section, out)
        elif isinstance(section, Fields):
            out.write(f"{section.title}\n")
            width = max(len(label) for label, _ in section.rows)
            for label, value in section.rows:
                out.write(f"{label.ljust(width)}  {value}\n")
        else:
            _write_table(section, out)
        out.write("\n")
    for line in report.footer:
        out.write(f"{line.text}\n")


WIDTH = 80  # plain text goes to files and pipes: the width every reader can take
NARROWEST = 24  # a wrapped column never gets narrower than this


def _write_table(table: Table, out: _Safe) -> None:
    out.write(f"{table.title}\n")
    rows = [[str(cell).split("\n") for cell in row] for row in table.rows]
    if table.indent:
        for depth, row in zip(table.indent, rows, strict=True):
            row[0] = [" " * (2 * depth) + line for line in row[0]]
    header = [[name] for name in table.columns]
    widths = [
        max(len(line) for cell in column for line in cell)
        for column in zip(header, *rows, strict=True)
    ]
    if table.formulas is not None and sum(widths) + 2 * (len(widths) - 1) > WIDTH:
        # The formula column takes what the others leave.
        widest = table.formulas
        others = sum(w for i, w in enumerate(widths) if i != widest) + 2 * (len(widths) - 1)
        widths[widest] = max(NARROWEST, WIDTH - others)
        for row in rows:
            row[widest] = [
                part for line in row[widest] for part in wrap_formula(line, widths[widest])
            ]
    for row in (header, *rows):
        for index in range(max(len(cell) for cell in row)):
            parts = [cell[index] if index < len(cell) else "" for cell in row]
            out.write("  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip())
            out.write("\n")


def _axis(value: float) -> str:
    return format(value, ".3g").replace("-", "−")


def _write_plot(plot: Plot, out: _Safe) -> None:
    out.write(f"{plot.title}\n")
    for row in draw_picture(plot.data, room=64):
        out.write("".join(char for char, _ in row).rstrip("\u2800") + "\n")
    (x_lo, x_hi), (y_lo, y_hi) = plot.data.x_range, plot.data.y_range
    x_range, y_range = (" to ".join(_axis(v) for v in r) for r in ((x_lo, x_hi), (y_lo, y_hi)))
    across, up = plot.data.names if isinstance(plot.data, ContourData) else ("x", "y")
    out.write(f"{across} from {x_range}, {up} from {y_range}\n")
    for layer, words in plot.legend:
        out.write(("  o  " if layer == POINT else "  -- ") + words + "\n")
