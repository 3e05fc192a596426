"""``--format gitlab``: the Code Climate subset GitLab's Code Quality widget requires."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from dflint.registry import Registry
from dflint.report import ReportOptions, gitlab
from tests.report.conftest import BAD, GOOD, RICH_TEXT, lint, result_of, rich_findings

jsonschema = pytest.importorskip("jsonschema")

# What GitLab documents as required for `artifacts:reports:codequality`: a JSON array
# of issues, each with these fields (location lines or positions; we emit lines).
GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "type": {"const": "issue"},
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "categories": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "enum": [
                        "Bug Risk",
                        "Clarity",
                        "Compatibility",
                        "Complexity",
                        "Duplication",
                        "Performance",
                        "Security",
                        "Style",
                    ]
                },
            },
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {"type": "integer", "minimum": 1},
                            "end": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
    },
}


def report(results: list[Any], registry: Registry, options: ReportOptions) -> list[Any]:
    stream = io.StringIO()
    gitlab.render(results, stream, registry, options)
    data: list[Any] = json.loads(stream.getvalue())
    jsonschema.Draft7Validator(GITLAB_CODE_QUALITY).validate(data)
    return data


def test_fields(registry: Registry, options: ReportOptions) -> None:
    results = [
        result_of(RICH_TEXT, str(options.cwd / "svc" / "Dockerfile"), rich_findings()),
        lint(BAD, str(options.cwd / "Dockerfile")),
        lint(GOOD, str(options.cwd / "clean.Dockerfile")),
    ]
    issues = report(results, registry, options)
    assert len(issues) == 4  # suppressed finding left out, clean file adds nothing
    whale, token, style, syntax = issues
    assert whale["check_name"] == "XX601"
    assert whale["severity"] == "critical"
    assert whale["categories"] == ["Security"]
    assert whale["location"] == {"path": "svc/Dockerfile", "lines": {"begin": 2, "end": 2}}
    assert whale["description"] == "XX601 Secret-looking `whale` in a label"
    assert token["location"]["lines"] == {"begin": 3, "end": 3}
    assert style["severity"] == "info"
    assert style["categories"] == ["Style"]
    assert syntax["severity"] == "critical"
    assert syntax["categories"] == ["Bug Risk"]
    assert syntax["location"]["path"] == "Dockerfile"
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_multiline_finding_spans_lines(registry: Registry, options: ReportOptions) -> None:
    [finding] = lint(BAD, "x").findings
    from dataclasses import replace

    from dflint.source import Span

    wide = replace(finding, span=Span(0, len(BAD)))  # ends after the final newline
    [issue] = report([result_of(BAD, "Dockerfile", [wide])], registry, options)
    assert issue["location"]["lines"] == {"begin": 1, "end": 2}


def test_fingerprints_are_stable_and_unique(registry: Registry, options: ReportOptions) -> None:
    def prints(text: str, path: str = "Dockerfile") -> list[str]:
        return [i["fingerprint"] for i in report([lint(text, path)], registry, options)]

    base = prints(BAD)
    assert prints(BAD) == base
    assert prints("# moved down\n\n" + BAD) == base  # line numbers do not matter
    assert prints(BAD.replace("ENV A=1 B", "ENV A=1  B")) == base  # nor spacing
    assert prints(BAD.replace("B", "C")) != base  # the line's content does
    assert prints(BAD, "other/Dockerfile") != base  # and the path

    # The same problem twice on one line, or on two identical lines: distinct.
    twice = "FROM a\nENV A=1 B\nENV A=1 B\n"
    first, second = prints(twice)
    assert first != second


def test_empty_report_is_an_empty_array(registry: Registry, tmp_path: Path) -> None:
    assert report([lint(GOOD, "Dockerfile")], registry, ReportOptions(cwd=tmp_path)) == []
