"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array of Code Climate issues with the fields GitLab requires: ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` plus
``location.lines.begin``. The fingerprint must be unique per issue (GitLab merges
duplicates) and stable across unrelated edits, so it hashes the path, the rule code and
the content-based hash of the finding's line (the one GitHub uses, which ignores
whitespace and survives lines moving), plus a counter for repeats on that line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import IO, Any

from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, display_path, encodes_unicode, visible
from dflint.report.fingerprint import LineHashes
from dflint.rule import Finding, Severity

SEVERITIES = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFO: "minor",
    Severity.STYLE: "info",
}
_TAG_CATEGORIES = {
    "security": "Security",
    "performance": "Performance",
    "compatibility": "Compatibility",
    "maintainability": "Clarity",
}


def fingerprint(path: str, code: str, line_hash: str, occurrence: int) -> str:
    key = "\0".join((path, code, line_hash, str(occurrence)))
    # md5 as an identifier, not for security.
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def categories(finding: Finding, registry: Registry) -> list[str]:
    """Code Climate categories: from the rule's tags, else by severity."""
    rule = registry.get(finding.code)
    tags = set(rule.tags) if rule is not None else set()
    found = [category for tag, category in _TAG_CATEGORIES.items() if tag in tags]
    if found:
        return found
    return ["Style"] if finding.severity is Severity.STYLE else ["Bug Risk"]


def issues(result: LintResult, registry: Registry, options: ReportOptions) -> list[dict[str, Any]]:
    path = display_path(result.path, options.cwd)
    lines = result.source.lines
    hashes = LineHashes(result.source.text)
    seen: dict[tuple[str, str], int] = {}
    out: list[dict[str, Any]] = []
    for finding in visible(result):
        begin = lines.line_of(finding.span.start)
        end = lines.line_of(max(finding.span.end - 1, finding.span.start))
        line_hash = hashes.for_line(begin)
        key = (finding.code, line_hash)
        seen[key] = seen.get(key, 0) + 1
        issue = _issue(finding, path, begin, end, fingerprint(path, *key, seen[key]))
        issue["categories"] = categories(finding, registry)
        out.append(issue)
    return out


def _issue(finding: Finding, path: str, begin: int, end: int, print_: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "engine_name": "dflint",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.message}",
        "severity": SEVERITIES[finding.severity],
        "fingerprint": print_,
        "location": {"path": path, "lines": {"begin": begin, "end": end}},
    }


def render(
    results: Sequence[LintResult], stream: IO[str], registry: Registry, options: ReportOptions
) -> None:
    report = [issue for result in results for issue in issues(result, registry, options)]
    json.dump(report, stream, indent=2, ensure_ascii=not encodes_unicode(stream))
    stream.write("\n")
