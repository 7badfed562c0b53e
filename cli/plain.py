"""The plain-text view: for pipes, files and --plain. No colour, no box drawing."""

from __future__ import annotations

from typing import TextIO

from deriv_lecture.cli.braille import POINT, draw
from deriv_lecture.cli.errors import printable
from deriv_lecture.cli.report import Fields, Plot, Report, Table


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


def _write_table(table: Table, out: _Safe) -> None:
    out.write(f"{table.title}\n")
    rows = [tuple(str(cell) for cell in row) for row in table.rows]
    if table.indent:
        rows = [
            (" " * (2 * d) + row[0], *row[1:]) for d, row in zip(table.indent, rows, strict=True)
        ]
    widths = [max(len(c) for c in column) for column in zip(table.columns, *rows, strict=True)]
    for row in (table.columns, *rows):
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _axis(value: float) -> str:
    return format(value, ".3g").replace("-", "−")


def _write_plot(plot: Plot, out: _Safe) -> None:
    out.write(f"{plot.title}\n")
    for row in draw(plot.data, columns=64, rows=16):
        out.write("".join(char for char, _ in row).rstrip("\u2800") + "\n")
    (x_lo, x_hi), (y_lo, y_hi) = plot.data.x_range, plot.data.y_range
    x_range, y_range = (" to ".join(_axis(v) for v in r) for r in ((x_lo, x_hi), (y_lo, y_hi)))
    out.write(f"x from {x_range}, y from {y_range}\n")
    for layer, words in plot.legend:
        out.write(("  o  " if layer == POINT else "  -- ") + words + "\n")
