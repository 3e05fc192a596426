"""The public Python API."""

from __future__ import annotations

import subprocess
import sys

import dflint


def test_lint_text() -> None:
    result = dflint.lint_text("FROM busybox:1.37\nENV A=1 B\n", "Dockerfile")
    assert isinstance(result, dflint.LintResult)
    [finding] = result.findings
    assert isinstance(finding, dflint.Finding)
    assert finding.severity is dflint.Severity.ERROR
    assert finding.span == dflint.Span(26, 27)


def test_import_is_cheap() -> None:
    heavy = "('lark', 'pydantic', 'rich')"
    code = f"import sys, dflint; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
