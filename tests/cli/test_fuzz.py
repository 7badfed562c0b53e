"""Fuzzing the command line in-process: random text and near-valid expressions never
crash, always exit 0, 1 or 2, and --json always prints one JSON object.

Bounded here so the suite stays fast; `make fuzz` runs the same tests with many more
examples (DERIV_FUZZ_EXAMPLES) and a 5 s deadline per input.
"""

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.inprocess import deriv as invoke

EXAMPLES = int(os.environ.get("DERIV_FUZZ_EXAMPLES", "60"))
DEADLINE = 5000 if "DERIV_FUZZ_EXAMPLES" in os.environ else None
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE,
    derandomize="DERIV_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)
TOKENS = [
    "x", "x", "2", "0", "1.5", "e", "pi", "a", "sin(", "cos(", "tan(", "ln(", "sqrt(",
    "abs(", "exp(", "log_2(", "cbrt(", "max(", "relu(", "sigmoid(", "(", ")", ")", "[", "]",
    "|", "+", "-", "-", "*", "/", "^", "^", "**", ",", " if ", " else ", " > ", " <= ", " ",
    "²", "−", "×", "√", "π", "1e-3", "2e-1", "x2", "theta",
]  # fmt: skip


def assert_clean(result: Any) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr


near_valid = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map("".join)
random_text = st.text(max_size=40)


@FUZZ
@given(st.one_of(near_valid, random_text))
def test_main_job_json(text: str) -> None:
    result = invoke("--json", "--", text)  # after --, text is the expression even if "-h"
    assert_clean(result)
    document = json.loads(result.stdout)
    assert ("derivative" in document) != ("error" in document)


@FUZZ
@given(near_valid, st.sampled_from(["0", "1", "-1", "0.5", "pi/4", "1e-300", "1e300", "2"]))
def test_at_a_point(text: str, point: str) -> None:
    result = invoke("--at", point, "--plain", "--", text)
    assert_clean(result)


@FUZZ
@given(near_valid)
def test_backprop_and_check(text: str) -> None:
    assert_clean(invoke("backprop", "--at", "0.5", "--plain", "--", text))
    assert_clean(invoke("check", "--answer", text, "--plain", "--", text))
