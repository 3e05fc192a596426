"""Lint results for reporter tests: real lints and hand-made findings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from dflint.engine import LintResult, lint_text, prepare
from dflint.model import Model
from dflint.parse import parse
from dflint.registry import Registry, default_registry
from dflint.report import ReportOptions
from dflint.rule import (
    Context,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    NoOptions,
    Rule,
    Severity,
)
from dflint.settings import Settings
from dflint.source import SourceFile, Span

BAD = "FROM alpine:3.20\nENV A=1 B\n"
GOOD = "FROM alpine:3.20\nRUN echo hi\n"

_DOC = """Secrets must not be baked into images.

## What it does
Flags `ENV` values that look like secrets.

## Why is this bad?
Anyone who can pull the image can read them.

More text that is not the first paragraph.

## Example
```dockerfile
FROM alpine:3.20
ENV TOKEN=abc
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""


def _nothing(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    return iter(())


SECRET_RULE: Rule[NoOptions] = Rule(
    code="XX601",
    name="secret-in-env",
    summary="Secret in an ENV value",
    severity=Severity.ERROR,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    doc=_DOC,
    options=NoOptions,
    check=_nothing,
    hadolint=("DL3999",),
    tags=("security", "supply-chain"),
)
STYLE_RULE: Rule[NoOptions] = Rule(
    code="XX101",
    name="keyword-casing",
    summary="Instruction keyword is not upper case",
    severity=Severity.STYLE,
    fix=FixAvailability.ALWAYS,
    since="0.1.0",
    doc=_DOC.replace("Secrets must", "Keywords should"),
    options=NoOptions,
    check=_nothing,
)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry([*default_registry().rules, SECRET_RULE, STYLE_RULE])


@pytest.fixture
def options(tmp_path: Path) -> ReportOptions:
    return ReportOptions(cwd=tmp_path)


def result_of(text: str, path: str, findings: Sequence[Finding]) -> LintResult:
    return LintResult(SourceFile(text, path), parse(text), tuple(findings))


# Only the engine's own rules: other rules (and new ones) must not change these tests.
ENGINE_RULES = ("DF001", "DF002")


def lint(text: str, path: str) -> LintResult:
    return lint_text(text, path, prepare(Settings(select=ENGINE_RULES)))


def finding_at(
    rule: Rule[NoOptions],
    text: str,
    needle: str,
    message: str,
    *,
    severity: Severity | None = None,
    fix: Fix | None = None,
    suppressed: bool = False,
) -> Finding:
    start = text.index(needle)
    return Finding(
        rule.code,
        rule.name,
        severity or rule.severity,
        message,
        Span(start, start + len(needle)),
        fix,
        suppressed,
    )


# A file with a non-BMP character before the finding (UTF-16 columns differ from
# code points), a fixable finding, an unsafe fix and an inline-suppressed finding.
RICH_TEXT = 'FROM alpine:3.20\nLABEL note="🐳 whale"\nENV TOKEN=abc\nenv A=1\nENV KEY=x\n'


def rich_findings() -> list[Finding]:
    t = RICH_TEXT
    lower = t.index("env A")
    return [
        finding_at(SECRET_RULE, t, "whale", "Secret-looking `whale` in a label"),
        finding_at(
            SECRET_RULE,
            t,
            "TOKEN=abc",
            "`TOKEN` looks like a secret; pass it with `--mount=type=secret`",
            fix=Fix("Remove the ENV", (Edit(Span(t.index("ENV TOKEN"), lower), ""),), safe=False),
        ),
        finding_at(
            STYLE_RULE,
            t,
            "env",
            "Write `env` as `ENV`",
            fix=Fix("Upper-case the keyword", (Edit(Span(lower, lower + 3), "ENV"),)),
        ),
        finding_at(SECRET_RULE, t, "KEY=x", "`KEY` looks like a secret", suppressed=True),
    ]
