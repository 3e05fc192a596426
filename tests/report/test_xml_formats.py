"""``--format checkstyle`` and ``--format junit``: well-formed XML in the shapes their
consumers read (hadolint's Checkstyle output; Jenkins/Surefire JUnit)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from dflint.registry import Registry
from dflint.report import ReportOptions, checkstyle, junit
from tests.report.conftest import BAD, GOOD, RICH_TEXT, lint, result_of, rich_findings


def xml_of(module: Any, results: list[Any], registry: Registry, options: ReportOptions) -> str:
    stream = io.StringIO()
    module.render(results, stream, registry, options)
    return stream.getvalue()


def sample(options: ReportOptions) -> list[Any]:
    return [
        result_of(RICH_TEXT, str(options.cwd / "svc" / "Dockerfile"), rich_findings()),
        lint(BAD, str(options.cwd / "Dockerfile")),
        lint(GOOD, str(options.cwd / "clean" / "Dockerfile")),
    ]


# ------------------------------------------------------------------ checkstyle
def test_checkstyle_structure(registry: Registry, options: ReportOptions) -> None:
    text = xml_of(checkstyle, sample(options), registry, options)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "checkstyle"
    assert root.attrib == {"version": "4.3"}
    files = root.findall("file")
    assert [f.get("name") for f in files] == ["svc/Dockerfile", "Dockerfile", "clean/Dockerfile"]
    for file in files:
        assert set(file.attrib) == {"name"}
        for error in file:
            assert error.tag == "error"
            assert set(error.attrib) == {"line", "column", "severity", "message", "source"}
            assert int(error.get("line", "0")) >= 1
            assert int(error.get("column", "0")) >= 1
            assert error.get("severity") in {"error", "warning", "info"}
    assert [e.attrib for e in files[0]] == [
        {
            "line": "2",
            "column": "15",
            "severity": "error",
            "message": "Secret-looking `whale` in a label",
            "source": "XX601",
        },
        {
            "line": "3",
            "column": "5",
            "severity": "error",
            "message": "`TOKEN` looks like a secret; pass it with `--mount=type=secret`",
            "source": "XX601",
        },
        {
            "line": "4",
            "column": "1",
            "severity": "info",
            "message": "Write `env` as `ENV`",
            "source": "XX101",
        },
    ]
    assert [e.get("source") for e in files[1]] == ["DF001"]
    assert len(files[2]) == 0  # clean files are listed, empty


def test_checkstyle_escaping(registry: Registry, options: ReportOptions) -> None:
    [finding] = lint(BAD, "x").findings
    message = "quotes \" ' <tags> & amp\nnew line\ttab \x00nul \x1bescape"
    result = result_of(BAD, "Dockerfile", [replace(finding, message=message)])
    root = ET.fromstring(xml_of(checkstyle, [result], registry, options).encode("utf-8"))
    [error] = root.iter("error")
    # XML cannot carry NUL or ESC even escaped; they become U+FFFD, the rest round-trips.
    assert error.get("message") == message.replace("\x00", "\ufffd").replace("\x1b", "\ufffd")


# ------------------------------------------------------------------ junit
def test_junit_structure(registry: Registry, options: ReportOptions) -> None:
    text = xml_of(junit, sample(options), registry, options)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["svc/Dockerfile", "Dockerfile", "clean/Dockerfile"]
    total_tests = total_failures = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert len(cases) == len(suite)
        failures = [c for c in cases if c.find("failure") is not None]
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(failures))
        assert (suite.get("errors"), suite.get("skipped")) == ("0", "0")
        for case in cases:
            assert case.get("classname") == suite.get("name")
            assert case.get("file") == suite.get("name")
            assert case.get("name")
            assert float(case.get("time", "x")) >= 0
        total_tests += len(cases)
        total_failures += len(failures)
    assert root.get("tests") == str(total_tests) == "5"
    assert root.get("failures") == str(total_failures) == "4"

    rich = suites[0].findall("testcase")
    assert [c.get("name") for c in rich] == [
        "XX601 secret-in-env at 2:15",
        "XX601 secret-in-env at 3:5",
        "XX101 keyword-casing at 4:1",
    ]
    assert [c.get("line") for c in rich] == ["2", "3", "4"]
    failure = rich[2].find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "Write `env` as `ENV`", "type": "style"}
    assert failure.text == "svc/Dockerfile:4:1: XX101 [style] Write `env` as `ENV`"

    [clean] = suites[2].findall("testcase")
    assert clean.get("name") == "dflint"
    assert len(clean) == 0  # a passing test case


def test_junit_no_files(registry: Registry, options: ReportOptions) -> None:
    root = ET.fromstring(xml_of(junit, [], registry, options).encode("utf-8"))
    assert root.attrib["tests"] == "0"
    assert root.findall("testsuite") == []
