"""Tokens -> tree, with a Pratt loop whose binding powers read like docs/syntax.md's table.

Loosest first: `+ -` (10); `* /` and implicit product (20), left to right; unary minus
(its operand binds tighter than a product: 25); `^` (40, right to left).
Implicit multiplication is decided in one place: an operand followed by the start of an
operand means `*` (see `_starts_operand`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from deriv_lecture.core.errors import LimitError, ParseError, UnknownNameError
from deriv_lecture.core.syntax.lexer import Token, tokenize
from deriv_lecture.core.syntax.names import (
    ALL_FUNCTION_WORDS,
    CONSTANTS,
    FUNCTION_ARITY,
    GREEK,
    LOG_BASES,
    canonical_function,
    is_symbol_name,
)
from deriv_lecture.core.syntax.tree import (
    NO_VALUE,
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
    free_symbols,
)

SUM_BP, PRODUCT_BP, UNARY_BP, POWER_BP = 10, 20, 25, 40
MAX_NESTING = 1_000  # brackets, calls and exponents inside one another
CLOSERS = {"(": ")", "[": "]"}
COMPARISONS = ("<", "<=", ">", ">=")


@dataclass(frozen=True, slots=True)
class Parsed:
    """The tree and how it was read: notes on known traps (docs/syntax.md), in reading order."""

    expr: Expr
    notes: tuple[str, ...] = field(default=())


def parse(source: str) -> Parsed:
    """Parse one expression; raises ParseError / UnknownNameError / LimitError."""
    return _Parser(source).parse_all()


def parse_expr(source: str) -> Expr:
    return parse(source).expr


@dataclass(slots=True)
class _Operand:
    """A parsed operand and where it came from, for the trap notes."""

    expr: Expr
    start: int
    end: int
    kind: str = "plain"  # "quotient" after a/b, "number_power" after e^2 or e^-2


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0
        self.open_bars = 0
        self.notes: list[str] = []

    # -- token access ---------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def error(
        self, message: str, token: Token | None = None, hint: str | None = None
    ) -> ParseError:
        return ParseError(message, self.source, (token or self.token).pos, hint)

    def expect(self, text: str, opener: Token | None = None) -> Token:
        if self.token.kind == "op" and self.token.text == text:
            return self.advance()
        found = "the end" if self.token.kind == "end" else f"'{self.token.text}'"
        where = f" to close the '{opener.text}' at column {opener.pos + 1}" if opener else ""
        raise self.error(f"expected '{text}'{where}, found {found}")

    # -- grammar --------------------------------------------------------------------
    def parse_all(self) -> Parsed:
        if self.token.kind == "end":
            raise self.error("the expression is empty")
        expr = self.conditional()
        if self.token.kind != "end":
            token = self.token
            if token.kind == "op" and token.text in (")", "]"):
                raise self.error(f"unmatched '{token.text}'")
            if token.kind == "op" and token.text == "|":
                raise self.error("unmatched '|'")
            raise self.error(f"unexpected '{token.text}'")
        return Parsed(expr, tuple(self.notes))

    def conditional(self) -> Expr:
        """arith [if comparison else conditional]; the loosest construct of all."""
        then = self.expression(0).expr
        if not self._at_word("if"):
            return then
        self.advance()
        cond = self.comparison()
        if not self._at_word("else"):
            return Piecewise(cond, then, NO_VALUE)  # no value where no piece applies
        self.advance()
        return Piecewise(cond, then, self.conditional())

    def comparison(self) -> Compare:
        left = self.expression(0).expr
        token = self.token
        if not (token.kind == "op" and token.text in COMPARISONS):
            raise self.error("expected a comparison (< <= > >=) after 'if'")
        self.advance()
        return Compare(token.text, left, self.expression(0).expr)

    def expression(self, rbp: int) -> _Operand:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise LimitError(f"the expression is nested more than {MAX_NESTING} levels deep")
        left = self.prefix()
        while True:
            token = self.token
            lbp = self._infix_power(token)
            if lbp <= rbp:
                break
            left = self.infix(token, left)
        self.depth -= 1
        return left

    def _infix_power(self, token: Token) -> int:
        if token.kind == "op":
            if token.text in ("+", "-"):
                return SUM_BP
            if token.text in ("*", "/"):
                return PRODUCT_BP
            if token.text == "^":
                return POWER_BP
        if token.kind == "sup":
            return POWER_BP
        return PRODUCT_BP if self._starts_operand(token) else 0

    def _starts_operand(self, token: Token) -> bool:
        """Whether token can begin an operand: the one test for implicit multiplication."""
        if token.kind in ("num", "logbase"):
            return True
        if token.kind == "name":
            return token.text not in ("if", "else")
        if token.kind == "op":
            # Inside |...| a bar closes; outside it opens a new absolute value: 2|x|.
            return token.text in CLOSERS or (token.text == "|" and self.open_bars == 0)
        return False

    def infix(self, token: Token, left: _Operand) -> _Operand:
        if token.kind == "sup":
            self.advance()
            exponent = _superscript_exponent(token.text)
            return _Operand(Pow(left.expr, exponent), left.start, token.end)
        explicit = token.kind == "op" and token.text in ("+", "-", "*", "/", "^")
        if explicit:
            self.advance()
        if token.text in ("+", "-") and token.kind == "op":
            right = self.expression(SUM_BP)
            term = Neg(right.expr) if token.text == "-" else right.expr
            return _Operand(_flat_add(left.expr, term), left.start, right.end)
        if token.text == "^" and token.kind == "op":
            right = self.expression(POWER_BP - 1)
            kind = "number_power" if _is_signed_number(right.expr) else "plain"
            return _Operand(Pow(left.expr, right.expr), left.start, right.end, kind)
        if token.text == "/" and token.kind == "op":
            right = self.expression(PRODUCT_BP)
            return _Operand(Div(left.expr, right.expr), left.start, right.end, "quotient")
        right = self.expression(PRODUCT_BP)
        if not explicit:
            self._note_implicit_product(left, right, token)
        return _Operand(_flat_mul(left.expr, right.expr), left.start, right.end)

    def _note_implicit_product(self, left: _Operand, right: _Operand, token: Token) -> None:
        """docs/syntax.md's traps: 2/3x is (2/3)*x, e^-2x and e^2x are e^(-2)*x and e^2*x."""
        left_text = self.source[left.start : left.end]
        right_text = self.source[right.start : right.end]
        if left.kind == "quotient":
            assert isinstance(left.expr, Div)
            num_text, _, den_text = left_text.rpartition("/")
            self.notes.append(
                f"'{left_text}{right_text}' is read as ({left_text})*{right_text};"
                f" for the other meaning write {num_text}/({den_text}{right_text})"
            )
        elif (
            left.kind == "number_power" and token.kind in ("num", "name") and not token.space_before
        ):
            base_text, _, exp_text = left_text.rpartition("^")
            power_text = f"{base_text}^({exp_text})" if exp_text.startswith("-") else left_text
            self.notes.append(
                f"'{left_text}{right_text}' is read as {power_text}*{right_text};"
                f" for the other meaning write {base_text}^({exp_text}{right_text})"
            )

    def prefix(self) -> _Operand:
        token = self.token
        if token.kind == "num":
            self.advance()
            if "e" in token.text:
                self.notes.append(_scientific_note(token.text))
            return _Operand(Num(Fraction(token.text)), token.pos, token.end)
        if token.kind == "name":
            return self.name()
        if token.kind == "logbase":
            self.advance()
            base = self._log_base(token)
            arg, end = self.call_arguments(token, "log_" + token.text, 1)
            return _Operand(Call("log", (arg[0], base)), token.pos, end)
        if token.kind == "op":
            if token.text in ("-", "+"):
                self.advance()
                operand = self.expression(UNARY_BP)
                expr = Neg(operand.expr) if token.text == "-" else operand.expr
                return _Operand(expr, token.pos, operand.end)
            if token.text in CLOSERS:
                self.advance()
                inner = self.conditional_nested()
                close = self.expect(CLOSERS[token.text], token)
                return _Operand(inner, token.pos, close.end)
            if token.text == "|":
                self.advance()
                inner = self.conditional_nested(open_bars=self.open_bars + 1)
                if not (self.token.kind == "op" and self.token.text == "|"):
                    raise self.error(f"expected '|' to close the '|' at column {token.pos + 1}")
                close = self.advance()
                return _Operand(Call("abs", (inner,)), token.pos, close.end)
        if token.kind == "end":
            raise self.error("the expression ends where an operand was expected")
        if token.kind == "sup":
            raise self.error("an exponent needs something to raise to a power")
        raise self.error(f"expected an operand, found '{token.text}'")

    def conditional_nested(self, open_bars: int = 0) -> Expr:
        """A full expression inside brackets or bars; brackets hide the bars around them."""
        saved, self.open_bars = self.open_bars, open_bars
        expr = self.conditional()
        self.open_bars = saved
        return expr

    def name(self) -> _Operand:
        token = self.advance()
        word = token.text
        if word in ("if", "else"):
            raise self.error(f"'{word}' needs an expression before it", token)
        if word in CONSTANTS:
            return _Operand(Const(word), token.pos, token.end)
        function = canonical_function(word)
        if function is not None:
            return self.function(token, function)
        if is_symbol_name(word):
            return _Operand(Sym(word), token.pos, token.end)
        raise UnknownNameError(word, self.source, token.pos, _suggest(word, self.token))

    def function(self, token: Token, function: str) -> _Operand:
        power: Expr | None = None
        if self.token.kind == "sup" or (self.token.kind == "op" and self.token.text == "^"):
            power = self._function_power(token)
        written_as_radical = self.source[token.pos] in "√∛"
        if written_as_radical and not (self.token.kind == "op" and self.token.text in CLOSERS):
            operand = self.expression(POWER_BP)  # √x: the root of the next atom
            return _Operand(Call(function, (operand.expr,)), token.pos, operand.end)
        if function in LOG_BASES:
            args, end = self.call_arguments(token, word := token.text, 1)
            call: Expr = Call("log", (args[0], Num(Fraction(LOG_BASES[word]))))
        elif function == "ln":
            args, end = self.call_arguments(token, token.text, 1, optional_extra=True)
            call = Call("log", args) if len(args) == 2 else Call("ln", args)
        else:
            args, end = self.call_arguments(token, token.text, FUNCTION_ARITY[function])
            call = Call(function, args)
        if power is not None:
            call = Pow(call, power)
        return _Operand(call, token.pos, end)

    def _function_power(self, token: Token) -> Expr:
        """sin^2(x) and sin²(x) mean sin(x)^2; sin^-1(x) is refused as ambiguous."""
        marker = self.advance()
        if marker.kind == "sup":
            text = marker.text
            if not text.lstrip("+-").isdigit():
                raise self.error(
                    f"a power of {token.text} must be a number: write {token.text}(x)^{text}",
                    marker,
                )
        else:
            sign = ""
            if self.token.kind == "op" and self.token.text == "-":
                sign = self.advance().text
            if self.token.kind != "num":
                raise self.error(f"after '{token.text}^' write a number, like {token.text}^2(x)")
            text = sign + self.advance().text
        if text.startswith("-"):
            raise self.error(
                f"'{token.text}^{text}' is ambiguous",
                token,
                hint=f"write a{token.text}(x) for the inverse,"
                f" or 1/{token.text}(x) for the reciprocal",
            )
        return Num(Fraction(text))

    def call_arguments(
        self, token: Token, word: str, arity: int, optional_extra: bool = False
    ) -> tuple[tuple[Expr, ...], int]:
        opener = self.token
        if not (opener.kind == "op" and opener.text in CLOSERS):
            argument = opener.text if opener.kind in ("name", "num") else "x"
            example = f"{word}({argument})" if arity == 1 else f"{word}(a, b)"
            raise self.error(f"{word} needs parentheses: {example}", token)
        self.advance()
        if self.token.kind == "op" and self.token.text == CLOSERS[opener.text]:
            raise self.error(f"{word}() needs an argument")
        args = [self.conditional_nested()]
        while self.token.kind == "op" and self.token.text == ",":
            self.advance()
            if self.token.kind == "op" and self.token.text in (")", "]", ","):
                raise self.error(f"an argument of {word} is missing")
            args.append(self.conditional_nested())
        allowed = (arity, arity + 1) if optional_extra else (arity,)
        if len(args) not in allowed:
            wanted = " or ".join(str(n) for n in allowed)
            raise self.error(f"{word} takes {wanted} argument(s), got {len(args)}", token)
        close = self.expect(CLOSERS[opener.text], opener)
        return tuple(args), close.end

    def _log_base(self, token: Token) -> Expr:
        text = token.text
        if text[0].isdigit() or text[0] == ".":
            return Num(Fraction(text))
        if text in CONSTANTS:
            return Const(text)
        if is_symbol_name(text):
            return Sym(text)
        raise UnknownNameError(text, self.source, token.pos + 4, None)

    def _at_word(self, word: str) -> bool:
        return self.token.kind == "name" and self.token.text == word


