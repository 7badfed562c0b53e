"""JUnit XML for CI systems: one <testcase> per catalog case, failures with their reason.

Written whole or not at all (cli.process.write_atomically), with every character that
XML 1.0 forbids replaced, and also when a run stops part-way (Ctrl-C, a malformed catalog,
an error): then an <error> testcase says so, so that CI never reads last week's report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from deriv_lecture.cli.process import write_atomically
from deriv_lecture.core.tasks.check import CaseResult

# XML 1.0 allows tab, newline, carriage return and these ranges; nothing else.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", text)


def write_junit(
    path: str, results: list[CaseResult], seconds: list[float], aborted: str | None = None
) -> None:
    write_atomically(path, junit_xml(results, seconds, aborted).encode("utf-8"))


def junit_xml(results: list[CaseResult], seconds: list[float], aborted: str | None = None) -> str:
    failures = sum(1 for r in results if not r.ok and r.error is None)
    errors = sum(1 for r in results if r.error is not None) + (aborted is not None)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="deriv check-all",
        tests=str(len(results) + (aborted is not None)),
        failures=str(failures),
        errors=str(errors),
        time=f"{sum(seconds):.3f}",
    )
    for result, took in zip(results, seconds, strict=True):
        case = result.case
        element = ET.SubElement(
            suite,
            "testcase",
            classname=xml_safe(case.group or "catalog"),
            name=xml_safe(case.name),
            time=f"{took:.3f}",
        )
        if result.error is not None:
            _child(element, "error", result.error)
        elif not result.ok:
            failed = [c for c in result.checks if c.ok is False]
            _child(element, "failure", "; ".join(f"{c.name}: {c.detail}" for c in failed))
        elif result.undecided:
            words = "; ".join(f"{c.name}: {c.detail}" for c in result.undecided)
            ET.SubElement(element, "system-out").text = xml_safe(
                f"undecided (not a failure): {words}"
            )
    if aborted is not None:
        element = ET.SubElement(suite, "testcase", classname="deriv", name="the run", time="0")
        _child(element, "error", f"the run stopped before the end: {aborted}")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _child(parent: ET.Element, tag: str, message: str) -> None:
    safe = xml_safe(message)
    ET.SubElement(parent, tag, message=safe).text = safe
