"""``--format json``: a stable, documented schema (version 1).

```
{"version": 1, "tool": {"name": "dflint", "version": ...},
 "findings": [{"code", "name", "severity", "message", "path",
               "start": {"line", "column"}, "end": {"line", "column"},
               "fix": null | {"title", "safe", "edits": [{"start", "end", "replacement"}],
                              "creates": [{"path", "content"}]},
               "hadolint": [...], "buildkit": [...], "external_code": null | "SC2086",
               "related": [{"message", "start", "end"}], "reference_line": N}],
 "files": [{"path", "context": null | {"root", "source", "named_contexts", "others",
                                        "warnings"}}],
 "summary": {"files": N, "findings": N, "by_severity": {...}, "fixable": N}}
```
Lines are 1-based, columns 1-based code points; ``end`` is exclusive. ``hadolint``
and ``buildkit`` are the rule's equivalent codes; for a rule whose findings say which
they are (DF001: DL3043 for `ONBUILD FROM`, DL3061 for an instruction before `FROM`;
DF604: DL3064 for a name only hadolint calls secret, both codes for one both do), the
finding's own (or none). ``external_code``
is the external tool's own code of a finding (ShellCheck's ``SC2086`` for DF360).
``related`` lists the other places of the same problem (the other unpinned packages of
one install command), empty for most findings. ``reference_line`` is the line hadolint
and ``docker build --check`` report the problem at (the first line of its instruction,
or the line the rule names, see ``LintResult.reference_line``), for comparing with them;
``start`` is the exact place.
``files`` lists every file linted, in input order, with the build context it was linted
with: ``root`` (shown like ``path``), ``source`` (``--context``, ``default`` for the
Dockerfile's folder, or the compose/bake/workflow file and the service, target or step
that declares it), the ``named_contexts`` the declaration adds (``COPY --from=<name>``),
the ``others`` that also build the file with another context, and ``warnings``
(declaration files that could not be read); ``context`` is null for stdin without
``--stdin-filename``.
``creates`` lists the files a fix creates (a fix does that or edits, not both): each
``path`` is shown like ``path`` (relative to the working directory when below it) and
``content`` is the whole new file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from dflint import __version__
from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import (
    ReportOptions,
    context_dict,
    created_path,
    display_path,
    encodes_unicode,
    severity_counts,
    visible,
)
from dflint.rule import Finding
from dflint.source import LineIndex


def _position(lines: LineIndex, offset: int) -> dict[str, int]:
    pos = lines.position(offset)
    return {"line": pos.line, "column": pos.column}


def _codes(codes: tuple[str, ...], finding: Finding) -> list[str]:
    """The rule's equivalents of one tool, or, where its findings name theirs (DF001:
    DL3043, DL3061; DF604: DL3064, SecretsUsedInArgOrEnv), those of this finding."""
    if finding.equivalents is None:
        return list(codes)
    return [code for code in codes if code in finding.equivalents]


def finding_dict(
    finding: Finding, result: LintResult, registry: Registry, options: ReportOptions
) -> dict[str, Any]:
    lines = result.source.lines
    rule = registry.get(finding.code)
    fix = None
    if finding.fix is not None:
        fix = {
            "title": finding.fix.title,
            "safe": finding.fix.safe,
            "edits": [
                {
                    "start": _position(lines, e.span.start),
                    "end": _position(lines, e.span.end),
                    "replacement": e.replacement,
                }
                for e in finding.fix.edits
            ],
            "creates": [
                {
                    "path": display_path(created_path(result, new), options.cwd),
                    "content": new.content,
                }
                for new in finding.fix.creates
            ],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": display_path(result.path, options.cwd),
        "start": _position(lines, finding.span.start),
        "end": _position(lines, finding.span.end),
        "fix": fix,
        "hadolint": _codes(rule.hadolint, finding) if rule else [],
        "buildkit": _codes(rule.buildkit, finding) if rule else [],
        "external_code": finding.external_code,
        "related": [
            {
                "message": r.message,
                "start": _position(lines, r.span.start),
                "end": _position(lines, r.span.end),
            }
            for r in finding.related
        ],
        "reference_line": result.reference_line(finding),
    }


def render(
    results: Sequence[LintResult], stream: IO[str], registry: Registry, options: ReportOptions
) -> None:
    findings = [finding_dict(f, r, registry, options) for r in results for f in visible(r)]
    counts = severity_counts(results)
    doc = {
        "version": 1,
        "tool": {"name": "dflint", "version": __version__},
        "findings": findings,
        "files": [
            {
                "path": display_path(r.path, options.cwd),
                "context": context_dict(r, options.cwd),
            }
            for r in results
        ],
        "summary": {
            "files": len(results),
            "findings": len(findings),
            "by_severity": {
                s.value: n for s, n in sorted(counts.items(), key=lambda x: -x[0].rank)
            },
            "fixable": sum(1 for f in findings if f["fix"] is not None),
        },
    }
    json.dump(doc, stream, indent=2, ensure_ascii=not encodes_unicode(stream))
    stream.write("\n")
