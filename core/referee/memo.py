"""SymPy's answers remember_decided for the life of the process that computes them.

The same question comes again and again: check-all asks about f(a) and f'(a) for every
case of a catalog, a notebook reruns its cells, the worker serves a whole test session. A
decided answer is a fact about its arguments (trees are immutable), so it is kept; an
undecided one (None, False, [] from a time limit) is not, so a later call with more time
can still decide. Bounded: the oldest answers go first.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from deriv_lecture.core.referee import timebox

F = TypeVar("F", bound=Callable[..., Any])
SIZE = 512  # answers per function


def remember_decided(keep: Callable[[Any], bool]) -> Callable[[F], F]:
    """Remember the function's answers that `keep` says are decided."""

    def decorate(function: F) -> F:
        answers: OrderedDict[Hashable, Any] = OrderedDict()

        @functools.wraps(function)
        def lookup(*args: Any, **kwargs: Any) -> Any:
            key = _key(args, kwargs)
            if timebox.remaining() == 0:
                key = None  # no SymPy time at all means no SymPy answer, remembered or not
            if key is not None and key in answers:
                answers.move_to_end(key)
                return _copy(answers[key])
            result = function(*args, **kwargs)
            if key is not None and keep(result):
                answers[key] = _copy(result)
                if len(answers) > SIZE:
                    answers.popitem(last=False)
            return result

        lookup.forget = answers.clear  # type: ignore[attr-defined]
        return lookup  # type: ignore[return-value]

    return decorate


def _key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable | None:
    try:
        key = (
            tuple(_frozen(a) for a in args),
            frozenset((k, _frozen(v)) for k, v in kwargs.items()),
        )
        hash(key)
    except TypeError:  # an argument that cannot be a key: the call is simply made
        return None
    return key


def _frozen(value: Any) -> Hashable:
    if isinstance(value, dict):
        return frozenset((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def _copy(value: Any) -> Any:
    """Lists are handed out as new lists: a caller may change its own."""
    return list(value) if isinstance(value, list) else value
