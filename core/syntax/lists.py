"""Comma lists in the several-variable syntax (SPEC.md "Several variables"): points
`x=1,y=2`, vectors `[G1, G2]`, directions `2,5` and `--wrt x,y`. Commas inside brackets do
not split; every piece is parsed by the expression parser, and its errors point into the
whole text as typed."""

from __future__ import annotations

from deriv_lecture.core.errors import ParseError, UsageError
from deriv_lecture.core.syntax.names import CONSTANTS, canonical_function, is_symbol_name
from deriv_lecture.core.syntax.parser import parse_assignment, parse_expr
from deriv_lecture.core.syntax.tree import Expr

OPENERS, CLOSERS = "([{", ")]}"


def split_list(text: str) -> list[tuple[str, int]]:
    """text cut at the commas outside brackets and bars: (piece, offset of the piece)."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append((text[start:i], start))
            start = i + 1
    pieces.append((text[start:], start))
    return pieces


def _parse_piece(piece: str, offset: int, whole: str, option: str) -> Expr:
    try:
        return parse_expr(piece)
    except ParseError as error:
        shift = offset + (len(piece) - len(piece.lstrip())) if error.source != piece else offset
        raise ParseError(
            f"{option}: {error.message}", whole, error.pos + shift, error.hint
        ) from None


def vector_items(text: str) -> list[tuple[str, int]] | None:
    """The items of a vector `[a, b, ...]` (a bracket with a top-level comma), or None
    when text is not one (a bracket without a comma is grouping: `[x + 1]^2`)."""
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        return None
    lead = text.index("[") + 1
    inner = text[lead : text.rindex("]")]
    if not _closes_at_end(stripped):
        return None
    items = split_list(inner)
    if len(items) < 2:
        return None
    return [(piece, offset + lead) for piece, offset in items]


def _closes_at_end(text: str) -> bool:
    """Does the first bracket close at the very end ([a, b], not [a] + [b])?"""
    depth = 0
    for i, char in enumerate(text):
        depth += char in OPENERS
        depth -= char in CLOSERS
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def parse_vector(text: str, option: str, length: int | None = None) -> tuple[Expr, ...]:
    """A vector of expressions: `[G1, G2]` (or, for directions, `2,5` without brackets)."""
    items = vector_items(text)
    if items is None:
        items = split_list(text) if "," in text else None
    if items is None:
        raise UsageError(f"{option} wants a vector like [a, b] with one entry per variable")
    for piece, offset in items:
        if not piece.strip():
            raise ParseError(f"{option}: an empty entry", text, offset)
    vector = tuple(_parse_piece(piece, offset, text, option) for piece, offset in items)
    if length is not None and len(vector) != length:
        raise UsageError(f"{option} has {len(vector)} entries; it needs {length}, one per variable")
    return vector


def parse_components(text: str) -> tuple[Expr, ...]:
    """A vector function `[F1, F2, ...]`, or one expression as a vector of one; an error
    names the component (F2) and points at its column in the whole text."""
    items = vector_items(text)
    if items is None:
        return (_parse_piece(text, 0, text, "F1"),)
    for index, (piece, offset) in enumerate(items, start=1):
        if not piece.strip():
            raise ParseError(f"F{index} is empty", text, offset)
    return tuple(
        _parse_piece(piece, offset, text, f"F{index}")
        for index, (piece, offset) in enumerate(items, start=1)
    )


def parse_matrix(text: str, option: str) -> tuple[tuple[Expr, ...], ...]:
    """A matrix `[[a, b], [c, d]]`: a vector of rows, each a vector (or one entry, `[a]`);
    rows of different lengths are bad input, and errors point into the whole text."""
    rows_text = vector_items(text)
    stripped = text.strip()
    if rows_text is None and stripped.startswith("[[") and _closes_at_end(stripped):
        rows_text = [(text[text.index("[") + 1 : text.rindex("]")], text.index("[") + 1)]  # one row
    if rows_text is None:
        raise UsageError(f"{option} wants a matrix like [[a, b], [c, d]], one row per bracket")
    rows: list[tuple[Expr, ...]] = []
    for index, (row, offset) in enumerate(rows_text, start=1):
        stripped = row.strip()
        if not (stripped.startswith("[") and stripped.endswith("]")):
            raise ParseError(f"{option}: row {index} is not in brackets", text, offset)
        items = vector_items(row)
        if items is None:  # a row of one entry: [a]
            lead = row.index("[") + 1
            items = [(row[lead : row.rindex("]")], lead)]
        rows.append(tuple(_parse_piece(piece, offset + start, text, f"{option}, row {index}")
                          for piece, start in items))  # fmt: skip
    if len({len(row) for row in rows}) != 1:
        lengths = ", ".join(str(len(row)) for row in rows)
        raise UsageError(f"{option}: the rows have different lengths ({lengths})")
    return tuple(rows)


def parse_names(text: str, option: str) -> tuple[str, ...]:
    """`x,y` or `x,x,y` for --wrt: symbol names, in order (repeats allowed: x,x is ∂²/∂x²)."""
    names = tuple(piece.strip() for piece, _ in split_list(text))
    for name in names:
        if not name:
            raise UsageError(f"{option} wants names separated by commas, like {option} x,y")
        if not is_symbol_name(name) or name in CONSTANTS or canonical_function(name):
            raise UsageError(f"{option}: '{name}' is not a variable name")
    return names


def parse_point(text: str, option: str = "--at", formulas: bool = False) -> dict[str, Expr] | Expr:
    """A point: `x=1,y=pi/3` (names and values) or a bare value `2` for the one variable;
    with formulas, the values may use symbols (--sub u="s t^2",v="s^2 t")."""
    pieces = split_list(text)
    if len(pieces) == 1 and "=" not in text:
        return _parse_piece(text, 0, text, option)
    point: dict[str, Expr] = {}
    for piece, _ in pieces:
        if "=" not in piece:
            raise UsageError(
                f"{option} wants NAME=VALUE pairs, like {option} x=1,y=2; got '{piece.strip()}'"
            )
        name, value = parse_assignment(piece, option, formulas)
        if name in point:
            raise UsageError(f"{option} gives {name} twice; give each variable once")
        point[name] = value
    return point
