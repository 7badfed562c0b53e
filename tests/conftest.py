"""Shared test data: the lecture's catalog, read from the TOML file deriv ships, and the
big inputs the size limits are tested with."""

import os
import tomllib
from importlib import resources
from typing import Any

import pytest


def lecture_cases(several: bool = False) -> list[dict[str, Any]]:
    """The built-in catalog's cases of one variable (or, with several, of several)."""
    lecture = resources.files("deriv_lecture.core").joinpath("data/lecture.toml")
    text = lecture.read_text(encoding="utf-8")
    cases = tomllib.loads(text)["case"]
    return [c for c in cases if _several(c) == several]


def _several(case: dict[str, Any]) -> bool:
    keys = ("wrt", "grad", "dir", "jacobian", "hessian", "implicit")
    return any(k in case for k in keys) or isinstance(case.get("at"), dict)


def case_id(case: dict[str, Any]) -> str:
    return case.get("name", case["expr"])


@pytest.fixture(scope="session")
def lecture() -> list[dict[str, Any]]:
    return lecture_cases()


def nested_text(depth: int) -> str:
    """cos(sin(cos(…x))), depth calls deep: a derivative of about depth²/2 nodes."""
    text = "x"
    for i in range(depth):
        text = f"{'sin' if i % 2 else 'cos'}({text})"
    return text


def product_text(factors: int, space: str = " ") -> str:
    """(x + 1)(x + 2)…: a derivative of about 3·factors² nodes."""
    return "".join(f"(x{space}+{space}{i})" for i in range(1, factors + 1))


# -- how long a run is ---------------------------------------------------------------------
# The README's test command is the fast run people use often: Hypothesis tries a tenth of
# the examples and the few tests marked `slow` (whole corpora through a new process each,
# SymPy given its full time on hostile input) are skipped. `make fuzz` sets DERIV_LONG=1:
# every example and every slow test.
LONG_RUN = os.environ.get("DERIV_LONG", "") == "1"


def examples(long_run_count: int, least: int = 25) -> int:
    """Hypothesis examples for a property: all of them in the long run, a tenth (at least
    `least`: fewer for properties whose every example asks SymPy for the truth) in the
    fast one."""
    return long_run_count if LONG_RUN else max(least, long_run_count // 10)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs only in the long run (make fuzz)")
    _compile_once()


def _compile_once() -> None:
    """Byte-compile deriv's own modules before the tests start the console script dozens
    of times: with PYTHONDONTWRITEBYTECODE set (as in CI), an editable install otherwise
    compiles every module again in every new process (0.16 s of a 0.09 s start)."""
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for folder in ("cli", "core", "deriv_lecture", "tests"):
        compileall.compile_dir(root / folder, quiet=2)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if LONG_RUN:
        return
    skip = pytest.mark.skip(reason="long run only: make fuzz (DERIV_LONG=1)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
