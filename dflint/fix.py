"""Applying fixes: non-overlapping edits, re-parse, repeat to a fixpoint.

Shared by ``dflint check --fix``/``--diff`` and the language server's quick fixes and
"fix all", so both pick the same fixes in the same order. Pure functions over text; the
file I/O (atomic writes, symlinks) lives in :mod:`dflint.atomic`.

Guarantees:

- a fix is applied whole or not at all; fixes whose edits overlap one already chosen in
  the pass (or each other, or leave the text) wait for the next pass;
- unsafe fixes are applied only when asked for (``unsafe=True``);
- replacement text uses the file's own line ending (``\\n`` becomes ``\\r\\n`` in a
  CRLF file); text outside the edited spans is never touched;
- a pass whose result has parse errors the input did not have is taken apart: the fixes
  are re-applied one by one and each one that adds an error is dropped for the rest of
  the run, so fixing never introduces a syntax error;
- the loop stops at a fixpoint (no applicable fix changes the text) or after
  ``max_passes``; fixing the output again then changes nothing;
- fixes that create files (``Fix.creates``) never change the text: the ones applicable
  to the fixed text are returned in ``FixResult.creating`` for the front end to carry
  out (:func:`dflint.atomic.create` writes a file only if it does not exist yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dflint.engine import LintResult, lint_text
from dflint.parse import parse
from dflint.records import record
from dflint.rule import Edit, Finding, Fix, NewFile
from dflint.source import Span

if TYPE_CHECKING:
    from dflint.ast import Dockerfile
    from dflint.engine import PreparedRule
    from dflint.model.context import BuildContext
    from dflint.registry import Registry

MAX_PASSES = 6


class Applied(NamedTuple):
    """What :func:`apply_fixes` did: the new text, the findings whose fix went in, and
    those left out (unsafe without ``unsafe=True``, conflicting, or malformed)."""

    text: str
    applied: list[Finding]
    skipped: list[Finding]


@record
class FixResult:
    """The outcome of :func:`fix_text`/:func:`fix_result`."""

    text: str  # the fixed text (the input when nothing applied)
    fixed: tuple[Finding, ...]  # findings whose fix was applied, over all passes
    remaining: LintResult  # the lint result of ``text``
    passes: int  # passes that changed the text
    rejected: tuple[Finding, ...] = ()  # fixes dropped because they added a parse error
    # Findings of ``remaining`` whose fix creates files, to be created by the front end
    # (:func:`file_fixes`); they are still in ``remaining`` and not in ``fixed``.
    creating: tuple[Finding, ...] = ()


@record
class CreatedFile:
    """A file that ``--fix`` created for a fix (``--diff``: would create)."""

    path: Path  # the build context's root joined with ``NewFile.path``
    content: str


@record
class FixedLintResult(LintResult):
    """A file's result after ``--fix``/``--diff``: ``source`` is the fixed text and
    ``findings`` what remains; ``original`` is the text as read. Front ends pass it on
    wherever a :class:`LintResult` goes (reporters, a process pool)."""

    original: str = ""
    fixed: tuple[Finding, ...] = ()
    error: str | None = None  # why the file was not fixed or not written
    created: tuple[CreatedFile, ...] = ()  # by fixes in ``fixed``, after the text's edits
    skipped: tuple[str, ...] = ()  # why fixes that create files were not applied

    @property
    def changed(self) -> bool:
        return self.source.text != self.original or bool(self.created)


# --------------------------------------------------------------------------- selection
def applicable(finding: Finding, *, unsafe: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) would apply its fix."""
    fix = finding.fix
    return (
        fix is not None
        and not finding.suppressed
        and bool(fix.edits or fix.creates)
        and (fix.safe or unsafe)
    )


def is_new_file_path(path: str) -> bool:
    """Whether ``path`` is a clean POSIX path relative to the build context's root, as
    ``NewFile.path`` must be: it then names a place inside the context and nothing else
    (no ``..``, no absolute path or drive, no backslash, no empty or ``.`` component)."""
    if not path or "\\" in path or "\0" in path or path.startswith("/"):
        return False
    parts = path.split("/")
    if ":" in parts[0]:  # a Windows drive (`C:x`) or stream (`x:y`)
        return False
    return all(part not in ("", ".", "..") for part in parts)


