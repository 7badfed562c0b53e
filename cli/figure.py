"""--save-plot FILE: the same picture as SVG or PNG, drawn with matplotlib (the optional
`plot` extra). Imported only when a file is asked for."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from deriv_lecture.cli.process import write_atomically
from deriv_lecture.cli.report import Plot
from deriv_lecture.core.errors import UsageError
from deriv_lecture.core.numeric.contours import ContourData
from deriv_lecture.core.numeric.plotdata import PlotData
from deriv_lecture.core.tasks.backprop import Graph

FORMATS = {".svg": "svg", ".png": "png"}
COLOURS = {"curve": "#1f77b4", "tangent": "#ff7f0e", "secant": "#2ca02c", "point": "#d62728"}


def install_hint() -> str:
    """The command that adds matplotlib to deriv as this deriv was installed: pipx and
    uv tools have their own, an editable checkout gets its extra, a venv its own pip."""
    import json
    import shlex
    import sys
    from importlib import metadata

    python = shlex.quote(sys.executable)
    prefix = sys.prefix.replace("\\", "/")
    if "/pipx/venvs/" in prefix:
        return "pipx inject deriv-lecture matplotlib"
    if "/uv/tools/" in prefix:
        return "uv tool install --with matplotlib --reinstall deriv-lecture (or its path)"
    try:
        origin = json.loads(
            metadata.distribution("deriv-lecture").read_text("direct_url.json") or "{}"
        )
    except (metadata.PackageNotFoundError, ValueError):
        origin = {}
    url = str(origin.get("url", ""))
    if url.startswith("file://"):
        where = url.removeprefix("file://")
        editable = "-e " if origin.get("dir_info", {}).get("editable") else ""
        return f"{python} -m pip install {editable}{shlex.quote(where + '[plot]')}"
    return f"{python} -m pip install 'deriv-lecture[plot]'"


def save_figure(plot: Plot, path: str) -> None:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--save-plot: '{path}' should end in .svg or .png")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no screen needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError(f"--save-plot needs matplotlib: {install_hint()}") from None
    if isinstance(plot.data, ContourData):  # the key below: level curves fill the map
        figure, axes = plt.subplots(figsize=(7, 6), dpi=120)
        _contour_map(axes, plot)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize="small")
    else:
        figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
        _graph(axes, plot)
        axes.legend(loc="best", fontsize="small")
    axes.set_title(plot.title)
    figure.tight_layout()
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format=FORMATS[suffix], bbox_inches="tight")
    finally:
        plt.close(figure)
    write_atomically(path, buffer.getvalue())  # the old picture stays if this fails


def _graph(axes: Any, plot: Plot) -> None:
    from deriv_lecture.cli.braille import CURVE, POINT, SECANT, TANGENT

    assert isinstance(plot.data, PlotData)
    data = plot.data
    labels = dict(plot.legend)
    for index, run in enumerate(data.curve):
        xs, ys = zip(*run, strict=True)
        axes.plot(xs, ys, color=COLOURS["curve"], label=labels[CURVE] if index == 0 else None)
    if data.secant is not None:
        (x0, y0), (x1, y1) = data.secant
        axes.plot([x0, x1], [y0, y1], color=COLOURS["secant"], label=labels.get(SECANT))
    for index, ((x0, y0), (x1, y1)) in enumerate(data.tangents):
        label = labels.get(TANGENT) if index == 0 else None
        axes.plot([x0, x1], [y0, y1], color=COLOURS["tangent"], linestyle="--", label=label)
    points = [p for p in (data.point, data.end_point) if p is not None]
    axes.scatter([p[0] for p in points], [p[1] for p in points], color=COLOURS["point"],
                 zorder=5, label=labels.get(POINT))  # fmt: skip
    axes.set_xlim(*data.x_range)
    axes.set_ylim(*data.y_range)
    axes.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.set_xlabel("x")
    axes.set_ylabel("y")


def _contour_map(axes: Any, plot: Plot) -> None:
    """The same segments as the terminal's map, at equal scales (angles are kept: ∇f meets
    the level curve at a right angle on paper too)."""
    from matplotlib.collections import LineCollection

    from deriv_lecture.cli.braille import AXIS, CURVE, POINT, SECANT, TANGENT

    data = plot.data
    assert isinstance(data, ContourData)
    labels = dict(plot.legend)
    axes.add_collection(LineCollection(data.curves, colors="0.6", linewidths=0.8,
                                       label=labels.get(AXIS)))  # fmt: skip
    axes.add_collection(LineCollection(data.point_curve, colors=COLOURS["curve"], capstyle="round",
                                       linewidths=1.8, label=labels.get(CURVE)))  # fmt: skip
    if data.direction is not None:
        (x0, y0), (x1, y1) = data.direction
        axes.plot([x0, x1], [y0, y1], color=COLOURS["secant"], label=labels.get(SECANT))
    if data.arrow:
        (a, b), (tip_x, tip_y) = data.arrow[0]
        axes.annotate(
            "",
            xy=(tip_x, tip_y),
            xytext=(a, b),
            arrowprops={"arrowstyle": "-|>", "color": COLOURS["tangent"], "lw": 2},
        )
        axes.plot([], [], color=COLOURS["tangent"], label=labels.get(TANGENT))  # its key
    elif TANGENT in labels:  # why there is no arrow, in the key
        axes.plot([], [], linestyle="none", label=labels[TANGENT])
    axes.scatter([data.point[0]], [data.point[1]], color=COLOURS["point"], zorder=5,
                 label=labels.get(POINT))  # fmt: skip
    axes.set_xlim(*data.x_range)
    axes.set_ylim(*data.y_range)
    axes.set_aspect("equal")
    axes.set_xlabel(data.names[0])
    axes.set_ylabel(data.names[1])


def save_graph(graph: Graph, values: dict[str, float] | None, gradients: dict[str, Any],
               path: str) -> None:  # fmt: skip
    """The computation graph to FILE.svg or FILE.png: inputs on the left, each module one
    layer right of what it reads, every node with its value (data) and gradient (grad),
    an arrow per wire. Laid out here (no Graphviz needed)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--save-plot: '{path}' should end in .svg or .png")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError(f"--save-plot needs matplotlib: {install_hint()}") from None
    from deriv_lecture.core.syntax.printer import to_pretty

    layer = dict.fromkeys(graph.inputs, 0)
    for m in graph.modules:
        layer[m.name] = 1 + max((layer[i] for i in m.inputs), default=0)
    columns: dict[int, list[str]] = {}
    for name, depth in layer.items():
        columns.setdefault(depth, []).append(name)
    where = {
        name: (depth, -row + (len(names) - 1) / 2)
        for depth, names in columns.items()
        for row, name in enumerate(names)
    }
    formulas = {m.name: to_pretty(m.formula) for m in graph.modules}
    width = max(6.0, 2.2 * (max(columns) + 1))
    height = max(3.0, 1.2 * max(len(n) for n in columns.values()))
    figure, axes = plt.subplots(figsize=(width, height), dpi=120)
    for m in graph.modules:
        for name in m.inputs:
            (x0, y0), (x1, y1) = where[name], where[m.name]
            axes.annotate("", xy=(x1 - 0.3, y1), xytext=(x0 + 0.3, y0),
                          arrowprops={"arrowstyle": "-|>", "color": "0.5"})  # fmt: skip
    for name, (x, y) in where.items():
        value = "" if values is None else f"data {_short(values.get(name))}\n"
        label = f"{name} = {formulas[name]}" if name in formulas else f"{name} (input)"
        text = f"{label}\n{value}grad {_short(gradients.get(name, 0.0))}"
        colour = (
            "#d8e8f8" if name in graph.inputs else "#fde9c9" if name == graph.output else "white"
        )
        axes.text(x, y, text, ha="center", va="center", fontsize=8,
                  bbox={"boxstyle": "round", "facecolor": colour, "edgecolor": "0.4"})  # fmt: skip
    axes.set_xlim(-0.6, max(columns) + 0.6)
    axes.set_ylim(min(y for _, y in where.values()) - 0.8, max(y for _, y in where.values()) + 0.8)
    axes.axis("off")
    axes.set_title("The computation graph: data (forward) and grad (backward) at each node")
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format=FORMATS[suffix], bbox_inches="tight")
    finally:
        plt.close(figure)
    write_atomically(path, buffer.getvalue())


def _short(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return format(value, ".6g").replace("-", "−")
    from deriv_lecture.core.syntax.printer import to_pretty

    return to_pretty(value)
