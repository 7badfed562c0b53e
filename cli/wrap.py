"""Long formulas broken into lines of a given width, at operators where possible.

A break goes before + − = · (the operator starts the next line, as in typeset
mathematics) or after a comma; only where there is none does it fall back to any space,
and only a formula with no space at all is cut mid-token.
"""

from __future__ import annotations

OPERATORS = "+−=·×"
CONTINUATION = "    "  # continued lines are indented under their first line


def wrap_formula(line: str, width: int) -> list[str]:
    """line as lines of at most width characters (continuations indented)."""
    lines: list[str] = []
    rest, room = line, width
    while len(rest) > room:
        cut = _break_at(rest, room)
        lines.append(rest[:cut].rstrip())
        rest = CONTINUATION + rest[cut:].lstrip()
        room = width
    lines.append(rest)
    return lines


def _break_at(text: str, room: int) -> int:
    """Where to end the first line: the last good break point that fits."""
    start = len(CONTINUATION) + 1 if text.startswith(CONTINUATION) else 1
    spaces = [i for i in range(start, min(room, len(text) - 1) + 1) if text[i] == " "]
    at_operator = [i for i in spaces if text[i + 1] in OPERATORS or text[i - 1] == ","]
    if at_operator:
        # The outermost operator first (a + b·(c + d) breaks before +, not inside the
        # brackets), among breaks that fill at least half the line: f'(x) alone on a
        # line, the rest below, wastes the line.
        depth = _depths(text)
        full = [i for i in at_operator if i >= room // 2] or at_operator
        shallowest = [i for i in full if depth[i] == min(depth[j] for j in full)]
        # In a list (with f = x², g = sin(x)) the break goes after a comma, not at an =.
        after_comma = [i for i in shallowest if text[i - 1] == ","]
        return max(after_comma or shallowest)
    if spaces:
        return spaces[-1]
    return room


def _depths(text: str) -> list[int]:
    """The bracket depth at each character."""
    depths, level = [], 0
    for char in text:
        if char in ")]}":
            level = max(0, level - 1)
        depths.append(level)
        if char in "([{":
            level += 1
    return depths
