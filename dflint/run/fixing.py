"""``--fix`` and ``--diff`` for one linted file: fix it (:mod:`dflint.fix`, which does no
I/O), write it, create the files that fixes create, and show what changed as a diff."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dflint.engine import LintResult
    from dflint.fix import FixedLintResult
    from dflint.rule import Finding


def fix_file(
    display: str,
    result: LintResult,
    lint: Callable[[str], LintResult],
    problem: str | None,
    *,
    unsafe: bool,
    dry_run: bool,
    created: dict[Path, str],
) -> FixedLintResult:
    """Fix one linted file to a fixpoint and, for ``--fix`` on a file, write it
    atomically, then create the files that fixes create (``dry_run``, for ``--diff``:
    check that they could be). ``display``: the path as given, '-' for stdin. ``lint``
    re-lints a text as ``result`` was linted. ``problem``: why the text cannot be fixed
    (encoding). ``created``: the files this run's fixes created and for which Dockerfile;
    those created here are added."""
    from dflint import atomic
    from dflint.fix import fix_result

    if problem is not None:
        # Re-encoding a text decoded with replacement characters would change its bytes.
        error = f"{display}: not fixed: {problem}" if display == "-" else None
        return _fixed_result(result, result.source.text, error=error)
    outcome = fix_result(result, lint, unsafe=unsafe)
    original = result.source.text
    if outcome.text != original and not dry_run and display != "-":
        try:
            atomic.write(
                Path(display), outcome.text.encode("utf-8"), expected=original.encode("utf-8")
            )
        except OSError as exc:
            error = str(exc) if isinstance(exc, atomic.WriteRefused) else f"{display}: {exc}"
            return _fixed_result(result, original, error=error)
    fixed = _fixed_result(outcome.remaining, original, outcome.fixed)
    if outcome.creating:
        fixed = _create_files(fixed, outcome.creating, dry_run, display == "-", created)
        created.update((c.path, fixed.path) for c in fixed.created)
    return fixed


def _fixed_result(
    result: LintResult,
    original: str,
    fixed: tuple[Finding, ...] = (),
    *,
    error: str | None = None,
) -> FixedLintResult:
    """``result`` (what remains) as the outcome of fixing the text ``original``."""
    from dflint.fix import FixedLintResult

    r = result
    return FixedLintResult(
        r.source,
        r.dockerfile,
        r.findings,
        r.notes,
        r.context_root,
        r.context_choice,
        original,
        fixed,
        error,
    )


def _create_files(
    result: FixedLintResult,
    creating: Sequence[Finding],
    dry_run: bool,
    stdin: bool,
    taken: dict[Path, str],
) -> FixedLintResult:
    """Carry out the fixes that create files (:attr:`dflint.fix.FixResult.creating`)
    after the Dockerfile's own edits; ``dry_run`` (``--diff``) only checks that nothing
    is in the way. A fix whose file exists by now, or that a fix of another Dockerfile
    of this run created (``taken``), is skipped with a message, and its finding remains;
    the findings of the fixes carried out are fixed. stdin is a filter: its fixes write
    nothing but the fixed text to stdout, so none is carried out."""
    from dflint import atomic
    from dflint.fix import CreatedFile, new_file_location
    from dflint.report import display_path

    cwd = Path.cwd()
    created: list[CreatedFile] = []
    skipped: list[str] = []
    done: list[Finding] = []
    error: str | None = None
    for finding in creating:
        assert finding.fix is not None
        names = ", ".join(f"`{new.path}`" for new in finding.fix.creates)
        root = result.context_root
        if stdin or root is None:
            why = (
                "fixes of stdin write nothing but the fixed text"
                if stdin
                else "no build context is known"
            )
            skipped.append(f"{result.path}: {names} not created ({finding.code}): {why}")
            continue
        try:
            for new in finding.fix.creates:
                location = new_file_location(root, new)
                if any(c.path == location for c in created):
                    continue  # the same file for another finding (fix.file_fixes)
                shown = Path(display_path(str(location), cwd))
                if location in taken:
                    raise atomic.AlreadyExists(
                        f"{shown}: not created: the fix of {taken[location]} creates it"
                    )
                if dry_run:
                    atomic.creatable(shown, root)
                else:
                    atomic.create(shown, new.content.encode("utf-8"), root=root)
                created.append(CreatedFile(location, new.content))
        except atomic.AlreadyExists as exc:
            skipped.append(f"{exc} (the {finding.code} fix of {result.path} was skipped)")
            continue
        except OSError as exc:
            error = str(exc) if isinstance(exc, atomic.WriteRefused) else f"{names}: {exc}"
            break
        done.append(finding)
    return replace(
        result,
        findings=tuple(f for f in result.findings if f not in done),
        fixed=(*result.fixed, *done),
        created=tuple(created),
        skipped=tuple(skipped),
        error=error,
    )


def diff(result: FixedLintResult, cwd: Path) -> str:
    """What fixing ``result`` changed as a unified diff, with each file it created as
    `git diff` shows a new one; paths relative to ``cwd`` where possible."""
    from dflint.report import display_path

    shown = display_path(result.path, cwd)
    parts = [unified_diff(f"a/{shown}", f"b/{shown}", result.original, result.source.text)]
    for new in result.created:
        created = display_path(str(new.path), cwd)
        parts.append(unified_diff("/dev/null", f"b/{created}", "", new.content))
    return "".join(parts)


def unified_diff(old_name: str, new_name: str, old: str, new: str) -> str:
    import difflib

    lines = []
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    ):
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)
