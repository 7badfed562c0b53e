"""Catalogs of cases (TOML, the format of docs/catalog.md): the lecture's, shipped with deriv, and
a user's answer key. Loading validates everything before anything runs."""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from deriv_lecture.core.errors import InputError


class CatalogError(InputError):
    """A catalog file that is not valid TOML, or a case with a missing or mistyped key."""

    kind = "catalog"


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    expr: str
    var: str | None = None
    at: str | None = None
    expect: str | None = None
    lets: tuple[tuple[str, str], ...] = ()
    group: str | None = None
    note: str | None = None
    # Facts at the point (README: catalog extensions).
    value: str | None = None  # f'(at)
    to: str | None = None  # with average: the average rate over [at, to]
    average: str | None = None
    tangent: str | None = None  # right-hand side of y = ...
    differentiable: bool | None = None  # false: left and right are the one-sided slopes
    left: str | None = None
    right: str | None = None
    # Several variables (SPEC.md): partials by `wrt` ("x" or "x,y"), a point of several
    # variables `at = { x = "1", y = "2" }`, an expected gradient `grad`, a direction `dir`.
    wrt: str | None = None
    at_point: tuple[tuple[str, str], ...] = ()
    grad: tuple[str, ...] | None = None
    dir: str | None = None
    # Matrices (SPEC.md): an expected Jacobian of the vector `expr` or Hessian of `expr`,
    # each a list of rows, and `det`, its determinant (a formula, or at `at` a value).
    jacobian: tuple[tuple[str, ...], ...] | None = None
    hessian: tuple[tuple[str, ...], ...] | None = None
    det: str | None = None
    # Implicit curves (SPEC.md `deriv implicit`): the equation, and the expected second
    # derivative; `expect` is dy/dx (judged on the curve), `value` dy/dx at `at`.
    implicit: str | None = None
    second: str | None = None
    dep: str | None = None
    line: int = 0  # where the case starts in its file, for messages
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


STRING_KEYS = (
    "name",
    "expr",
    "var",
    "expect",
    "group",
    "note",
    "tangent",
    "wrt",
    "implicit",
    "second",
    "dep",
)
EXPRESSION_KEYS = ("at", "value", "to", "average", "left", "right")  # a number or a string
MATRIX_KEYS = ("jacobian", "hessian")
KNOWN_KEYS = frozenset(
    STRING_KEYS + EXPRESSION_KEYS + MATRIX_KEYS + ("let", "differentiable", "grad", "dir", "det")
)


def builtin_catalog() -> list[Case]:
    lecture = resources.files("deriv_lecture.core").joinpath("data/lecture.toml")
    text = lecture.read_text(encoding="utf-8")
    return parse_catalog(text, "lecture.toml (built in)")


MAX_CATALOG_BYTES = 10 * 1024 * 1024  # a course's answer key is kilobytes; /dev/zero is not


def load_catalog(path: str) -> list[Case]:
    """Read a catalog file: a regular file of at most MAX_CATALOG_BYTES (a directory, a
    FIFO or a device is refused before anything is read from it)."""
    if not path:
        raise CatalogError("--catalog needs a file name (it was empty)")
    try:
        info = os.stat(path)
    except OSError as error:
        raise CatalogError(f"cannot read catalog {path}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise CatalogError(f"catalog {path} is {kind}: give a .toml file")
    if info.st_size > MAX_CATALOG_BYTES:
        raise CatalogError(
            f"catalog {path} is {info.st_size:,} bytes; the limit is {MAX_CATALOG_BYTES:,}"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CATALOG_BYTES + 1)
    except OSError as error:
        raise CatalogError(f"cannot read catalog {path}: {error.strerror}") from None
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"catalog {path} is larger than {MAX_CATALOG_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")  # Windows Notepad starts files with a BOM
    except UnicodeDecodeError:
        raise CatalogError(f"catalog {path} is not UTF-8 text") from None
    return parse_catalog(text, path)


def parse_catalog(text: str, filename: str) -> list[Case]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{filename}: not valid TOML: {error}") from None
    unknown_tables = set(document) - {"case"}
    if unknown_tables:
        names = ", ".join(sorted(unknown_tables))
        raise CatalogError(f"{filename}: unknown top-level key(s) {names}; cases go in [[case]]")
    raw = document.get("case", [])
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise CatalogError(f"{filename}: 'case' must be an array of tables, [[case]]")
    if not raw:
        raise CatalogError(f"{filename}: no [[case]] in the catalog")
    lines = _case_lines(text)
    return [
        _case(entry, i, filename, lines[i] if i < len(lines) else 0) for i, entry in enumerate(raw)
    ]


