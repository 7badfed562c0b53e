"""Hostile input through the real console script: every line of tests/data/hostile.txt
gets the right exit code, one short message, no traceback, and no hang."""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.cli.inprocess import run_inprocess
from tests.conftest import nested_text, product_text

CORPUS = Path(__file__).parent.parent / "data" / "hostile.txt"
HANG = 30  # seconds: a guard against hangs, not a speed test (see make bench)


def corpus() -> list[tuple[list[str], int]]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or " => " not in line:
            continue
        text, _, code = line.rpartition(" => ")
        args = text.split(" ␟ ") if " ␟ " in text else [text]
        cases.append((args, int(code)))
    return cases


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    from tests.cli.test_console_script import deriv_executable

    return subprocess.run(
        [deriv_executable(), *args], capture_output=True, text=True, timeout=HANG,
        env={**os.environ, "COLUMNS": "100"},
    )  # fmt: skip


def test_the_corpus_is_large() -> None:
    assert len(corpus()) >= 100


def test_hostile_corpus() -> None:
    """Every case through the console script's path in this process (tests/cli/inprocess.py),
    SymPy given no time: the exit code never rests on SymPy's speed, so it is the one the
    full budget gives (test_hostile_corpus_with_sympys_time, in the long run)."""
    cases = corpus()
    results = [run_inprocess(args, DERIV_SYMPY_BUDGET="0") for args, _ in cases]
    assert not _problems(cases, results)


@pytest.mark.slow
def test_hostile_corpus_with_sympys_time() -> None:
    """The whole corpus through the installed script with SymPy's full budget (SymPy's
    own failures on hostile input are part of what is tested)."""
    cases = corpus()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: run(case[0]), cases))
    assert not _problems(cases, results)


def test_hostile_samples_through_the_installed_script() -> None:
    """A handful through the real console script: one of each exit code, and one with
    pasted Unicode."""
    cases = corpus()
    picked = [next(c for c in cases if c[1] == code) for code in (0, 1, 2)]
    picked.append(next(c for c in cases if not " ".join(c[0]).isascii()))
    sample = picked
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: run(case[0]), sample))
    assert not _problems(sample, results)


def _problems(cases: list[tuple[list[str], int]], results: list[Any]) -> list[str]:
    problems = []
    for (args, expected), result in zip(cases, results, strict=True):
        if result.returncode != expected:
            problems.append(
                f"{args}: exit {result.returncode}, expected {expected}: {result.stderr[-300:]}"
            )
        if "Traceback" in result.stderr + result.stdout or "internal error" in result.stderr:
            problems.append(f"{args}: traceback or internal error: {result.stderr[-300:]}")
        message = result.stderr.strip()
        if len(message.splitlines()) > 8:
            problems.append(f"{args}: not one short message: {message[:300]!r}")
        if result.returncode == 2 and not message:
            problems.append(f"{args}: bad input without a message on stderr")
        if result.returncode == 1 and not (message or result.stdout.strip()):
            problems.append(f"{args}: exit 1 without saying why")
    return problems


def test_json_errors_are_json() -> None:
    import json

    for args in (["x^^2"], ["ln(x)", "--at", "-1"], ["check-all", "--catalog", "/nope.toml"]):
        result = run_inprocess([*args, "--json"])
        assert result.returncode in (1, 2)
        document = json.loads(result.stdout)
        assert set(document["error"]) == {"kind", "message"}


@pytest.mark.parametrize("size", [100_000])
def test_very_long_input_is_refused_quickly(size: int) -> None:
    result = run(["x+" * (size // 2) + "x"])
    assert result.returncode == 2 and "characters long" in result.stderr


def test_deep_nesting_is_refused() -> None:
    result = run(["(" * 5000 + "x" + ")" * 5000])
    assert result.returncode == 2 and "nested more than" in result.stderr


@pytest.mark.slow  # the engine's refusal is tested in-process by tests/test_derive.py
def test_a_derivative_too_big_to_print_is_refused() -> None:
    # 1000 factors: 3 million nodes of derivative. It took 36 s and wrote 29 MB before.
    result = run([product_text(1000, space=""), "--json"])
    assert result.returncode == 2, result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "limit" and "2,998,001 nodes" in error["message"]


def test_steps_of_a_deep_chain_are_cut_with_a_count() -> None:
    # Depth 900 wrote 627 MB of steps in four minutes before: each step repeats the rest.
    result = run_inprocess([nested_text(300), "--json"])
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(result.stdout) < 2_000_000
    assert document["steps_omitted"] > 0
    # A chain-rule step and an outer-rule step per level (the innermost is the rule alone),
    # then the simplification.
    assert len(document["steps"]) + document["steps_omitted"] == (2 * 300 - 1) + 1
    assert any(f"{document['steps_omitted']} steps not shown" in n for n in document["notes"])
    assert document["sympy_agrees"] is None and "not asked" in document["sympy"]["derivative"]
