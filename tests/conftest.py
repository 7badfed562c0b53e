"""Shared test data: the lecture's catalog, read from the TOML file deriv ships, and the
big inputs the size limits are tested with."""

import tomllib
from importlib import resources
from typing import Any

import pytest


def lecture_cases() -> list[dict[str, Any]]:
    lecture = resources.files("deriv_lecture.core").joinpath("data/lecture.toml")
    text = lecture.read_text(encoding="utf-8")
    return tomllib.loads(text)["case"]


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
