"""Text -> tokens. Every character becomes part of a token or an error at its offset.

Pasted Unicode is read here, character by character, so that error offsets still point
into the text the person typed: the minus sign, ×, ·, ÷, superscript exponents (x²),
√, ∛, π, ≤, ≥ and Greek letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from deriv_lecture.core.errors import LimitError, ParseError
from deriv_lecture.core.syntax.names import GREEK_GLYPHS

MAX_INPUT_LENGTH = 20_000  # characters; far beyond any real formula, small enough to stay fast
MAX_NUMBER_DIGITS = 400  # digits in one literal (and size of a scientific exponent)

# Characters that mean an ASCII operator.
SAME_AS = {"−": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "≤": "<=", "≥": ">="}
# Superscripts as deriv prints them: x², e⁻ˣ, 2²ˣ; subscripts: log₂(x), x₁.
SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
SUPERSCRIPTS = str.maketrans(SUPERSCRIPT_CHARS, "0123456789-+abcdefghijklmnoprstuvwxyz")
SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉"
SUBSCRIPTS = str.maketrans(SUBSCRIPT_CHARS, "0123456789")
GREEK_LETTERS = {glyph: name for name, glyph in GREEK_GLYPHS.items()} | {"π": "pi"}
OPERATOR_CHARS = "+-*/^()[]|,<>"
# Greek letters that pass for Latin ones: beside a Latin letter (cοs with an omicron) they
# are a pasted look-alike, not a product of symbols.
LOOK_ALIKES = {"ο": "o", "ν": "v", "ρ": "p", "ι": "i", "υ": "u", "κ": "k", "χ": "x"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "name", "logbase", "sup", "op", "end"
    text: str  # normalised text: "^", "sqrt", "2.5E10", "-1" for "⁻¹"
    pos: int  # offset of the first character in the source
    end: int  # offset just past the last character
    space_before: bool = False


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_INPUT_LENGTH:
        raise LimitError(
            f"the expression is {len(source):,} characters long; the limit is {MAX_INPUT_LENGTH:,}"
        )
    tokens: list[Token] = []
    i = 0
    space = False
    while i < len(source):
        ch = source[i]
        if ch.isspace():
            space, i = True, i + 1
            continue
        token = _read_token(source, i)
        tokens.append(Token(token.kind, token.text, token.pos, token.end, space))
        space, i = False, token.end
    tokens.append(Token("end", "", len(source), len(source), space))
    return tokens


def _read_token(source: str, i: int) -> Token:
    ch = source[i]
    if ch.isascii() and (ch.isdigit() or (ch == "." and _digit_at(source, i + 1))):
        return _read_number(source, i)
    if ch.isascii() and ch.isalpha():
        return _read_name(source, i)
    if ch == "*" and source.startswith("**", i):
        return Token("op", "^", i, i + 2)
    if ch in "<>" and source.startswith("=", i + 1):
        return Token("op", ch + "=", i, i + 2)
    if ch in OPERATOR_CHARS:
        return Token("op", ch, i, i + 1)
    if ch in SAME_AS:
        return Token("op", SAME_AS[ch], i, i + 1)
    if ch in GREEK_LETTERS:
        if ch in LOOK_ALIKES and _beside_latin(source, i):
            raise ParseError(
                f"{_describe(ch)} inside a word looks like the Latin letter"
                f" '{LOOK_ALIKES[ch]}' but is not one; retype the word",
                source,
                i,
            )
        j = i + 1
        while j < len(source) and source[j] in SUBSCRIPT_CHARS:  # θ₁
            j += 1
        subscript = source[i + 1 : j].translate(SUBSCRIPTS)
        return Token("name", GREEK_LETTERS[ch] + (f"_{subscript}" if subscript else ""), i, j)
    if ch == "√":
        return Token("name", "sqrt", i, i + 1)
    if ch == "∛":
        return Token("name", "cbrt", i, i + 1)
    if ch in SUPERSCRIPT_CHARS:
        return _read_superscript(source, i)
    if ch == "=":
        raise ParseError("an equation is not an expression", source, i, _equation_hint(source, i))
    raise ParseError(f"unexpected character {_describe(ch)}", source, i)


def _equation_hint(source: str, i: int) -> str:
    """y = x^2 and f(x) = x^2 define a function: its right side is the expression; any other
    equation is a curve, which `deriv implicit` differentiates."""
    left, right = source[:i].strip(), source[i + 1 :].strip()
    if left in ("y", "f(x)", "f(t)", "g(x)", "y(x)") or (len(left) == 1 and left.isalpha()):
        return f'drop the left side: deriv "{right}" differentiates {left} = {right}'
    return f'for dy/dx on the curve {left} = {right}, use deriv implicit "{source.strip()}"'


def _beside_latin(source: str, i: int) -> bool:
    return any(
        0 <= j < len(source) and source[j].isascii() and source[j].isalpha() for j in (i - 1, i + 1)
    )


def _digit_at(source: str, i: int) -> bool:
    return i < len(source) and source[i].isascii() and source[i].isdigit()


def _read_number(source: str, start: int) -> Token:
    i = start
    while _digit_at(source, i):
        i += 1
    if i < len(source) and source[i] == ".":
        i += 1
        while _digit_at(source, i):
            i += 1
    # Scientific notation only when e/E is followed by digits with no space: 2e-1 is 0.2,
    # while 2e, 2e^x and 2e - 1 use the constant e (docs/syntax.md).
    if i < len(source) and source[i] in "eE":
        j = i + 1
        if j < len(source) and source[j] in "+-":
            j += 1
        if _digit_at(source, j):
            while _digit_at(source, j):
                j += 1
            i = j
    if i < len(source) and source[i] == ".":
        raise ParseError("a number has at most one decimal point", source, i)
    text = source[start:i]
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa) > MAX_NUMBER_DIGITS or len(exponent.lstrip("+-")) > 3:
        raise LimitError(f"the number starting at column {start + 1} is too large to handle")
    return Token("num", text, start, i)


def _read_name(source: str, start: int) -> Token:
    i = start
    while i < len(source) and source[i].isascii() and source[i].isalnum():
        i += 1
    word = source[start:i]
    if i < len(source) and source[i] in SUBSCRIPT_CHARS:  # log₂, x₁
        j = i
        while j < len(source) and source[j] in SUBSCRIPT_CHARS:
            j += 1
        digits = source[i:j].translate(SUBSCRIPTS)
        return Token(
            "logbase" if word == "log" else "name",
            digits if word == "log" else f"{word}_{digits}",
            start,
            j,
        )
    if i < len(source) and source[i] == "_":
        if word == "log":
            return _read_log_base(source, start, i + 1)
        j = i + 1
        while j < len(source) and source[j].isascii() and source[j].isalnum():
            j += 1
        if j == i + 1:
            raise ParseError("a subscript needs letters or digits after '_'", source, i)
        i = j
    return Token("name", source[start:i], start, i)


def _read_log_base(source: str, start: int, base_start: int) -> Token:
    """log_B: B is a number (log_2, log_1.5) or a name (log_e, log_a)."""
    if _digit_at(source, base_start):
        base = _read_number(source, base_start)
    elif base_start < len(source) and source[base_start].isascii() and source[base_start].isalpha():
        j = base_start
        while j < len(source) and source[j].isascii() and source[j].isalnum():
            j += 1
        base = Token("name", source[base_start:j], base_start, j)
    else:
        raise ParseError("log_ needs a base: log_2(x), log_10(x), log_a(x)", source, base_start)
    return Token("logbase", base.text, start, base.end)


def _read_superscript(source: str, start: int) -> Token:
    i = start
    while i < len(source) and source[i] in SUPERSCRIPT_CHARS:
        i += 1
    text = source[start:i].translate(SUPERSCRIPTS)
    if not re.fullmatch(r"[+-]?([0-9]+[a-z]?|[a-z])", text):
        raise ParseError(
            "a superscript exponent is a whole number, a letter or both, like x², e⁻ˣ or 2²ˣ",
            source,
            start,
        )
    return Token("sup", text, start, i)


def _describe(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    shown = repr(ch) if ch.isprintable() else code
    return f"{shown} ({code} {name})" if name else f"{shown} ({code})"
