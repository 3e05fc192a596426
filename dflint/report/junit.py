"""``--format junit``: JUnit XML for CI test reports (GitLab, Jenkins, GitHub actions).

One ``<testsuite>`` per linted file and one failing ``<testcase>`` per finding
(``classname`` = the path, ``name`` = rule and position, ``file``/``line`` attributes);
a clean file gets one passing test case, so the report shows how many files passed.
JUnit XML has no official schema; this is the Jenkins/Surefire shape.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import IO

from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, display_path, visible
from dflint.report.checkstyle import serialize, xml_safe

CLEAN_TESTCASE = "dflint"


def _counts(tests: int, failures: int) -> dict[str, str]:
    return {
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }


def _suite(result: LintResult, options: ReportOptions) -> ET.Element:
    path = xml_safe(display_path(result.path, options.cwd))
    findings = visible(result)
    suite = ET.Element("testsuite", {"name": path, **_counts(max(len(findings), 1), len(findings))})
    if not findings:
        ET.SubElement(suite, "testcase", name=CLEAN_TESTCASE, classname=path, file=path, time="0")
        return suite
    lines = result.source.lines
    for finding in findings:
        pos = lines.position(finding.span.start)
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{finding.code} {finding.name} at {pos.line}:{pos.column}",
            classname=path,
            file=path,
            line=str(pos.line),
            time="0",
        )
        failure = ET.SubElement(
            case, "failure", message=xml_safe(finding.message), type=finding.severity.value
        )
        failure.text = xml_safe(
            f"{path}:{pos.line}:{pos.column}: {finding.code} [{finding.severity.value}] "
            f"{finding.message}"
        )
    return suite


def render(
    results: Sequence[LintResult], stream: IO[str], registry: Registry, options: ReportOptions
) -> None:
    suites = [_suite(result, options) for result in results]
    tests = sum(int(s.get("tests", "0")) for s in suites)
    failures = sum(int(s.get("failures", "0")) for s in suites)
    root = ET.Element("testsuites", {"name": "dflint", **_counts(tests, failures)})
    root.extend(suites)
    serialize(root, stream)
