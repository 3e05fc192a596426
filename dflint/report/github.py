"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE``. Columns are
1-based code points with ``endColumn`` exclusive, as in the text report. Escaping
follows the actions toolkit: in the message ``%``, CR and LF are percent-encoded; in
property values ``:`` and ``,`` too, since they delimit the properties.

GitHub shows only 10 annotations per level and step (50 per job); every line still
lands in the log. Upload SARIF for large repositories.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, display_path, visible
from dflint.rule import Finding, Severity

COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.STYLE: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding, result: LintResult, options: ReportOptions) -> str:
    lines = result.source.lines
    start = lines.position(finding.span.start)
    end = lines.position(finding.span.end)
    properties = {
        "file": display_path(result.path, options.cwd),
        "line": str(start.line),
        "col": str(start.column),
        "endLine": str(end.line),
        "endColumn": str(end.column),
        "title": f"dflint ({finding.code} {finding.name})",
    }
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(finding.message)}"


def render_file(result: LintResult, options: ReportOptions) -> str:
    """The annotations of one file (see :mod:`dflint.report`)."""
    return "".join(command(f, result, options) + "\n" for f in visible(result))


def render(
    results: Sequence[LintResult],
    stream: IO[str],
    registry: Registry,
    options: ReportOptions,
    rendered: Sequence[str] | None = None,
) -> None:
    """``rendered``: :func:`render_file` of each result, if already made."""
    for text in rendered if rendered is not None else (render_file(r, options) for r in results):
        stream.write(text)
