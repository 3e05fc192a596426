"""Reporters format a list of lint results; they never lint.

A reporter module defines ``render(results, stream, registry, options)``. One whose
output is, apart from a summary, a concatenation of per-file parts may also define
``render_file(result, options) -> str`` and accept ``rendered=`` (those parts, in the
results' order) in ``render``: the CLI then renders each file where it was linted (in
the pool worker) and keeps only the findings, not the file's text, for the summary.
"""

from __future__ import annotations

import codecs
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from dflint.records import record

if TYPE_CHECKING:
    from dflint.engine import LintResult
    from dflint.rule import Finding, NewFile, Severity


# --format name -> module with ``render(results, stream, registry, options)``.
FORMATS: dict[str, str] = {
    "text": "dflint.report.text",
    "json": "dflint.report.json",
    "sarif": "dflint.report.sarif",
    "github": "dflint.report.github",
    "gitlab": "dflint.report.gitlab",
    "checkstyle": "dflint.report.checkstyle",
    "junit": "dflint.report.junit",
}


def encodes_unicode(stream: IO[str]) -> bool:
    """Whether ``stream`` can write every character: a UTF encoding, or none (an
    in-memory stream). A console or pipe may use a narrower one (Windows code pages,
    ``PYTHONIOENCODING=ascii``): the reports then write other characters as escapes
    (JSON ``\\uXXXX``, XML character references, ``\\u2192`` in text) instead of
    failing."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


@record
class ReportOptions:
    color: bool = False
    statistics: bool = False
    cwd: Path = Path()
    unsafe_fixes: bool = False  # `--unsafe-fixes`: unsafe fixes count as applicable


def display_path(path: str, cwd: Path) -> str:
    """Paths relative to the working directory where possible, POSIX separators, and
    printable (see :func:`printable`)."""
    return printable(relative_path(path, cwd))


def printable(text: str) -> str:
    """``text`` (a path) as any report can carry it: the bytes of a file name that are
    not UTF-8 (which Python keeps as lone surrogates, ``d\\udcff``) as ``\\xff``, the way
    ``ls -b`` shows them. Written as they are, they made the JSON and XML reports
    invalid documents and the SARIF and GitLab reports fail."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate no byte stands for (a UTF-16 name)
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return text


def relative_path(path: str, cwd: Path) -> str:
    """:func:`display_path` without :func:`printable`: the file system's own name (for a
    ``file:`` URI, which percent-encodes its bytes)."""
    if path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(path, cwd)  # both made absolute and normalised
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
    if rel.startswith(".."):
        return Path(path).as_posix()
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def created_path(result: LintResult, new: NewFile) -> str:
    """Where a fix of ``result`` creates ``new``: below the root of the build context the
    file was linted with (the path as the fix gives it when that is unknown or unsafe)."""
    from dflint.fix import is_new_file_path, new_file_location

    if result.context_root is None or not is_new_file_path(new.path):
        return new.path
    return str(new_file_location(result.context_root, new))


def visible(result: LintResult) -> list[Finding]:
    return [f for f in result.findings if not f.suppressed]


def severity_counts(results: Sequence[LintResult]) -> Counter[Severity]:
    return Counter(f.severity for r in results for f in visible(r))


def context_dict(result: LintResult, cwd: Path) -> dict[str, object] | None:
    """The build context a file was linted with, for the JSON and SARIF reports: its
    ``root`` (shown like paths), ``source`` (``--context``, ``default`` or the declaring
    file and its service/target), the ``named_contexts`` declared with it, the
    ``others`` that also build the file, and ``warnings`` (declaration files that could
    not be read, a context that could not be); ``None`` when no context was chosen."""
    choice = result.context_choice
    if choice is None:
        return None
    return {
        "root": display_path(str(choice.root), cwd),
        "source": choice.source,
        "named_contexts": list(choice.named_contexts),
        "others": list(choice.others),
        "warnings": list(choice.warnings),
    }
