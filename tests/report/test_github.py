"""``--format github``: workflow commands, byte for byte, with the toolkit's escaping."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dflint.registry import Registry
from dflint.report import ReportOptions, github
from dflint.rule import Severity
from tests.report.conftest import BAD, GOOD, RICH_TEXT, lint, result_of, rich_findings


def render(results: list[Any], registry: Registry, options: ReportOptions) -> str:
    stream = io.StringIO()
    github.render(results, stream, registry, options)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain text", "plain text"),
        ("100% sure", "100%25 sure"),
        ("line one\nline two", "line one%0Aline two"),
        ("crlf\r\nend", "crlf%0D%0Aend"),
        ("already %0A escaped", "already %250A escaped"),
        ("a: b, c", "a: b, c"),  # colons and commas are fine in the message
        ("::error::injected", "::error::injected"),
    ],
)
def test_escape_data(raw: str, escaped: str) -> None:
    assert github.escape_data(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("docker/Dockerfile", "docker/Dockerfile"),
        ("a,b", "a%2Cb"),
        ("c:/x", "c%3A/x"),
        ("50%", "50%25"),
        ("two\nlines\r", "two%0Alines%0D"),
        ("%3A", "%253A"),
        ("dflint (DF001 syntax-error)", "dflint (DF001 syntax-error)"),
    ],
)
def test_escape_property(raw: str, escaped: str) -> None:
    assert github.escape_property(raw) == escaped


def test_exact_line(registry: Registry, options: ReportOptions) -> None:
    out = render([lint(BAD, str(options.cwd / "docker" / "Dockerfile"))], registry, options)
    assert out == (
        "::error file=docker/Dockerfile,line=2,col=9,endLine=2,endColumn=10,"
        'title=dflint (DF001 syntax-error)::Syntax error - can\'t find = in "B". '
        "Must be of the form: name=value\n"
    )


def test_levels_columns_and_suppressed(registry: Registry, options: ReportOptions) -> None:
    result = result_of(RICH_TEXT, str(options.cwd / "Dockerfile"), rich_findings())
    assert render([result], registry, options).splitlines() == [
        # Code-point columns: the whale emoji counts as one column here.
        "::error file=Dockerfile,line=2,col=15,endLine=2,endColumn=20,"
        "title=dflint (XX601 secret-in-env)::Secret-looking `whale` in a label",
        "::error file=Dockerfile,line=3,col=5,endLine=3,endColumn=14,"
        "title=dflint (XX601 secret-in-env)::"
        "`TOKEN` looks like a secret; pass it with `--mount=type=secret`",
        "::notice file=Dockerfile,line=4,col=1,endLine=4,endColumn=4,"
        "title=dflint (XX101 keyword-casing)::Write `env` as `ENV`",
    ]


@pytest.mark.parametrize(
    ("severity", "command"),
    [("error", "error"), ("warning", "warning"), ("info", "notice"), ("style", "notice")],
)
def test_severity_to_command(
    severity: str, command: str, registry: Registry, options: ReportOptions
) -> None:
    [finding] = lint(BAD, "Dockerfile").findings
    result = result_of(BAD, "Dockerfile", [replace(finding, severity=Severity(severity))])
    assert render([result], registry, options).startswith(f"::{command} file=Dockerfile,")


def test_escaping_in_context(registry: Registry, tmp_path: Path) -> None:
    [finding] = lint(BAD, "x").findings
    odd = replace(finding, message="50% wrong\nsee: docs, please")
    result = result_of(BAD, str(tmp_path / "a,b:c" / "Dockerfile"), [odd])
    out = render([result], registry, ReportOptions(cwd=tmp_path))
    assert out == (
        "::error file=a%2Cb%3Ac/Dockerfile,line=2,col=9,endLine=2,endColumn=10,"
        "title=dflint (DF001 syntax-error)::50%25 wrong%0Asee: docs, please\n"
    )


def test_clean_files_print_nothing(registry: Registry, options: ReportOptions) -> None:
    assert render([lint(GOOD, "Dockerfile")], registry, options) == ""
