"""The terminal view: Rich tables. The only module that imports Rich.

User text always goes in Text(...) so that [brackets] in an expression are never
taken as markup. Rich honours NO_COLOR itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text

from deriv_lecture.cli.braille import AXIS, CURVE, POINT, SECANT, TANGENT, draw_picture
from deriv_lecture.cli.errors import printable
from deriv_lecture.cli.report import Cell, Fields, Plot, Report, Status, Table
from deriv_lecture.cli.wrap import wrap_formula

STATUS_STYLE = {True: "bold green", False: "bold red", None: "yellow"}
LAYER_STYLE = {AXIS: "grey50", CURVE: "bold cyan", SECANT: "bold green", TANGENT: "bold yellow",
               POINT: "bold red"}  # fmt: skip
T = TypeVar("T")


def write_rich(report: Report, out: TextIO, color: bool | None = None) -> None:
    """color: True (--color always: also when piped), False (never), None (Rich decides:
    a terminal, NO_COLOR and FORCE_COLOR)."""
    if color is None:
        console = Console(file=out, highlight=False)
    elif color:  # an explicit --color always outranks NO_COLOR, as flags outrank the env
        console = Console(file=out, highlight=False, force_terminal=True, no_color=False)
    else:
        console = Console(file=out, highlight=False, no_color=True)
    for note in report.notes:
        console.print(Text("note: ", style="yellow") + _text(note))
    for section in report.sections:
        if isinstance(section, Plot):
            console.print(_plot(section, min(console.width, 100)))
        else:
            console.print(
                _fields(section) if isinstance(section, Fields) else _table(section, console.width)
            )
    for line in report.footer:
        console.print(_text(line.text, style=STATUS_STYLE[line.ok]))


def track(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """Yield items while a transient progress bar on stderr counts them."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)


def _text(text: str, style: str = "") -> Text:
    """User text as Rich Text: never markup, and never a terminal control (cli.errors)."""
    return Text(printable(text), style=style)


def _cell(cell: Cell) -> Text:
    if isinstance(cell, Status):
        return _text(str(cell).rstrip(), style=STATUS_STYLE[cell.ok])
    return _text(cell)


def _fields(section: Fields) -> RichTable:
    grid = RichTable(
        title=_text(section.title),  # Text: a title is never read as markup ([a, a+Δx])
        box=box.ROUNDED,
        show_header=False,
        title_justify="left",
        min_width=len(section.title) + 2,  # titles stay on one line
    )
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    for label, value in section.rows:
        grid.add_row(_text(label), _cell(value))
    return grid


def _table(section: Table, width: int) -> RichTable:
    table = RichTable(title=_text(section.title), box=box.SIMPLE_HEAVY, title_justify="left")
    depths = section.indent or (0,) * len(section.rows)
    firsts = [
        Text("  " * depth + ("└ " if depth and str(row[0]) else "")) + _cell(row[0])
        for depth, row in zip(depths, section.rows, strict=True)
    ]
    pairs = zip(firsts, section.rows, strict=True)
    rows = [(first, *(_cell(c) for c in row[1:])) for first, row in pairs]
    if section.formulas == 1 and len(section.columns) == 2:
        # Formulas break at operators (cli.wrap), not wherever Rich finds a space.
        kept = max([len(f.plain) for f in firsts] + [len(section.columns[0])])
        room = max(24, width - kept - 6)  # the columns' padding and the box's edges
        rows = [(first, _wrapped(cell, room)) for first, cell in rows]
    for index, name in enumerate(section.columns):
        cells = [row[index].plain for row in rows]
        short = max((len(c) for c in cells), default=0) <= 8  # marks, numbers: never wrap
        whole = section.formulas is not None and index != section.formulas
        table.add_column(name, no_wrap=short or whole)
    for row in rows:
        table.add_row(*row)
    return table


def _wrapped(cell: Text, room: int) -> Text:
    lines = [part for line in cell.plain.split("\n") for part in wrap_formula(line, room)]
    return Text("\n".join(lines), style=cell.style)  # already made printable by _cell


def _axis(value: float) -> str:
    return format(value, ".3g").replace("-", "−")


def _plot(section: Plot, width: int) -> Text:
    """The braille picture with y labels on the left, x labels below and a coloured key."""
    text = _text(section.title + "\n", style="italic")
    margin = 10
    cells = draw_picture(section.data, room=max(20, width - margin - 2))
    (x_lo, x_hi), (y_lo, y_hi) = section.data.x_range, section.data.y_range
    for index, row in enumerate(cells):
        label = _axis(y_hi) if index == 0 else _axis(y_lo) if index == len(cells) - 1 else ""
        text.append(label.rjust(margin - 1) + "│", style="grey50")
        for char, layer in row:
            text.append(char, style=LAYER_STYLE.get(layer, ""))
        text.append("\n")
    span = len(cells[0])
    left, right = _axis(x_lo), _axis(x_hi)
    text.append(" " * margin + left + right.rjust(span - len(left)) + "\n", style="grey50")
    for layer, words in section.legend:
        mark = "  ●  " if layer == POINT else "  ── " if layer == AXIS else "  ━━ "
        text.append(mark, style=LAYER_STYLE[layer])
        text.append(words + "\n")
    return text
