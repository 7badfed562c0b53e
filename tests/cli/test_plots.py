"""Pictures through the CLI: none when piped or in JSON, --plot forces one, --save-plot
writes SVG and PNG files that parsers accept, and a missing matplotlib is a clear error."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.cli.inprocess import deriv


@pytest.fixture(autouse=True)
def engine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERIV_SYMPY_BUDGET", "0")  # pictures never read SymPy's verdict


BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


def test_piped_and_json_output_have_no_plot() -> None:
    for args in (["x^2", "--at", "2", "--to", "4"], ["x^2", "--at", "2", "--json"]):
        result = deriv(*args)
        assert result.exit_code == 0
        assert not BRAILLE & set(result.stdout)


def test_plot_forces_a_picture_with_its_key() -> None:
    result = deriv("x^2", "--at", "2", "--to", "4", "--plot", "--plain")
    assert BRAILLE & set(result.stdout)
    assert "-- tangent y = 4x − 4" in result.stdout
    assert "-- secant, slope 6" in result.stdout
    assert not BRAILLE & set(deriv("x^2", "--at", "2", "--no-plot").stdout)


def test_plot_needs_a_point() -> None:
    assert deriv("x^2", "--plot").exit_code == 2


def test_svg_has_curve_secant_and_tangent(tmp_path: Path) -> None:
    target = tmp_path / "fig.svg"
    result = deriv("x^2", "--at", "2", "--to", "4", "--save-plot", str(target))
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg")
    text = target.read_text(encoding="utf-8")
    for label in ("f(x)", "secant, slope 6", "tangent y = 4x − 4"):
        assert label in text
    paths = [e for e in root.iter() if e.tag.endswith("path")]
    assert len(paths) > 10


def test_png_is_a_png(tmp_path: Path) -> None:
    target = tmp_path / "fig.png"
    assert deriv("sin(x)", "--at", "pi/4", "--save-plot", str(target)).exit_code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_other_extensions_are_refused(tmp_path: Path) -> None:
    result = deriv("x^2", "--at", "2", "--save-plot", str(tmp_path / "fig.jpg"))
    assert result.exit_code == 2 and ".svg or .png" in result.stderr


def test_without_matplotlib_a_clear_message(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    result = deriv("x^2", "--at", "2", "--save-plot", str(tmp_path / "fig.svg"))
    assert result.exit_code == 2
    from deriv_lecture.cli.figure import install_hint

    assert f"--save-plot needs matplotlib: {install_hint()}" in result.stderr
    assert "Traceback" not in result.output


def test_the_install_hint_fits_how_deriv_was_installed(monkeypatch: Any) -> None:
    from deriv_lecture.cli import figure

    monkeypatch.setattr(sys, "prefix", "/home/s/.local/share/pipx/venvs/deriv-lecture")
    assert figure.install_hint() == "pipx inject deriv-lecture matplotlib"
    monkeypatch.setattr(sys, "prefix", "/home/s/.local/share/uv/tools/deriv-lecture")
    assert figure.install_hint().startswith("uv tool install --with matplotlib")
    monkeypatch.setattr(sys, "prefix", "/home/s/project/.venv")
    hint = figure.install_hint()  # this test's own install: editable, from the checkout
    assert hint.startswith(sys.executable) and "[plot]" in hint


@pytest.mark.parametrize("source", ["abs(x)", "1/x", "cbrt(x)"])
def test_awkward_pictures_draw(source: str, tmp_path: Path) -> None:
    point = "1" if source == "1/x" else "0"
    result = deriv(
        source, "--at", point, "--plot", "--plain", "--save-plot", str(tmp_path / "f.svg")
    )
    assert result.exit_code == 0, result.output
    assert BRAILLE & set(result.stdout)


# -- the gradient's contour map (two variables) -----------------------------------------------
def test_grad_draws_a_contour_map_with_its_key_only_when_asked_or_on_a_terminal() -> None:
    args = ["grad", "x^2 y + sin(x y)", "--at", "x=1,y=2", "--dir", "2,5"]
    shown = deriv(*args, "--plot", "--plain")
    assert shown.exit_code == 0, shown.output
    assert BRAILLE & set(shown.stdout)
    for words in ("level curves f = c", "the level curve through the point",
                  "∇f: steepest ascent, perpendicular", "the line a + t·u", "a = (1, 2)",
                  "x from −1 to 3, y from 1 to 3"):  # fmt: skip
        assert words in shown.stdout
    for quiet in ([], ["--no-plot"], ["--json"]):  # piped, refused, JSON: no picture
        assert not BRAILLE & set(deriv(*args, *quiet).stdout)
    assert BRAILLE & set(deriv(*args, "--color", "always").stdout)  # as on a terminal


def test_grad_says_why_there_is_no_arrow() -> None:
    at_minimum = deriv("grad", "x^2 + y^2", "--at", "x=0,y=0", "--plot", "--plain").stdout
    assert "no arrow: ∇f = 0 here" in at_minimum
    at_cone = deriv("grad", "sqrt(x^2 + y^2)", "--at", "x=0,y=0", "--plot", "--plain").stdout
    assert "no arrow: f has no gradient here" in at_cone


@pytest.mark.parametrize(
    "args",
    [["grad", "x y z", "--at", "x=1,y=1,z=1", "--plot"],  # three variables: no map
     ["grad", "x^2", "--at", "x=1", "--plot"],  # one: `deriv EXPR --at` draws its graph
     ["grad", "x y", "--plot"],  # no point
     ["grad", "x y", "--at", "x=1,y=1", "--save-plot", "map.jpg"]],
)  # fmt: skip
def test_a_contour_map_needs_two_variables_a_point_and_a_known_format(args: list[str]) -> None:
    result = deriv(*args)
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_grad_saves_the_map_also_with_json(suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"map.{suffix}"
    args = ["grad", "e^(x y)", "--at", "x=1/2,y=-1", "--dir", "1,1", "--save-plot", str(target)]
    result = deriv(*args, "--json")
    assert result.exit_code == 0, result.output
    assert "gradient" in result.stdout and not BRAILLE & set(result.stdout)
    if suffix == "png":
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        return
    root = ET.parse(target).getroot()
    text = target.read_text(encoding="utf-8")
    assert root.tag.endswith("svg")
    for label in ("level curves f = c", "∇f: steepest ascent", "the line a + t·u"):
        assert label in text
