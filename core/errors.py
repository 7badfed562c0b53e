"""Typed errors. The core raises them; only the CLI turns them into text and exit codes.

InputError means the user typed something we cannot read (exit 2); MathError means the
input was understood but the mathematics has no answer there (exit 1).
"""

from __future__ import annotations


class DerivError(Exception):
    """Base of every error deriv reports to a person."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DerivError):
    """The input cannot be used as given."""

    kind = "input"


class ParseError(InputError):
    """Text that does not follow the expression syntax, with the offset where it fails."""

    kind = "parse"

    def __init__(self, message: str, source: str, pos: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.pos = pos
        self.hint = hint

    @property
    def column(self) -> int:
        """1-based column of the offending character, as a person counts."""
        return self.pos + 1


class UnknownNameError(ParseError):
    """A word that is neither a function, a constant nor a symbol; carries its suggestion."""

    kind = "unknown_name"

    def __init__(self, name: str, source: str, pos: int, suggestion: str | None) -> None:
        message = f"unknown name '{name}'"
        if suggestion:
            message += f"; did you mean {suggestion}?"
        super().__init__(message, source, pos)
        self.name = name
        self.suggestion = suggestion


class UsageError(InputError):
    """Options that do not fit together (no variable to differentiate by, bad --let, ...)."""

    kind = "usage"


class LimitError(InputError):
    """Input beyond a size, depth or magnitude limit that keeps deriv from hanging."""

    kind = "limit"


class UnsupportedError(InputError):
    """A construct the rules do not cover (cannot happen for parsed input)."""

    kind = "unsupported"


class MathError(DerivError):
    """The question is well formed but has no answer (outside the domain, a pole, ...)."""

    kind = "math"


class DomainError(MathError):
    """A function evaluated outside its domain."""

    kind = "domain"
