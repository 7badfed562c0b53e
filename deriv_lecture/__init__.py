"""deriv, the derivative calculator of the lecture "Backpropagation and Jacobian Matrices":
its command line (deriv_lecture.cli) and its core (deriv_lecture.core), installed as one
package of its own so that nothing else named `cli` or `core` can clash with it.

In a checkout, the folders cli/ and core/ sit beside this one (the wheel moves them inside
it); the package then finds them there.
"""

from pathlib import Path as _Path

__version__ = "0.2.0"

if not (_Path(__file__).parent / "core").is_dir():  # a checkout, not an installed wheel
    __path__.append(str(_Path(__file__).resolve().parent.parent))

# The library (deriv_lecture.api) is loaded on first use, so that the command line, which
# imports this package first, pays nothing for it.
_API = ("differentiate", "analyze_point", "check_answer", "backprop", "check_catalog",
        "Result", "DerivError", "InputError", "MathError")  # fmt: skip


def __getattr__(name: str) -> object:
    if name in _API:
        from deriv_lecture import api

        return getattr(api, name)
    raise AttributeError(f"module 'deriv_lecture' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