def new_file_location(root: Path, new: NewFile) -> Path:
    """Where ``new`` is created for a file linted with the build context at ``root``.

    Raises ``ValueError`` when its path is not one :func:`is_new_file_path` accepts.
    """
    if not is_new_file_path(new.path):
        raise ValueError(f"not a path inside the build context: {new.path!r}")
    return root.joinpath(*new.path.split("/"))


def _order(finding: Finding) -> tuple[int, int, str, str, str]:
    assert finding.fix is not None
    spans = [e.span for e in finding.fix.edits]
    return (
        min(s.start for s in spans),
        max(s.end for s in spans),
        finding.code,
        finding.external_code or "",
        finding.fix.title,
    )


def _overlaps(a: Span, b: Span) -> bool:
    # Two insertions at one point conflict too: their relative order would be arbitrary.
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def _well_formed(fix: Fix, length: int) -> bool:
    if fix.creates:  # a fix that creates files edits nothing (see Fix)
        return False
    spans = sorted(e.span for e in fix.edits)
    if spans and spans[-1].end > length:
        return False
    return all(not _overlaps(a, b) for a, b in pairwise(spans))


def select(
    findings: Iterable[Finding], text_length: int, *, unsafe: bool = False
) -> tuple[list[Finding], list[Finding]]:
    """(chosen, skipped): whole fixes in position order, none touching another.

    A fix identical to one already chosen (two findings, one remedy) counts as chosen
    but adds no edits. The order is deterministic: by first edit, last edit, code, title.
    """
    chosen: list[Finding] = []
    skipped: list[Finding] = []
    used: list[Span] = []
    taken: set[tuple[Edit, ...]] = set()
    candidates = [f for f in findings if f.fix is not None and not f.suppressed and f.fix.edits]
    for finding in sorted(candidates, key=_order):
        fix = finding.fix
        assert fix is not None
        if not (fix.safe or unsafe) or not _well_formed(fix, text_length):
            skipped.append(finding)
            continue
        edits = tuple(sorted(fix.edits, key=lambda e: (e.span.start, e.span.end)))
        if edits in taken:
            chosen.append(finding)
            continue
        if any(_overlaps(e.span, u) for e in edits for u in used):
            skipped.append(finding)
            continue
        chosen.append(finding)
        taken.add(edits)
        used.extend(e.span for e in edits)
    return chosen, skipped


def file_fixes(findings: Iterable[Finding], *, unsafe: bool = False) -> list[Finding]:
    """The findings whose fix creates files and would be applied, in position order.

    Such a fix must edit nothing and name only paths :func:`is_new_file_path` accepts.
    A path is claimed by the first fix that creates it: a later fix creating the same
    file with the same content comes along (two findings, one remedy), one with other
    content is left out.
    """
    chosen: list[Finding] = []
    claimed: dict[str, NewFile] = {}
    candidates = [f for f in findings if applicable(f, unsafe=unsafe) and f.fix and f.fix.creates]
    for finding in sorted(candidates, key=_file_order):
        fix = finding.fix
        assert fix is not None
        if fix.edits or not all(is_new_file_path(new.path) for new in fix.creates):
            continue
        if any(claimed.get(new.path, new) != new for new in fix.creates):
            continue
        claimed.update((new.path, new) for new in fix.creates)
        chosen.append(finding)
    return chosen


def _file_order(finding: Finding) -> tuple[int, int, str, str, str]:
    assert finding.fix is not None
    return (
        finding.span.start,
        finding.span.end,
        finding.code,
        finding.external_code or "",
        finding.fix.title,
    )


# --------------------------------------------------------------------------- editing
def line_ending(text: str) -> str:
    """The file's dominant line ending: ``\\r\\n`` when most line breaks are CRLF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 > text.count("\n") else "\n"


def _with_line_ending(replacement: str, newline: str) -> str:
    if newline == "\n" or "\n" not in replacement:
        return replacement
    return replacement.replace("\r\n", "\n").replace("\n", newline)


def in_line_ending(text: str, edits: Iterable[Edit]) -> tuple[Edit, ...]:
    """``edits`` with their replacements in ``text``'s line ending (for an editor, which
    applies them itself)."""
    newline = line_ending(text)
    return tuple(Edit(e.span, _with_line_ending(e.replacement, newline)) for e in edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``), each replacement written with
    the text's own line ending. Text outside the edited spans is copied unchanged."""
    newline = line_ending(text)
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if edit.span.start < pos or edit.span.end > len(text):
            raise ValueError(f"edit {edit.span} overlaps another or leaves the text")
        out.append(text[pos : edit.span.start])
        out.append(_with_line_ending(edit.replacement, newline))
        pos = edit.span.end
    out.append(text[pos:])
    return "".join(out)


