"""Shared test data: the lecture's catalog, read from the TOML file deriv ships."""

import tomllib
from importlib import resources
from typing import Any

import pytest


def lecture_cases() -> list[dict[str, Any]]:
    text = resources.files("core").joinpath("data/lecture.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["case"]


def case_id(case: dict[str, Any]) -> str:
    return case.get("name", case["expr"])


@pytest.fixture(scope="session")
def lecture() -> list[dict[str, Any]]:
    return lecture_cases()
