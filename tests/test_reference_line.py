"""``LintResult.reference_line``: where hadolint and BuildKit report a finding."""

from __future__ import annotations

import io
import json

import pytest

from dflint import engine
from dflint.registry import default_registry
from dflint.report import ReportOptions
from dflint.report import json as json_report
from dflint.settings import Settings


def _lines(text: str, select: str) -> list[tuple[int, int]]:
    """(line of the span, reference line) of each finding of ``select``."""
    result = engine.lint_text(text, "Dockerfile", engine.prepare(Settings(select=[select])))
    lines = result.source.lines
    return [(lines.line_of(f.span.start), result.reference_line(f)) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "select", "expected"),
    [
        # a word on a later line of its instruction: the instruction's first line
        ("FROM scratch\nCOPY \\\n    --chown=$owner \\\n    a /b/\n", "DF150", [(3, 2)]),
        # an empty line inside a continuation: the instruction's last line
        ("FROM alpine:3.20\nRUN a \\\n\n    && b \\\n    && c\n", "DF131", [(3, 5)]),
        # a comment above an ARG: the ARG
        ("# check=experimental=all\nFROM scratch\n# other\nARG a=1\n", "DF134", [(3, 4)]),
        # a finding on its instruction's first line stays there
        ("FROM scratch\nMAINTAINER me\n", "DF101", [(2, 2)]),
    ],
)
def test_reference_line(text: str, select: str, expected: list[tuple[int, int]]) -> None:
    assert _lines(text, select) == expected


def test_json_reports_the_reference_line() -> None:
    text = "FROM scratch\nCOPY \\\n    $src /b/\n"
    result = engine.lint_text(text, "Dockerfile", engine.prepare(Settings(select=["DF150"])))
    out = io.StringIO()
    json_report.render([result], out, default_registry(), ReportOptions())
    (finding,) = json.loads(out.getvalue())["findings"]
    assert (finding["start"]["line"], finding["reference_line"]) == (3, 2)
