"""Nothing the user types is evaluated as code: it never reaches eval, exec, sympify or
SymPy's parse_expr (sympify of a string goes through parse_expr)."""

import builtins
from typing import Any

import pytest
import sympy.parsing.sympy_parser as sympy_parser

from tests.cli.inprocess import deriv

INPUTS = [
    ["sin(x)^2 + 3x kappa", "--var", "x", "--at", "0.75", "--let", "kappa=2"],
    ["1/(1 + e^-(x/5))", "--at", "0", "--to", "1"],
    ["backprop", "x sin(x) + 7", "--at", "1"],
    ["check", "cos(x^3) + 11", "--answer", "-3x^2 sin(x^3) + 0"],
    ["tangent", "x^3 + 13", "--at", "2"],
    ["__import__('os').system('echo pwned')"],
    ["lambda: 1"],
    ["x.__class__"],
]


@pytest.mark.parametrize("args", INPUTS)
def test_user_text_never_reaches_an_evaluator(args: list[str], monkeypatch: Any) -> None:
    seen: list[str] = []
    real_eval, real_exec, real_parse = builtins.eval, builtins.exec, sympy_parser.parse_expr

    def watch(real: Any) -> Any:
        def wrapper(source: Any, *rest: Any, **kw: Any) -> Any:
            if isinstance(source, str):
                seen.append(source)
            return real(source, *rest, **kw)

        return wrapper

    monkeypatch.setattr(builtins, "eval", watch(real_eval))
    monkeypatch.setattr(builtins, "exec", watch(real_exec))
    monkeypatch.setattr(sympy_parser, "parse_expr", watch(real_parse))
    result = deriv(*args)
    assert result.exit_code in (0, 1, 2)
    commands = {"tangent", "check", "backprop", "check-all"}
    user_text = [a for a in args if not a.startswith("--") and len(a) > 3 and a not in commands]
    leaks = [s for s in seen for text in user_text if text in s]
    assert leaks == []
    assert "pwned" not in result.output.splitlines()  # echoed in the error, never run
