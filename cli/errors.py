"""Errors as a person sees them: the exit codes of SPEC.md, one message on stderr with a
caret under the column, and the JSON error object. Light on purpose (no Typer, no Rich):
the launcher reports an unparsable expression with it before anything heavy loads."""

from __future__ import annotations

import sys

from core.errors import DerivError, InputError, ParseError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_COMMAND = "diff"
COMMANDS = ("tangent", "backprop", "check", "check-all")


def exit_code(error: DerivError) -> int:
    return EXIT_BAD_INPUT if isinstance(error, InputError) else EXIT_FAILED


def report_error(error: DerivError, as_json: bool) -> None:
    message = f"error: {error.message}"
    if isinstance(error, ParseError):
        message += "\n" + caret_context(error.source, error.pos)
        if error.hint:
            message += f"\nhint: {error.hint}"
    sys.stderr.write(message + "\n")
    if as_json:
        from cli.jsonout import error_document, write_json

        write_json(error_document(error), sys.stdout)


def caret_context(source: str, pos: int) -> str:
    """The input line with a caret under the offending column (long lines are windowed)."""
    shown = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in source)
    start = max(0, pos - 60)
    window = shown[start : pos + 60]
    prefix = "…" if start > 0 else ""
    return f"  {prefix}{window}\n  {' ' * (len(prefix) + pos - start)}^"


def mistyped_option(name: str, options: list[str]) -> str | None:
    """The option an unknown one (--att, --jsn) was probably meant to be."""
    import difflib

    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return close[0] if close else None


def mistyped_command(word: str, commands: list[str] | tuple[str, ...] = COMMANDS) -> str | None:
    """The command a lone unknown word (tangnet, chek-all) was probably meant to be."""
    import difflib

    from core.names import ALL_FUNCTION_WORDS, CONSTANTS, is_symbol_name

    if not word.replace("-", "").isalpha() or word in ALL_FUNCTION_WORDS | CONSTANTS:
        return None
    if is_symbol_name(word):
        return None
    visible = [c for c in commands if c != DEFAULT_COMMAND]
    close = difflib.get_close_matches(word, visible, n=1, cutoff=0.7)
    return close[0] if close else None