def _flat_add(left: Expr, term: Expr) -> Expr:
    return Add((*left.terms, term)) if isinstance(left, Add) else Add((left, term))


def _flat_mul(left: Expr, right: Expr) -> Expr:
    head = left.factors if isinstance(left, Mul) else (left,)
    tail = right.factors if isinstance(right, Mul) else (right,)
    return Mul((*head, *tail))


def _superscript_exponent(text: str) -> Expr:
    """ "-2x" (from ⁻²ˣ) as −(2·x); a letter e is the constant, as in eˣ."""
    digits, letter = text.lstrip("+-").rstrip(LETTERS), text[-1] if text[-1] in LETTERS else ""
    named: Expr | None = None
    if letter:
        named = Const(letter) if letter in CONSTANTS else Sym(letter)
    if digits and named is not None:
        value: Expr = Mul((Num(Fraction(digits)), named))
    else:
        value = named if named is not None else Num(Fraction(digits))
    return Neg(value) if text.startswith("-") else value


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _is_signed_number(expr: Expr) -> bool:
    return isinstance(expr, Num) or (isinstance(expr, Neg) and isinstance(expr.arg, Num))


def _scientific_note(text: str) -> str:
    """2e-1 is 0.2, which someone may have meant as 2*e - 1 (docs/syntax.md)."""
    value = Fraction(text)
    mantissa, _, exponent = text.partition("e")
    if value.denominator == 1 and value < 10**15:
        shown = str(value.numerator)
    elif value == 0 or Fraction(1, 10**15) <= value < 10**15:
        shown = f"{float(value):g}"
    else:
        shown = f"{mantissa} × 10^{int(exponent)}"  # 1e200, not its 201 digits
    if exponent[0] in "+-":
        other = f"{mantissa}*e {exponent[0]} {exponent[1:]}"
    else:
        other = f"{mantissa}*e*{exponent}"
    return f"'{text}' is read as scientific notation ({shown}); for the other meaning write {other}"


