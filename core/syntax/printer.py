"""Tree -> text, two ways.

`to_input` writes the ASCII input syntax (what JSON carries; it parses back to the same
function). `to_pretty` writes readable Unicode math for tables: x², √x, e⁻ˣ, π, −.
Both share one precedence walk; only the spelling of each construct differs.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from deriv_lecture.core.errors import LimitError
from deriv_lecture.core.functions import FUNCTIONS
from deriv_lecture.core.syntax.names import GREEK_GLYPHS
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Compare,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
)

# Precedence of each construct when printed, loosest first (matches core.syntax.parser).
COND, SUM, PRODUCT, UNARY, POWER, ATOM = 0, 10, 20, 25, 40, 100

SUPERSCRIPT = str.maketrans(
    "0123456789-abcdefghijklmnoprstuvwxyz",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
)
SUBSCRIPT = str.maketrans("0123456789.", "₀₁₂₃₄₅₆₇₈₉.")
COMPARISON_GLYPHS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def to_input(expr: Expr) -> str:
    """ASCII input syntax; `parse(to_input(e))` is the same function as e."""
    return _Printer(pretty=False).show(expr)


def to_pretty(expr: Expr) -> str:
    """Readable Unicode math for people."""
    return _Printer(pretty=True).show(expr)


def precedence(expr: Expr) -> int:
    match expr:
        case Num(value):
            if value < 0:
                return UNARY
            return ATOM if value.denominator == 1 or _decimal(value) else PRODUCT
        case Const() | Sym() | Call():
            return ATOM
        case Add():
            return SUM
        case Mul() | Div():
            return PRODUCT
        case Neg():
            return UNARY
        case Pow():
            return POWER
        case Piecewise():
            return COND
        case Undefined():
            return ATOM


MAX_PLAIN_DIGITS = 15  # longer numbers print in scientific notation when they are short there
MAX_SCIENTIFIC_BITS = 8_000  # past this, leave the number as it is (str() has its own cap)
# Python's int-to-text limit is raised to 100,000 digits (core/__init__.py); the caps on
# literals, folded powers and exact values keep numbers far below it. A number past it
# anyway is an error with a message, not a ValueError from str().
MAX_PRINTED_BITS = 300_000


def _decimal(value: Fraction) -> str | None:
    """value as a decimal when it is one (0.1, 2.25; 9/4 stays a fraction), and past 15
    digits in scientific notation (3e20, 2.5e-300): the lexer reads that back exactly,
    where 1e-300 printed as a fraction was 301 digits of 1/1000…"""
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        if abs(numerator) < 10**MAX_PLAIN_DIGITS:
            return str(numerator)
        return _scientific(value) or str(numerator)
    digits = len(str(denominator)) - 1
    if denominator == 10**digits and digits <= MAX_PLAIN_DIGITS:
        whole, rest = divmod(abs(numerator), denominator)
        sign = "-" if value < 0 else ""
        return f"{sign}{whole}.{str(rest).rjust(digits, '0')}"
    if max(abs(numerator), denominator) < 10**MAX_PLAIN_DIGITS:
        return None
    return _scientific(value)


def _scientific(value: Fraction) -> str | None:
    """±d.ddd…e±k for value = ±m·10^k with m of at most 15 digits, else None."""
    numerator, denominator = abs(value.numerator), value.denominator
    if numerator.bit_length() + denominator.bit_length() > MAX_SCIENTIFIC_BITS:
        return None
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return None  # 1/3: no decimal ends
    places = max(twos, fives)
    whole = str(numerator * (10**places // denominator))  # value = whole / 10^places
    significant = whole.rstrip("0")
    if len(significant) > MAX_PLAIN_DIGITS:
        return None
    exponent = len(whole) - 1 - places
    mantissa = significant[0] + (f".{significant[1:]}" if len(significant) > 1 else "")
    return f"{'-' if value < 0 else ''}{mantissa}e{exponent}"


class _Printer:
    def __init__(self, pretty: bool) -> None:
        self.pretty = pretty
        self.minus = "−" if pretty else "-"
        self.show: Callable[[Expr], str] = self._show

    def _show(self, expr: Expr) -> str:
        match expr:
            case Num(value):
                return self.number(value)
            case Const(name):
                return "π" if self.pretty and name == "pi" else name
            case Sym(name):
                return _pretty_symbol(name) if self.pretty else name
            case Add(terms):
                return self.sum(terms)
            case Neg(Mul() | Div() as arg):
                inner = self.show(arg)  # −a/b and −2x need no parentheses ...
                return self.minus + (f"({inner})" if inner.startswith(self.minus) else inner)
            case Neg(arg):
                return self.minus + self.wrap(arg, UNARY, strict=False, allow_neg=False)
            case Mul(factors):
                return self.product(factors)
            case Div(num, den):
                return f"{self.wrap(num, PRODUCT, strict=False)}/{self.wrap(den, PRODUCT)}"
            case Pow(base, exp):
                return self.power(base, exp)
            case Call(name, args):
                return self.call(name, args)
            case Piecewise(cond, then, Undefined()):
                return f"{self.wrap(then, COND)} if {self.comparison(cond)}"
            case Piecewise(cond, then, otherwise):
                return (
                    f"{self.wrap(then, COND)} if {self.comparison(cond)} else "
                    f"{self.wrap(otherwise, COND, strict=False)}"
                )
            case Undefined():
                return "(no value)"  # only ever the missing else of a piecewise function

    def wrap(self, expr: Expr, level: int, strict: bool = True, allow_neg: bool = True) -> str:
        """expr, in parentheses when it binds looser than its place needs."""
        inner = precedence(expr)
        needs = inner <= level if strict else inner < level
        if not allow_neg and inner == UNARY:
            needs = True
        text = self.show(expr)
        return f"({text})" if needs else text

    def number(self, value: Fraction) -> str:
        sign = self.minus if value < 0 else ""
        magnitude = abs(value)
        if max(magnitude.numerator.bit_length(), magnitude.denominator.bit_length()) > (
            MAX_PRINTED_BITS
        ):
            raise LimitError("a number of more than 90,000 digits: too large to print")
        decimal = _decimal(magnitude)
        if decimal is not None:
            return sign + decimal
        top, bottom = (_decimal(Fraction(n)) for n in (magnitude.numerator, magnitude.denominator))
        return f"{sign}{top}/{bottom}"

    def sum(self, terms: tuple[Expr, ...]) -> str:
        parts = [self.wrap(terms[0], SUM, strict=False)]
        for term in terms[1:]:
            negated = _negated(term)
            if negated is not None:
                parts.append(f" {self.minus} {self.wrap(negated, SUM)}")
            else:
                parts.append(f" + {self.wrap(term, SUM)}")
        return "".join(parts)

    def product(self, factors: tuple[Expr, ...]) -> str:
        if factors[0] in (Num(Fraction(-1)), Num(Fraction(1))) and len(factors) > 1:
            sign = self.minus if factors[0] == Num(Fraction(-1)) else ""
            rest = factors[1:]
            return sign + (self.wrap(rest[0], UNARY) if len(rest) == 1 else self.product(rest))
        if not self.pretty:
            shown = [self.wrap(factors[0], PRODUCT, strict=False)]
            shown += [self.wrap(f, PRODUCT, allow_neg=False) for f in factors[1:]]
            return "*".join(shown)
        first = factors[0]
        text = self.wrap(first, PRODUCT, strict=False)
        # A number printed as a/b is a quotient too (a decimal never has a slash).
        quotient = isinstance(first, Div) or (isinstance(first, Num) and "/" in text)
        if quotient and not text.startswith("("):
            text = f"({text})"  # (1/2)y² and (2/3)x: 1/2 y² reads as 1/(2y²)
        previous, previous_text = first, text
        for factor in factors[1:]:
            piece = self.wrap(factor, PRODUCT, allow_neg=False)
            if previous is first and quotient:
                text += ("·" if piece[0].isdigit() else "") + piece  # (2/3)x, (1/2)sin(x)
            else:
                text += _juxtapose(previous, previous_text, piece, factor) + piece
            previous, previous_text = factor, piece
        return text

    def power(self, base: Expr, exp: Expr) -> str:
        base_text = self.wrap(base, POWER)
        radical = self.pretty and isinstance(base, Call) and _prefix_glyph(base.name) is not None
        scientific = isinstance(base, Num) and "e" in base_text
        if radical or scientific or (isinstance(base, Num) and base.value.denominator != 1):
            base_text = f"({self.show(base)})"  # (√x)², not √x² which reads as √(x²)
        if self.pretty:
            raised = _superscript(exp)
            whole = isinstance(exp, Num) and exp.value.denominator == 1 and exp.value > 0
            if raised is not None and whole and _named_call(base):  # sec²(x), as texts do
                assert isinstance(base, Call)
                return self.call(base.name, base.args, raised)
            if raised is not None:
                return base_text + raised
        if isinstance(exp, Num) and exp.value.denominator == 1 and exp.value >= 0:
            return f"{base_text}^{exp.value.numerator}"
        exp_text = self.show(exp)
        # e^(sin(x)) cos(x): an exponent that is a call is bracketed, or e^sin(x) cos(x)
        # would read as e to the sin(x)cos(x).
        call_exponent = self.pretty and isinstance(exp, Call)
        if precedence(exp) < ATOM or exp_text.startswith(self.minus) or call_exponent:
            exp_text = f"({exp_text})"
        return f"{base_text}^{exp_text}"

    def call(self, name: str, args: tuple[Expr, ...], raised: str = "") -> str:
        radical = _prefix_glyph(name) if self.pretty else None
        if radical is not None:
            arg = args[0]
            shown = self.show(arg)
            number = isinstance(arg, Num) and arg.value >= 0 and "/" not in shown  # √(1/2)
            simple = isinstance(arg, Sym | Const) or number
            return radical + (shown if simple else f"({shown})")
        around = FUNCTIONS[name].glyph if self.pretty else None
        if around is not None and len(around) == 2:  # |x|
            return f"{around[0]}{self.show(args[0])}{around[1]}"
        if name == "log":
            return self.logarithm(args[0], args[1])
        inner = ", ".join(self.show(a) for a in args)
        return f"{name}{raised}({inner})"

    def logarithm(self, arg: Expr, base: Expr) -> str:
        inner = self.show(arg)
        if (
            isinstance(base, Num)
            and base.value > 0
            and (base.value.denominator == 1 or _decimal(base.value))
        ):
            base_text = self.show(base)
            if self.pretty:
                return f"log{base_text.translate(SUBSCRIPT)}({inner})"
            return f"log_{base_text}({inner})"
        if isinstance(base, Const | Sym):
            return f"log_{self.show(base)}({inner})"
        return f"log({inner}, {self.show(base)})"

    def comparison(self, cond: Compare) -> str:
        op = COMPARISON_GLYPHS[cond.op] if self.pretty else cond.op
        left = self.wrap(cond.left, SUM, strict=False)
        return f"{left} {op} {self.wrap(cond.right, SUM, strict=False)}"


def _negated(term: Expr) -> Expr | None:
    """The positive part of a term that reads as subtraction: -t, -2x, or a negative number."""
    match term:
        case Neg(arg):
            return arg
        case Num(value) if value < 0:
            return Num(-value)
        case Mul(factors) if isinstance(factors[0], Num) and factors[0].value < 0:
            head = -factors[0].value
            rest = factors[1:]
            if head == 1:
                return rest[0] if len(rest) == 1 else Mul(rest)
            return Mul((Num(head), *rest))
        case Div(num, den):
            inner = _negated(num)
            return Div(inner, den) if inner is not None else None
    return None


def _juxtapose(previous: Expr, previous_shown: str, shown: str, factor: Expr) -> str:
    """What goes between two printed factors: 3x, x(x + 1), eˣ ln(x), 2·3, √2·x, x·x."""
    if shown[0].isdigit() or (factor == previous and _single_letter(factor)):
        return "·"  # 2·3; x·x, since xx reads as one name or a typo
    if previous_shown[0] in "√∛" and not previous_shown.endswith(")"):
        return "·"  # √2·x, not √2 x, which reads as √(2x)
    if shown[0] == "(":
        return ""
    if isinstance(previous, Num) and "e" in previous_shown:
        return " "  # 3e20 x, not 3e20x
    if isinstance(previous, Num) or (isinstance(previous, Neg) and isinstance(previous.arg, Num)):
        # 3x, 2eˣ, 2√x, 2|x| run together; 2 sin(x) keeps its space.
        return " " if len(shown) > 1 and shown[:2].isascii() and shown[:2].isalpha() else ""
    single = len(shown) == 1 or not (shown[1].isascii() and shown[1].isalnum())
    if _single_letter(previous) and single and shown[0].isalpha() and not _of_e(factor):
        # x²y and θx run together; x·y does not, since xy would read back as one name.
        return "·" if previous_shown[-1].isascii() and previous_shown[-1].isalpha() else ""
    return " "


SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _pretty_symbol(name: str) -> str:
    """θ for theta, x₁ for x_1 and x1."""
    if name in GREEK_GLYPHS:
        return GREEK_GLYPHS[name]
    head, _, subscript = name.partition("_")
    if not subscript and len(name) > 1 and name[1:].isdigit():
        head, subscript = name[0], name[1:]
    if subscript.isdigit():
        return head + subscript.translate(SUBSCRIPT_DIGITS)
    return name


def _prefix_glyph(name: str) -> str | None:
    """√ or ∛: a glyph written before the argument, as a radical is."""
    glyph = FUNCTIONS[name].glyph
    return glyph if glyph is not None and len(glyph) == 1 else None


def _named_call(expr: Expr) -> bool:
    """sin, sec, tanh, ...: calls whose square is written sin²(x)."""
    return isinstance(expr, Call) and len(expr.args) == 1 and FUNCTIONS[expr.name].raised


def _of_e(expr: Expr) -> bool:
    """e or a power of it: x e^(−x²) keeps its space, xe^(−x²) reads as a name xe."""
    base = expr.base if isinstance(expr, Pow) else expr
    return isinstance(base, Const)


def _single_letter(expr: Expr) -> bool:
    if isinstance(expr, Pow):
        return _single_letter(expr.base)
    return isinstance(expr, Sym) and len(expr.name) == 1


def _superscript(exp: Expr) -> str | None:
    """A small exponent as superscript characters (², ⁻¹, ˣ, ⁻ˣ, ²ˣ), else None."""
    match exp:
        case Num(value) if value.denominator == 1:
            return str(value.numerator).translate(SUPERSCRIPT)
        # x^(3/2) stays so: the superscript slash (ᐟ) is missing from many fonts.
        case Sym(name) if len(name) == 1 and name in "abcdefghijklmnoprstuvwxyz":
            return name.translate(SUPERSCRIPT)
        case Neg(arg):
            inner = _superscript(arg)
            return None if inner is None or inner.startswith("⁻") else "⁻" + inner
        case Mul((Num(value), Sym(name))) if value.denominator == 1 and value > 0:
            letter = _superscript(Sym(name))
            return None if letter is None else str(value.numerator).translate(SUPERSCRIPT) + letter
    return None
