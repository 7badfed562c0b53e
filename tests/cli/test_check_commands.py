"""`deriv check-all` and `deriv check` through Click's test runner; the JSON and JUnit XML
they write are read back by real parsers."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.cli.inprocess import deriv

WRONG = """
[[case]]
name = "power"
expr = "x^2"
at = "2"
expect = "2x"

[[case]]
name = "slide slip"
expr = "-2/x^3"
at = "2"
expect = "6/x^2"
"""


def test_builtin_catalog_passes_with_three_checks(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    result = deriv("check-all", "--plain", "--junit", str(report))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1].endswith(" passed, 0 failed")
    passed = int(lines[-1].split()[0])
    assert passed >= 50
    rows = [line for line in lines if line.startswith("  ")]
    assert len(rows) == passed and all("✗" not in row for row in rows)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == str(passed) and suite.get("failures") == "0"


def test_one_wrong_answer_exits_1_and_says_which_and_why(tmp_path: Path) -> None:
    catalog = tmp_path / "answers.toml"
    catalog.write_text(WRONG, encoding="utf-8")
    report = tmp_path / "report.xml"
    result = deriv("check-all", "--catalog", str(catalog), "--plain", "--junit", str(report))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"
    assert "slide slip" in result.stdout and "differs at x = " in result.stdout
    root = ET.parse(report).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["power"].find("failure") is None
    failure = cases["slide slip"].find("failure")
    assert failure is not None and "expected" in (failure.get("message") or "")


def test_json_report(tmp_path: Path) -> None:
    catalog = tmp_path / "answers.toml"
    catalog.write_text(WRONG, encoding="utf-8")
    result = deriv("check-all", "--catalog", str(catalog), "--json")
    document = json.loads(result.stdout)
    assert document["passed"] == 1 and document["failed"] == 1
    first, second = document["cases"]
    assert set(first) >= {"name", "expr", "var", "derivative", "at", "value", "ok", "error"}
    assert first["ok"] is True and first["error"] is None and first["value"] == 4
    assert second["ok"] is False and "6/x^2" in second["error"]
    assert second["derivative"] == "6/x^4"


def test_bad_catalog_exits_2_before_running(tmp_path: Path) -> None:
    catalog = tmp_path / "broken.toml"
    catalog.write_text('[[case]]\nexpr = "x"\nanswer = "1"\n', encoding="utf-8")
    result = deriv("check-all", "--catalog", str(catalog))
    assert result.exit_code == 2
    assert "broken.toml, case 1 (line 1): unknown key 'answer'" in result.stderr
    missing = deriv("check-all", "--catalog", str(tmp_path / "nope.toml"), "--json")
    assert missing.exit_code == 2
    assert json.loads(missing.stdout)["error"]["kind"] == "catalog"


def test_unparsable_case_is_reported_and_others_still_run(tmp_path: Path) -> None:
    catalog = tmp_path / "answers.toml"
    catalog.write_text('[[case]]\nexpr = "x^^2"\n\n[[case]]\nexpr = "x^2"\n', encoding="utf-8")
    result = deriv("check-all", "--catalog", str(catalog), "--json")
    assert result.exit_code == 2
    cases = json.loads(result.stdout)["cases"]
    assert cases[0]["ok"] is False and "expected an operand" in cases[0]["error"]
    assert cases[1]["ok"] is True


def test_check_accepts_the_right_answer() -> None:
    result = deriv("check", "cos(x^3)", "--answer", "-3x^2 sin(x^3)")
    assert result.exit_code == 0
    assert "✓" in result.stdout


def test_check_refuses_a_wrong_answer_with_a_counterexample() -> None:
    result = deriv("check", "cos(x^3)", "--answer", "3x^2 sin(x^3)", "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["equivalent"] is False
    assert document["derivative"] == "-3*x^2*sin(x^3)"
    example = document["counterexample"]
    assert example["answer"] == -example["derivative"] != 0


def test_check_bad_answer_is_bad_input() -> None:
    result = deriv("check", "x^2", "--answer", "2x +")
    assert result.exit_code == 2
    assert "--answer" in result.stderr
