"""Between dflint's results and LSP values: positions in the negotiated encoding,
diagnostics, hovers and code actions.

Pure functions over a :class:`~dflint.engine.LintResult` and its text; the server does
the I/O. Spans stay ``str`` offsets until the last step (STYLE.md section 4).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from enum import Enum

from lsprotocol import types

from dflint import ast, fix
from dflint.docs import rule_url
from dflint.engine import LintResult
from dflint.registry import AnyRule, Registry
from dflint.rule import Edit, Finding, Fix, NewFile, Severity
from dflint.source import LineIndex, Span
from dflint.suppress import UNSUPPRESSIBLE

SOURCE = "dflint"
FIX_ALL_KIND = "source.fixAll.dflint"
CONFIG_ERROR_CODE = "config"
SKIPPED_CODE = "not-linted"

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.STYLE: types.DiagnosticSeverity.Hint,
}

# A suppression comment line and its list of rule selectors (group "codes"); used with
# `match`, which anchors at its start position.
_PRAGMA_RE = re.compile(
    r"[ \t]*#[ \t]*"
    r"(?:dflint:[ \t]*ignore(?:-file)?|hadolint[ \t]+(?:(?:global|stage)[ \t]+)?ignore)"
    r"[ \t]*=[ \t]*(?P<codes>[A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)"
)
_DFLINT_IGNORE_RE = re.compile(
    r"[ \t]*#[ \t]*dflint:[ \t]*ignore[ \t]*=[ \t]*"
    r"(?P<codes>[A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)"
)
_SELECTOR_RE = re.compile(r"[A-Za-z0-9_.-]+")


# --------------------------------------------------------------------------- positions
class PositionEncoding(Enum):
    """The unit of LSP's ``Position.character``; UTF-16 unless the client offers another."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"

    @classmethod
    def from_lsp(cls, value: str | None) -> PositionEncoding:
        for member in cls:
            if member.value == value:
                return member
        return cls.UTF16


def _units(text: str, encoding: PositionEncoding) -> int:
    if encoding is PositionEncoding.UTF32 or text.isascii():
        return len(text)
    if encoding is PositionEncoding.UTF16:
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    # surrogatepass: a lone surrogate from a client still has a length.
    return len(text.encode("utf-8", "surrogatepass"))


class PositionMap:
    """``str`` offsets into one text <-> LSP positions (0-based line, column in units).

    Lines end at ``\\n`` as BuildKit reads them; a ``\\r`` before it is not part of the
    line for the client, so offsets on it clamp to the end of the line's content.
    """

    __slots__ = ("encoding", "lines", "text")

    def __init__(self, text: str, encoding: PositionEncoding = PositionEncoding.UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.lines = LineIndex(text)

    def _content_end(self, line: int) -> int:
        end = self.lines.line_end(line)
        start = self.lines.line_start(line)
        if end > start and self.text[end - 1] == "\r" and end < len(self.text):
            return end - 1
        return end

    def position(self, offset: int) -> types.Position:
        offset = min(max(offset, 0), len(self.text))
        line = self.lines.line_of(offset)
        start = self.lines.line_start(line)
        offset = min(offset, self._content_end(line))
        return types.Position(
            line=line - 1, character=_units(self.text[start:offset], self.encoding)
        )

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def offset(self, position: types.Position) -> int:
        """The offset of a client position; past the end of a line clamps to its end."""
        line = position.line + 1
        if line > self.lines.line_count:
            return len(self.text)
        start = self.lines.line_start(line)
        end = self._content_end(line)
        wanted = max(position.character, 0)
        content = self.text[start:end]
        if self.encoding is PositionEncoding.UTF32 or content.isascii():
            return start + min(wanted, len(content))
        seen = 0
        for i, ch in enumerate(content):
            if seen >= wanted:
                return start + i
            seen += _units(ch, self.encoding)
        return end

    def span(self, range_: types.Range) -> Span:
        start, end = self.offset(range_.start), self.offset(range_.end)
        return Span(min(start, end), max(start, end))


# --------------------------------------------------------------------------- diagnostics
def visible(result: LintResult) -> list[Finding]:
    """The findings an editor shows: suppressed ones are left out."""
    return [f for f in result.findings if not f.suppressed]


def diagnostic(
    finding: Finding, positions: PositionMap, uri: str | None = None
) -> types.Diagnostic:
    """The finding as a diagnostic; with the document's ``uri``, its other places
    (``Finding.related``) as ``relatedInformation``."""
    related = None
    if uri is not None and finding.related:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=positions.range(r.span)),
                message=r.message,
            )
            for r in finding.related
        ]
    href = rule_url(finding.name)
    return types.Diagnostic(
        range=positions.range(finding.span),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=href) if href is not None else None,
        source=SOURCE,
        related_information=related,
    )


