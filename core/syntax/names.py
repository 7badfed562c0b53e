"""The vocabulary of the expression language: the words for functions (read from the
function table, core.functions), constants and Greek names."""

from __future__ import annotations

from deriv_lecture.core.functions import ROWS

# Canonical function name -> number of arguments it takes. log(x, base) takes two: log_B(x),
# log2 and log10 become it.
FUNCTION_ARITY: dict[str, int] = {row.name: row.arity for row in ROWS}

# What people type -> canonical name. "log" alone is the natural log (docs/syntax.md).
ALIASES: dict[str, str] = {alias: row.name for row in ROWS for alias in row.aliases}

# Named logarithms that carry their base in the name.
LOG_BASES: dict[str, int] = {word: base for row in ROWS for word, base in row.bases}

CONSTANTS = frozenset({"e", "pi"})

# Greek names -> the letter people paste and the tables print (pi is a constant).
GREEK_GLYPHS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "omicron": "ο", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
}  # fmt: skip
GREEK = frozenset(GREEK_GLYPHS)

ALL_FUNCTION_WORDS = frozenset(FUNCTION_ARITY) | frozenset(ALIASES) | frozenset(LOG_BASES)


def canonical_function(word: str) -> str | None:
    """The canonical name of a function word, or None when it is not one."""
    if word in ALIASES:
        return ALIASES[word]
    if word in FUNCTION_ARITY or word in LOG_BASES:
        return word
    return None


def is_symbol_name(word: str) -> bool:
    """A single letter, optionally followed by digits or a _subscript, or a Greek name."""
    if word in GREEK:
        return True
    if not word or not word.isascii():  # x² is x to a power, not a name
        return False
    head, _, subscript = word.partition("_")
    if "_" in word:
        return len(head) == 1 and head.isalpha() and subscript.isalnum()
    return word[0].isalpha() and (len(word) == 1 or word[1:].isdigit())
