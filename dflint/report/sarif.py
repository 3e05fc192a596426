"""``--format sarif``: SARIF 2.1.0, shaped for GitHub code scanning.

What GitHub reads, and so what this writes (see GitHub's "SARIF support for code
scanning"): one ``rules[]`` entry per rule that has a result, with ``help`` and
``fullDescription`` (both required there); results with ``ruleIndex``, a level, one
location whose URI is relative to the working directory under ``%SRCROOT%``, a full
region (1-based lines, UTF-16 columns, ``endColumn`` exclusive) and
``partialFingerprints.primaryLocationLineHash`` computed as the upload action does. The
other places of one finding (``Finding.related``: the other unpinned packages of one
install) are its ``relatedLocations``, each with a message.

A fix is ``fixes[].artifactChanges``: one change of the Dockerfile for its edits, and for
each file it creates (a starter ``.dockerignore``) a change of that new artifact whose
one replacement inserts the whole content at its start.

Inline-suppressed findings are left out: GitHub ignores ``result.suppressions`` and
would open alerts for them. :func:`build_log` can include them (with
``suppressions``) for consumers that honour it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from dflint import __version__
from dflint.docs import documentation_url, first_paragraph, rule_url, sections
from dflint.engine import LintResult
from dflint.registry import AnyRule, Registry
from dflint.report import (
    ReportOptions,
    context_dict,
    created_path,
    encodes_unicode,
    relative_path,
)
from dflint.report.fingerprint import LineHashes
from dflint.rule import Finding, Fix, Severity
from dflint.source import LineIndex, Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

# GitHub's documented limits for rule metadata.
_MAX_DESCRIPTION = 1024
_MAX_NAME = 255
_MAX_TAGS = 20

LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.STYLE: "note",
}
# `problem.severity` for the code-quality view of non-security rules.
PROBLEM_SEVERITIES = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
    Severity.STYLE: "recommendation",
}
# CVSS-like scores GitHub buckets into critical (>9), high, medium, low.
SECURITY_SEVERITIES = {
    Severity.ERROR: "8.0",
    Severity.WARNING: "5.5",
    Severity.INFO: "2.0",
    Severity.STYLE: "2.0",
}
# dflint rules report what the parser and model prove, not heuristics; a rule that
# guesses should say so once `Rule` can carry its own precision.
DEFAULT_PRECISION = "high"

_FENCE_LINE = re.compile(r"^```[A-Za-z0-9_-]*\s*$", re.M)
_HEADING = re.compile(r"^#{1,6} ", re.M)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(markdown: str) -> str:
    """The rule doc without Markdown heading marks and code fences."""
    text = _FENCE_LINE.sub("", markdown.strip())
    text = _HEADING.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def full_description(rule: AnyRule) -> str:
    parts = sections(rule.doc)
    for heading in ("Why is this bad?", "What it does"):
        if parts.get(heading):
            return first_paragraph(parts[heading])
    return rule.summary


def rule_descriptor(rule: AnyRule) -> dict[str, Any]:
    """A ``reportingDescriptor`` with everything GitHub shows for a rule."""
    tags = list(dict.fromkeys((*rule.tags, "dockerfile")))[:_MAX_TAGS]
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": DEFAULT_PRECISION,
        "problem.severity": PROBLEM_SEVERITIES[rule.severity],
    }
    if "security" in rule.tags:
        properties["security-severity"] = SECURITY_SEVERITIES[rule.severity]
    if rule.hadolint:
        properties["hadolint"] = list(rule.hadolint)
    if rule.buildkit:
        properties["buildkit"] = list(rule.buildkit)
    # The whole rule documentation, so that GitHub shows it even without the site.
    doc = rule.doc.strip() or rule.summary
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": _clip(rule.name, _MAX_NAME),
        "shortDescription": {"text": _clip(rule.summary, _MAX_DESCRIPTION)},
        "fullDescription": {"text": _clip(full_description(rule), _MAX_DESCRIPTION)},
        "help": {"text": _plain(doc), "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }
    help_uri = rule_url(rule.name)
    if help_uri is not None:
        descriptor["helpUri"] = help_uri
    return descriptor


def _unknown_descriptor(finding: Finding) -> dict[str, Any]:
    """For a finding whose rule is not in the registry (a pack changed mid-run)."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "fullDescription": {"text": finding.name},
        "help": {"text": finding.name},
        "properties": {"tags": ["dockerfile"]},
    }


def region(lines: LineIndex, span: Span) -> dict[str, int]:
    start = lines.utf16_position(span.start)
    end = lines.utf16_position(span.end)
    return {
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    }


def artifact_location(path: str, cwd: Path) -> dict[str, str]:
    """A relative URI under ``%SRCROOT%``, or an absolute ``file:`` URI outside it."""
    shown = relative_path(path, cwd)  # a name's bytes that are not UTF-8 are %-encoded
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(os.fsencode(shown), safe="/"), "uriBaseId": SRCROOT}