def diagnostics(
    result: LintResult, positions: PositionMap, uri: str | None = None
) -> list[types.Diagnostic]:
    return [diagnostic(f, positions, uri) for f in visible(result)]


def _touched(finding: Finding, request: Span) -> bool:
    """Whether ``request`` touches the finding's span or one of its related places."""
    spans = (finding.span, *(r.span for r in finding.related))
    return any(s.start <= request.end and request.start <= s.end for s in spans)


def _first_line_diagnostic(
    message: str, positions: PositionMap, severity: types.DiagnosticSeverity, code: str
) -> types.Diagnostic:
    first_line = Span(0, positions.lines.line_end(1))
    return types.Diagnostic(
        range=positions.range(first_line),
        message=message,
        severity=severity,
        code=code,
        source=SOURCE,
    )


def problem_diagnostic(message: str, positions: PositionMap) -> types.Diagnostic:
    """A configuration (or rule pack) problem, shown on line 1 of each affected document."""
    return _first_line_diagnostic(
        message, positions, types.DiagnosticSeverity.Error, CONFIG_ERROR_CODE
    )


def skipped_diagnostic(message: str, positions: PositionMap) -> types.Diagnostic:
    """Why a document was not linted (too large), on its line 1."""
    return _first_line_diagnostic(
        message, positions, types.DiagnosticSeverity.Warning, SKIPPED_CODE
    )


# --------------------------------------------------------------------------- hover
def rule_markdown(rule: AnyRule) -> str:
    """The rule's own documentation (its docstring) under a title line."""
    header = f"**{rule.code}** `{rule.name}` ({rule.severity.value})"
    text = f"{header}\n\n{rule.doc.strip()}"
    href = rule_url(rule.name)
    return f"{text}\n\n[Rule documentation]({href})" if href is not None else text


def _touches(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


def hover(
    result: LintResult, positions: PositionMap, registry: Registry, offset: int
) -> types.Hover | None:
    """Rule docs for a code in an ignore comment under ``offset``, else for the
    diagnostics there (the code is the more specific of the two)."""
    rules: list[AnyRule] = []
    spans: list[Span] = []
    located = pragma_selector_at(positions, offset)
    named = registry.get(located[0]) if located else None
    if located is not None and named is not None:
        rules, spans = [named], [located[1]]
    else:
        for finding in visible(result):
            rule = registry.get(finding.code)
            if _touches(finding.span, offset) and rule is not None and rule not in rules:
                rules.append(rule)
                spans.append(finding.span)
    if not rules:
        return None
    cover = spans[0]
    for span in spans[1:]:
        cover = cover.cover(span)
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value="\n\n---\n\n".join(rule_markdown(r) for r in rules),
        ),
        range=positions.range(cover),
    )


def pragma_selector_at(positions: PositionMap, offset: int) -> tuple[str, Span] | None:
    """The rule selector under ``offset`` in a ``# dflint: ignore=`` / ``# hadolint ignore=``
    comment line, with its span."""
    line = positions.lines.line_of(offset)
    start = positions.lines.line_start(line)
    m = _PRAGMA_RE.match(positions.lines.line_text(line))
    if m is None:
        return None
    base = start + m.start("codes")
    for token in _SELECTOR_RE.finditer(m.group("codes")):
        span = Span(base + token.start(), base + token.end())
        if _touches(span, offset):
            return token.group(), span
    return None


# --------------------------------------------------------------------------- edits
def fix_all(result: LintResult, lint: Callable[[str], LintResult]) -> str:
    """The text with every safe fix applied, as ``dflint check --fix`` would (same
    selection, fixpoint and syntax-error guard: :mod:`dflint.fix`)."""
    return fix.fix_result(result, lint).text


def minimal_edit(old: str, new: str) -> Edit | None:
    """One edit turning ``old`` into ``new``, trimmed to the part that changes."""
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return Edit(Span(prefix, len(old) - suffix), new[prefix : len(new) - suffix])


def instruction_at(dockerfile: ast.Dockerfile, offset: int) -> ast.Instruction | None:
    nodes = dockerfile.instructions
    i = bisect_right([n.span.start for n in nodes], offset) - 1
    if i >= 0 and offset < max(nodes[i].span.end, nodes[i].span.start + 1):
        return nodes[i]
    return None


