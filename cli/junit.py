"""JUnit XML for CI systems: one <testcase> per catalog case, failures with their reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from core.check import CaseResult


def junit_xml(results: list[CaseResult], seconds: list[float]) -> str:
    failures = sum(1 for r in results if not r.ok and r.error is None)
    errors = sum(1 for r in results if r.error is not None)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="deriv check-all",
        tests=str(len(results)),
        failures=str(failures),
        errors=str(errors),
        time=f"{sum(seconds):.3f}",
    )
    for result, took in zip(results, seconds, strict=True):
        case = result.case
        element = ET.SubElement(
            suite,
            "testcase",
            classname=case.group or "catalog",
            name=case.name,
            time=f"{took:.3f}",
        )
        if result.error is not None:
            ET.SubElement(element, "error", message=result.error).text = result.error
        elif not result.ok:
            failed = [c for c in result.checks if c.ok is False]
            message = "; ".join(f"{c.name}: {c.detail}" for c in failed)
            ET.SubElement(element, "failure", message=message).text = message
        elif result.undecided:
            words = "; ".join(f"{c.name}: {c.detail}" for c in result.undecided)
            ET.SubElement(element, "system-out").text = f"undecided (not a failure): {words}"
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
