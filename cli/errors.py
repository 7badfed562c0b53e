"""Errors as a person sees them: the exit codes of docs/commands.md, one message on stderr with a
caret under the column, and the JSON error object. Light on purpose (no Typer, no Rich):
the launcher reports an unparsable expression with it before anything heavy loads."""

from __future__ import annotations

import sys

from deriv_lecture.core.errors import DerivError, InputError, ParseError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
DEFAULT_COMMAND = "diff"
COMMANDS = ("tangent", "backprop", "check", "check-all", "grad", "jacobian", "hessian", "implicit")


class OutputError(DerivError):
    """A report or picture that could not be written (a full disk, no permission): exit 1,
    since the input was fine."""

    kind = "io"


class Interrupted(DerivError):
    """Ctrl-C: the message says how far the work got."""

    kind = "interrupted"


def exit_code(error: DerivError) -> int:
    if isinstance(error, Interrupted):
        return EXIT_INTERRUPTED
    return EXIT_BAD_INPUT if isinstance(error, InputError) else EXIT_FAILED


def report_error(error: DerivError, as_json: bool) -> None:
    message = f"error: {printable(error.message)}"
    if isinstance(error, Interrupted):
        message = printable(error.message)
    if isinstance(error, ParseError):
        message += "\n" + caret_context(error.source, error.pos)
        if error.hint:
            message += f"\nhint: {printable(error.hint)}"
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    if as_json:
        from deriv_lecture.cli.jsonout import error_document, write_json

        write_json(error_document(error), sys.stdout)


# Characters that would act on a terminal rather than show: C0 and C1 controls (ESC starts
# the sequences that retitle or clear it), DEL, and the bidirectional overrides that make
# text read in another order than it is stored.
_UNSAFE = {
    *range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F,
    *range(0x202A, 0x202F), *range(0x2066, 0x206A),
}  # fmt: skip
_SAFE = dict.fromkeys(_UNSAFE - {10}, "�")


def printable(text: str) -> str:
    """text with every character that a terminal would obey instead of show replaced by
    U+FFFD (line breaks stay): user strings (expressions, case names, paths, option values)
    pass through here before any output."""
    return text.translate(_SAFE)


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

    from deriv_lecture.core.syntax.names import ALL_FUNCTION_WORDS, CONSTANTS, is_symbol_name

    if not word.replace("-", "").isalpha() or word in ALL_FUNCTION_WORDS | CONSTANTS:
        return None
    if is_symbol_name(word):
        return None
    visible = [c for c in commands if c != DEFAULT_COMMAND]
    close = difflib.get_close_matches(word, visible, n=1, cutoff=0.7)
    return close[0] if close else None