def ignore_edit(result: LintResult, finding: Finding) -> Edit | None:
    """Suppress ``finding`` with ``# dflint: ignore=CODE`` above its instruction, extending
    an ignore comment that already governs the instruction; None if it cannot be."""
    if finding.code in UNSUPPRESSIBLE or finding.suppressed:
        return None
    dockerfile = result.dockerfile
    node = instruction_at(dockerfile, finding.span.start)
    if node is None:
        return None
    text = result.source.text
    previous_end = max(
        (n.span.end for n in dockerfile.instructions if n.span.end <= node.span.start),
        default=0,
    )
    governing = [
        c
        for c in dockerfile.comments
        if previous_end <= c.span.start and c.span.end <= node.span.start
    ]
    for comment in reversed(governing):
        m = _DFLINT_IGNORE_RE.match(text, comment.span.start, comment.span.end)
        if m is not None:
            return Edit(Span(m.end("codes"), m.end("codes")), f",{finding.code}")
    line_start = text.rfind("\n", 0, node.span.start) + 1
    before = text[line_start : node.span.start]
    indent = before[: len(before) - len(before.lstrip(" \t"))]
    newline = "\r\n" if "\r\n" in text else "\n"
    return Edit(Span(line_start, line_start), f"{indent}# dflint: ignore={finding.code}{newline}")


# --------------------------------------------------------------------------- code actions
def text_edit(edit: Edit, positions: PositionMap) -> types.TextEdit:
    return types.TextEdit(range=positions.range(edit.span), new_text=edit.replacement)


def _workspace_edit(uri: str, edits: Sequence[Edit], positions: PositionMap) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: [text_edit(e, positions) for e in edits]})


def fix_title(finding: Finding, fix: Fix) -> str:
    unsafe = "" if fix.safe else " (unsafe fix)"
    return f"{finding.code}: {fix.title}{unsafe}"


def kind_wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: asking for ``source.fixAll`` includes ``source.fixAll.x``."""
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


# Where a created file's uri is decided (by the server, which can look at the disk):
# None when the file cannot or must not be created there (it exists, say).
NewFileUri = Callable[[NewFile], str | None]


def _create_files_edit(
    creates: Sequence[NewFile], uri_of: NewFileUri
) -> types.WorkspaceEdit | None:
    """Each new file as a ``CreateFile`` (``ignoreIfExists``: never replace a file) and a
    ``TextDocumentEdit`` inserting its content; None if one of them cannot be created."""
    changes: list[types.TextDocumentEdit | types.CreateFile] = []
    start = types.Position(line=0, character=0)
    for new in creates:
        uri = uri_of(new)
        if uri is None:
            return None
        changes.append(
            types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
        )
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[
                    types.TextEdit(range=types.Range(start=start, end=start), new_text=new.content)
                ],
            )
        )
    return types.WorkspaceEdit(document_changes=changes)


def _fix_edit(
    result: LintResult,
    fix_: Fix,
    positions: PositionMap,
    uri: str,
    new_file_uri: NewFileUri | None,
) -> types.WorkspaceEdit | None:
    """The workspace edit of a fix: edits of the document, or files to create (only when
    ``new_file_uri`` is given: the client can create files)."""
    if not fix_.creates:
        edits = fix.in_line_ending(result.source.text, fix_.edits)
        return _workspace_edit(uri, edits, positions)
    if fix_.edits or new_file_uri is None:
        return None  # a fix does one or the other (see dflint.rule.Fix)
    return _create_files_edit(fix_.creates, new_file_uri)


def quick_fixes(
    result: LintResult,
    positions: PositionMap,
    uri: str,
    request: Span,
    new_file_uri: NewFileUri | None = None,
) -> list[types.CodeAction]:
    """Per finding touching ``request``: its fix (if any), then "Ignore CODE for this line".

    A fix that creates files is offered only with ``new_file_uri`` (the client supports
    ``CreateFile`` and it tells where each file goes), as ``documentChanges``.
    """
    actions: list[types.CodeAction] = []
    for finding in visible(result):
        if not _touched(finding, request):
            continue
        diag = [diagnostic(finding, positions, uri)]
        if finding.fix is not None and fix.applicable(finding, unsafe=True):
            edit = _fix_edit(result, finding.fix, positions, uri, new_file_uri)
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=fix_title(finding, finding.fix),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=diag,
                        is_preferred=finding.fix.safe,
                        edit=edit,
                    )
                )
        ignore = ignore_edit(result, finding)
        if ignore is not None:
            actions.append(
                types.CodeAction(
                    title=f"Ignore {finding.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diag,
                    edit=_workspace_edit(uri, [ignore], positions),
                )
            )
    return actions


def fix_all_action(
    result: LintResult,
    positions: PositionMap,
    uri: str,
    lint: Callable[[str], LintResult],
) -> types.CodeAction | None:
    edit = minimal_edit(result.source.text, fix_all(result, lint))
    if edit is None:
        return None
    return types.CodeAction(
        title="Fix all dflint problems",
        kind=FIX_ALL_KIND,
        edit=_workspace_edit(uri, [edit], positions),
    )