def _case(entry: dict[str, Any], index: int, filename: str, line: int) -> Case:
    where = f"{filename}, case {index + 1}" + (f" (line {line})" if line else "")
    unknown = sorted(set(entry) - KNOWN_KEYS)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(KNOWN_KEYS), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise CatalogError(
            f"{where}: unknown key '{unknown[0]}'{hint} (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    if "expr" not in entry and "implicit" not in entry:
        raise CatalogError(f"{where}: the case has no 'expr' (or 'implicit' for a curve)")
    values: dict[str, Any] = {}
    for key in STRING_KEYS:
        if key in entry:
            if not isinstance(entry[key], str):
                raise CatalogError(f"{where}: '{key}' must be a string")
            values[key] = entry[key]
    for key in EXPRESSION_KEYS:
        if key == "at" and isinstance(entry.get(key), dict):  # at = { x = "1", y = "2" }
            values["at_point"] = tuple(
                (str(k), _expression_text(v, f"at.{k}", where)) for k, v in entry[key].items()
            )
        elif key in entry:
            values[key] = _expression_text(entry[key], key, where)
    if "grad" in entry:
        if not isinstance(entry["grad"], list) or not entry["grad"]:
            raise CatalogError(
                f'{where}: \'grad\' must be a list of expressions, like ["2x", "2y"]'
            )
        values["grad"] = tuple(_expression_text(g, "grad", where) for g in entry["grad"])
    for key in MATRIX_KEYS:
        if key in entry:
            values[key] = _matrix(entry[key], key, where)
    if "det" in entry:
        values["det"] = _expression_text(entry["det"], "det", where)
    if "dir" in entry:
        given = entry["dir"]
        items = given if isinstance(given, list) else [given]
        values["dir"] = ",".join(_expression_text(v, "dir", where) for v in items)
    if "differentiable" in entry:
        if not isinstance(entry["differentiable"], bool):
            raise CatalogError(f"{where}: 'differentiable' must be true or false")
        values["differentiable"] = entry["differentiable"]
    lets = entry.get("let", {})
    if not isinstance(lets, dict):
        raise CatalogError(f"{where}: 'let' must be a table, like let = {{ a = 3 }}")
    pairs = tuple((str(k), _expression_text(v, f"let.{k}", where)) for k, v in lets.items())
    name = values.pop("name", entry.get("expr", entry.get("implicit")))
    values.setdefault("expr", values.get("implicit", ""))
    case = Case(name=name, lets=pairs, line=line, **values)
    _check_fields(case, where)
    return case


POINT_KEYS = ("at", "to", "value", "average", "left", "right")


def _check_fields(case: Case, where: str) -> None:
    """Every field but `expr` must read and, where it is a number, have a value, before
    anything runs (a bad `expect` used to stop the whole run naming no case). A case whose
    `expr` does not parse is that case's failure instead, as docs/catalog.md says."""
    from deriv_lecture.core.numeric.local import UNDEFINED, Local
    from deriv_lecture.core.syntax.names import CONSTANTS, is_symbol_name
    from deriv_lecture.core.syntax.tree import free_symbols, substitute

    lets = {}
    for name, text in case.lets:
        if not is_symbol_name(name) or name in CONSTANTS:
            raise CatalogError(f"{where}: let.{name}: '{name}' is not a parameter name")
        value = _read(text, f"let.{name}", where)
        if free_symbols(value):
            raise CatalogError(f"{where}: let.{name} = {text!r} must be a number")
        status = Local("", {}).status(value)
        if status.state == UNDEFINED:
            raise CatalogError(f"{where}: let.{name} = {text!r} has no value: {status.reason}")
        lets[name] = value
    for key in ("expect", "tangent", "det", "second"):
        text = getattr(case, key)
        if text is not None:
            _read(text, key, where)
    for key in MATRIX_KEYS:
        for row in getattr(case, key) or ():
            for text in row:
                _read(text, key, where)
    for key in POINT_KEYS:
        text = getattr(case, key)
        if text is None:
            continue
        value = _read(text, key, where)
        for name, given in lets.items():
            value = substitute(value, name, given)
        if free_symbols(value):
            names = ", ".join(sorted(free_symbols(value)))
            raise CatalogError(f"{where}: '{key}' = {text!r} must be a number (it uses {names})")
        status = Local("", {}).status(value)
        if status.state == UNDEFINED:
            raise CatalogError(f"{where}: '{key}' = {text!r} has no value: {status.reason}")


def _matrix(value: Any, key: str, where: str) -> tuple[tuple[str, ...], ...]:
    rows = value if isinstance(value, list) else None
    if not rows or not all(isinstance(row, list) and row for row in rows):
        example = '[["2x", "1"], ["0", "2y"]]'
        raise CatalogError(f"{where}: '{key}' must be a list of rows, like {example}")
    if len({len(row) for row in rows}) != 1:
        raise CatalogError(f"{where}: the rows of '{key}' have different lengths")
    return tuple(tuple(_expression_text(v, key, where) for v in row) for row in rows)


def _read(text: str, key: str, where: str) -> Any:
    from deriv_lecture.core.errors import InputError
    from deriv_lecture.core.syntax.parser import parse_expr

    try:
        return parse_expr(text)
    except InputError as error:
        raise CatalogError(f"{where}: '{key}' = {text!r} does not read: {error.message}") from None


def _expression_text(value: Any, key: str, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CatalogError(f"{where}: '{key}' must be a number or an expression string")
    return str(value)


def _case_lines(text: str) -> list[int]:
    """1-based line numbers of each [[case]] header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("[[case]]")]