# Where a new file's content goes: the start of the (empty) artifact.
_START = {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}


def _fix(
    fix: Fix, result: LintResult, location: dict[str, str], cwd: Path
) -> dict[str, Any] | None:
    """A ``fix`` object: the Dockerfile's edits, then for each file the fix creates, its
    whole content inserted at the start; None for a fix that changes nothing."""
    changes: list[dict[str, Any]] = []
    if fix.edits:
        replacements = [
            {
                "deletedRegion": region(result.source.lines, edit.span),
                "insertedContent": {"text": edit.replacement},
            }
            for edit in fix.edits
        ]
        changes.append({"artifactLocation": location, "replacements": replacements})
    for new in fix.creates:
        changes.append(
            {
                "artifactLocation": artifact_location(created_path(result, new), cwd),
                "replacements": [
                    {"deletedRegion": dict(_START), "insertedContent": {"text": new.content}}
                ],
            }
        )
    if not changes:
        return None
    return {
        "description": {"text": fix.title},
        "artifactChanges": changes,
        "properties": {"safe": fix.safe},
    }


def _result(
    finding: Finding,
    rule_index: int,
    result: LintResult,
    location: dict[str, str],
    hashes: LineHashes,
    cwd: Path,
) -> dict[str, Any]:
    lines = result.source.lines
    where = region(lines, finding.span)
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": where}}],
        "partialFingerprints": {"primaryLocationLineHash": hashes.for_line(where["startLine"])},
    }
    if finding.related:  # the other places of the same problem (unpinned packages)
        out["relatedLocations"] = [
            {
                "id": n,
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": region(lines, related.span),
                },
                "message": {"text": related.message},
            }
            for n, related in enumerate(finding.related, 1)
        ]
    fix = None if finding.fix is None else _fix(finding.fix, result, location, cwd)
    if fix is not None:
        out["fixes"] = [fix]
    if finding.external_code is not None:  # ShellCheck's SC2086 behind DF360
        out["properties"] = {"externalCode": finding.external_code}
    if finding.equivalents is not None:  # DF001's DL3043 or DL3061, DF604's DL3064 ...
        out.setdefault("properties", {})["equivalents"] = list(finding.equivalents)
    if finding.suppressed:
        out["suppressions"] = [{"kind": "inSource", "status": "accepted"}]
    return out


def build_log(
    results: Sequence[LintResult],
    registry: Registry,
    options: ReportOptions,
    *,
    include_suppressed: bool = False,
) -> dict[str, Any]:
    """The SARIF log as plain data (one run)."""
    reported = [
        (result, [f for f in result.findings if include_suppressed or not f.suppressed])
        for result in results
    ]
    # Rules sorted by code, so the log does not depend on the order of the files.
    first: dict[str, Finding] = {}
    for _, findings in reported:
        for finding in findings:
            first.setdefault(finding.code, finding)
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for code in sorted(first):
        rule = registry.get(code)
        rule_index[code] = len(rules)
        descriptor = rule_descriptor(rule) if rule else _unknown_descriptor(first[code])
        rules.append(descriptor)
    sarif_results: list[dict[str, Any]] = []
    for result, findings in reported:
        location = artifact_location(result.path, options.cwd)
        hashes = LineHashes(result.source.text)
        sarif_results.extend(
            _result(f, rule_index[f.code], result, location, hashes, options.cwd) for f in findings
        )
    driver: dict[str, Any] = {
        "name": "dflint",
        "version": __version__,
        "semanticVersion": __version__,
    }
    information_uri = documentation_url()
    if information_uri is not None:
        driver["informationUri"] = information_uri
    driver["rules"] = rules
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": True,
                "workingDirectory": {"uri": _dir_uri(options.cwd)},
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": _dir_uri(options.cwd)}},
        "columnKind": "utf16CodeUnits",
        "results": sarif_results,
    }
    artifacts = _artifacts(results, options.cwd)
    if artifacts:
        run["artifacts"] = artifacts
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _artifacts(results: Sequence[LintResult], cwd: Path) -> list[dict[str, Any]]:
    """Each linted file with the build context it was linted with, in the artifact's
    property bag (``buildContext``, as the JSON report's ``context``)."""
    artifacts: list[dict[str, Any]] = []
    for result in results:
        context = context_dict(result, cwd)
        if context is None:
            continue
        artifacts.append(
            {
                "location": artifact_location(result.path, cwd),
                "roles": ["analysisTarget"],
                "properties": {"buildContext": context},
            }
        )
    return artifacts


def _dir_uri(path: Path) -> str:
    uri = path.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(
    results: Sequence[LintResult], stream: IO[str], registry: Registry, options: ReportOptions
) -> None:
    json.dump(
        build_log(results, registry, options),
        stream,
        indent=2,
        ensure_ascii=not encodes_unicode(stream),
    )
    stream.write("\n")