# Suggestions are looked for in words up to this long: "did you mean a*x*y?" helps with a
# few letters run together, not with a pasted paragraph (a 9,600-letter word took 57 s).
MAX_SUGGESTED_WORD = 30


def _suggest(word: str, following: Token) -> str | None:
    """How an unknown word was probably meant: 'ax' -> a*x, 'sinx' -> sin(x), 'sine' -> sin."""
    import difflib  # only when a word is unknown

    if len(word) > MAX_SUGGESTED_WORD:
        return None
    if following.kind == "op" and following.text in CLOSERS:  # foo(x): a function name
        close = difflib.get_close_matches(word, sorted(ALL_FUNCTION_WORDS), n=1, cutoff=0.6)
        return f"'{close[0]}'" if close else None
    for function in sorted(ALL_FUNCTION_WORDS, key=len, reverse=True):
        rest = word[len(function) :]
        if word.startswith(function) and rest and is_symbol_name(rest):
            return f"{function}({rest})"
    pieces = _split_symbols(word)
    if pieces and len(pieces) <= 3:
        return "*".join(pieces)
    known = sorted(ALL_FUNCTION_WORDS | GREEK | CONSTANTS)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"'{close[0]}'"
    return None


def _split_symbols(word: str) -> list[str] | None:
    """Split a word into the fewest known single names (a, x1, pi, e, theta), or None if it
    cannot be: one pass over the positions, longest names first (linear in the word)."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[len(word)] = []
    for start in range(len(word) - 1, -1, -1):
        for end in range(len(word), start, -1):
            head = word[start:end]
            single = head in CONSTANTS or head in GREEK or (len(head) == 1 and head.isalpha())
            numbered = len(head) > 1 and head[0].isalpha() and head[1:].isdigit()
            rest = best[end]
            if (single or numbered) and rest is not None:
                if best[start] is None or len(rest) + 1 < len(best[start]):  # type: ignore[arg-type]
                    best[start] = [head, *rest]
    return best[0]


def parse_assignment(text: str, option: str = "--let", formula: bool = False) -> tuple[str, Expr]:
    """NAME=VALUE from --let (or one pair of --at), VALUE an expression: a=3, tau=pi/4;
    with formula, VALUE may use symbols (--sub u="s t^2")."""
    from deriv_lecture.core.errors import UsageError

    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals or not name:
        raise UsageError(f"{option} wants NAME=VALUE, like {option} a=3; got '{text}'")
    if not is_symbol_name(name) or name in CONSTANTS:
        what = "function" if canonical_function(name) else "constant" if name in CONSTANTS else ""
        why = f" (it is a {what})" if what else ""
        raise UsageError(f"{option}: '{name}' is not a variable name{why}; use a, tau, x1, ...")
    try:
        parsed = parse_expr(value)
    except ParseError as error:
        error.message = f"{option} {name}=...: {error.message}"
        raise
    if formula:
        return name, parsed
    loose = free_symbols(parsed)
    if loose:
        raise UsageError(
            f"{option} {name}=...: the value must be a number, not use {', '.join(sorted(loose))}"
        )
    from deriv_lecture.core.numeric.local import UNDEFINED, Local

    status = Local("", {}).status(parsed)
    if status.state == UNDEFINED:
        raise UsageError(f"{option} {name}={value.strip()}: the value has none ({status.reason})")
    return name, parsed
