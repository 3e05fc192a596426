"""Related locations: one finding per install command names its other unpinned packages,
and every face carries them (SARIF ``relatedLocations``, JSON ``related``, the editor's
``relatedInformation``); suppression still works on the instruction."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from dflint.engine import LintResult, lint_text, prepare
from dflint.lsp.convert import PositionMap, diagnostics, quick_fixes
from dflint.registry import default_registry
from dflint.report import ReportOptions, sarif
from dflint.report import json as json_report
from dflint.settings import Settings
from dflint.source import Span
from tests.report.test_sarif import SCHEMA_PATH, SCHEMA_SHA256

jsonschema = pytest.importorskip("jsonschema")

TEXT = (
    "FROM debian:12-slim\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39 wget \\\n"
    "    make \\\n"
    " && rm -rf /var/lib/apt/lists/*\n"
)


def _lint(text: str) -> LintResult:
    return lint_text(text, "Dockerfile", prepare(Settings(select=("DF302",))))


def test_one_finding_per_install_with_the_others_related() -> None:
    [finding] = _lint(TEXT).findings
    assert TEXT[finding.span.start : finding.span.end] == "curl"
    assert "`curl`, `wget` and `make`" in finding.message
    assert [TEXT[r.span.start : r.span.end] for r in finding.related] == ["wget", "make"]
    assert [r.message for r in finding.related] == [
        "Pin the version of `wget`",
        "Pin the version of `make`",
    ]


@pytest.mark.parametrize("comment", ["# hadolint ignore=DL3008\n", "# dflint: ignore=DF302\n"])
def test_suppression_covers_the_whole_command(comment: str) -> None:
    text = TEXT.replace("RUN", comment + "RUN", 1)
    [finding] = _lint(text).findings
    assert finding.suppressed


def test_sarif_related_locations(tmp_path: Path) -> None:
    result = lint_text(TEXT, str(tmp_path / "Dockerfile"), prepare(Settings(select=("DF302",))))
    options = ReportOptions(cwd=tmp_path)
    stream = io.StringIO()
    sarif.render([result], stream, default_registry(), options)
    log: dict[str, Any] = json.loads(stream.getvalue())
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    validator = jsonschema.Draft4Validator(json.loads(data))
    assert [e.message for e in validator.iter_errors(log)] == []
    [res] = log["runs"][0]["results"]
    related = res["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[1]["message"] == {"text": "Pin the version of `make`"}
    region = related[1]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 5, 9)
    assert related[0]["physicalLocation"]["artifactLocation"] == {
        "uri": "Dockerfile",
        "uriBaseId": "%SRCROOT%",
    }


def test_json_related(tmp_path: Path) -> None:
    result = lint_text(TEXT, str(tmp_path / "Dockerfile"), prepare(Settings(select=("DF302",))))
    stream = io.StringIO()
    json_report.render([result], stream, default_registry(), ReportOptions(cwd=tmp_path))
    [finding] = json.loads(stream.getvalue())["findings"]
    assert finding["related"][1] == {
        "message": "Pin the version of `make`",
        "start": {"line": 3, "column": 5},
        "end": {"line": 3, "column": 9},
    }


def test_lsp_related_information_and_quick_fixes_on_a_related_package() -> None:
    result = _lint(TEXT)
    positions = PositionMap(TEXT)
    uri = "file:///w/Dockerfile"
    [diag] = diagnostics(result, positions, uri)
    assert diag.related_information is not None
    assert [i.message for i in diag.related_information] == [
        "Pin the version of `wget`",
        "Pin the version of `make`",
    ]
    assert diag.related_information[1].location.uri == uri
    assert diag.related_information[1].location.range.start.line == 2  # 0-based
    make = TEXT.index("make")
    actions = quick_fixes(result, positions, uri, Span(make, make))
    assert [a.title for a in actions] == ["Ignore DF302 for this line"]
