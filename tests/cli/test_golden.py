"""The 100 recorded commands say today what they said when recorded (tests/golden_run.py)."""

import json

import pytest

from tests.golden_run import OUTPUTS, run_all


def test_a_hundred_commands_say_what_they_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERIV_SYMPY_BUDGET", "0")
    expected = json.loads(OUTPUTS.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(run_all(), ensure_ascii=False, sort_keys=True))
    assert len(actual) == len(expected) == 100
    changed = [e["args"] for e, a in zip(expected, actual, strict=True) if e != a]
    assert not changed, f"{len(changed)} commands changed, the first: {changed[0]}"
