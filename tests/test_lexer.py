"""core/syntax/lexer.py: every character is a token or an error at its offset."""

import pytest

from deriv_lecture.core.errors import LimitError, ParseError
from deriv_lecture.core.syntax.lexer import tokenize


def kinds_and_texts(source: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(source)[:-1]]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2x", [("num", "2"), ("name", "x")]),
        ("2e-1", [("num", "2e-1")]),
        ("2e - 1", [("num", "2"), ("name", "e"), ("op", "-"), ("num", "1")]),
        ("2e^x", [("num", "2"), ("name", "e"), ("op", "^"), ("name", "x")]),
        ("2.5E10", [("num", "2.5E10")]),
        (".5", [("num", ".5")]),
        ("x**2", [("name", "x"), ("op", "^"), ("num", "2")]),
        ("x²", [("name", "x"), ("sup", "2")]),
        ("x⁻¹", [("name", "x"), ("sup", "-1")]),
        ("a−b×c·d÷e", [("name", "a"), ("op", "-"), ("name", "b"), ("op", "*"), ("name", "c"),
                       ("op", "*"), ("name", "d"), ("op", "/"), ("name", "e")]),
        ("√x", [("name", "sqrt"), ("name", "x")]),
        ("π", [("name", "pi")]),
        ("τ", [("name", "tau")]),
        ("log_2(x)", [("logbase", "2"), ("op", "("), ("name", "x"), ("op", ")")]),
        ("log_1.5", [("logbase", "1.5")]),
        ("x_12", [("name", "x_12")]),
        ("x >= 1", [("name", "x"), ("op", ">="), ("num", "1")]),
        ("x ≤ 1", [("name", "x"), ("op", "<="), ("num", "1")]),
    ],
)  # fmt: skip
def test_tokens(source: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_texts(source) == expected


def test_tokens_keep_their_offsets() -> None:
    tokens = tokenize("  sin(x)")
    assert [(t.text, t.pos) for t in tokens[:4]] == [("sin", 2), ("(", 5), ("x", 6), (")", 7)]
    assert tokens[0].space_before and not tokens[1].space_before


@pytest.mark.parametrize(
    ("source", "pos", "fragment"),
    [
        ("x @ 2", 2, "U+0040"),
        ("x\x00", 1, "U+0000"),
        ("x ≠ 2", 2, "NOT EQUAL TO"),
        ("x＋1", 1, "FULLWIDTH PLUS SIGN"),
        ("x_", 1, "subscript"),
        ("log_(x)", 4, "base"),
    ],
)
def test_errors_point_at_the_character(source: str, pos: int, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        tokenize(source)
    assert caught.value.pos == pos
    assert fragment in caught.value.message


def test_huge_literals_are_refused_not_computed() -> None:
    with pytest.raises(LimitError):
        tokenize("1e99999")
    with pytest.raises(LimitError):
        tokenize("x" * 30_000)