def _edits(findings: Iterable[Finding]) -> list[Edit]:
    unique: dict[Edit, None] = {}
    for finding in findings:
        assert finding.fix is not None
        unique.update(dict.fromkeys(finding.fix.edits))
    return list(unique)


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> Applied:
    """One pass: apply every fix of ``findings`` (offsets into ``text``) that does not
    conflict with an earlier one; the others are returned as skipped."""
    chosen, skipped = select(findings, len(text), unsafe=unsafe)
    return Applied(apply_edits(text, _edits(chosen)), chosen, skipped)


# --------------------------------------------------------------------------- fixpoint
def _error_keys(dockerfile: Dockerfile) -> Counter[tuple[str, str]]:
    return Counter((e.layer, e.message) for e in dockerfile.errors)


def adds_errors(before: Dockerfile, after: Dockerfile) -> bool:
    """Whether ``after`` has a parse error (by layer and message) ``before`` did not."""
    return bool(_error_keys(after) - _error_keys(before))


def _identity(text: str, finding: Finding) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A fix's identity across passes (spans move, the replaced text does not)."""
    assert finding.fix is not None
    return (
        finding.code,
        finding.fix.title,
        tuple((text[e.span.start : e.span.end], e.replacement) for e in finding.fix.edits),
    )


def _without_new_errors(
    text: str, before: Dockerfile, chosen: Sequence[Finding]
) -> tuple[str, list[Finding], list[Finding]]:
    """Re-apply ``chosen`` one fix at a time, keeping each that adds no parse error."""
    kept: list[Finding] = []
    rejected: list[Finding] = []
    fixed = text
    for finding in chosen:
        trial = apply_edits(text, _edits([*kept, finding]))
        if adds_errors(before, parse(trial)):
            rejected.append(finding)
        else:
            kept.append(finding)
            fixed = trial
    return fixed, kept, rejected


def fix_result(
    result: LintResult,
    lint: Callable[[str], LintResult],
    *,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Fix ``result``'s text to a fixpoint; ``lint`` re-lints a text the same way
    ``result`` was produced (same rules, path, context, per-file ignores)."""
    text = result.source.text
    fixed: list[Finding] = []
    rejected: list[Finding] = []
    banned: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
    passes = 0
    while passes < max_passes:
        candidates = [
            f
            for f in result.findings
            if applicable(f, unsafe=unsafe) and _identity(text, f) not in banned
        ]
        new_text, chosen, _ = apply_fixes(text, candidates, unsafe=unsafe)
        if not chosen or new_text == text:
            break
        if adds_errors(result.dockerfile, parse(new_text)):
            new_text, chosen, dropped = _without_new_errors(text, result.dockerfile, chosen)
            banned.update(_identity(text, f) for f in dropped)
            rejected.extend(dropped)
            if new_text == text:
                if dropped:
                    continue  # every fix of this pass was dropped; others may still apply
                break
        fixed.extend(chosen)
        text = new_text
        result = lint(text)
        passes += 1
    creating = tuple(file_fixes(result.findings, unsafe=unsafe))
    return FixResult(text, tuple(fixed), result, passes, tuple(rejected), creating)


def fix_text(
    text: str,
    path: str = "<stdin>",
    rules: Sequence[PreparedRule] | None = None,
    *,
    registry: Registry | None = None,
    hadolint_pragmas: bool = True,
    buildkit_check: str | None = None,
    context: BuildContext | None = None,
    strict: bool = False,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Lint ``text`` and apply its fixes to a fixpoint (see :func:`fix_result`)."""

    def lint(t: str) -> LintResult:
        return lint_text(
            t,
            path,
            rules,
            strict=strict,
            registry=registry,
            hadolint_pragmas=hadolint_pragmas,
            buildkit_check=buildkit_check,
            context=context,
        )

    return fix_result(lint(text), lint, unsafe=unsafe, max_passes=max_passes)
