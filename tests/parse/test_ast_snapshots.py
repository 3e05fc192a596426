"""AST snapshots of the real-world corpus, and the "nothing lost" span invariant.

Each ``corpus/<name>.Dockerfile`` is rendered to a stable, readable text form (node
type, ``line:col-line:col`` spans, fields) and compared to ``snapshots/<name>.snap``.
Run ``pytest --update-snapshots`` to regenerate after a reviewed change.
"""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from pathlib import Path

import pytest

from dflint import ast
from dflint.parse import parse
from dflint.source import LineIndex, Span

HERE = Path(__file__).parent
CORPUS = sorted((HERE / "corpus").glob("*.Dockerfile"))
SNAPSHOTS = HERE / "snapshots"


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as f:  # keep CRLF as written
        return f.read()


class _Renderer:
    """Dataclass trees to indented text; empty fields are left out to keep it readable."""

    def __init__(self, text: str) -> None:
        self.lines = LineIndex(text)
        self.out: list[str] = []

    def span(self, span: Span) -> str:
        start = self.lines.position(span.start)
        end = self.lines.position(span.end)
        return f"{start.line}:{start.column}-{end.line}:{end.column}"

    def word(self, word: ast.Word) -> str:
        shown = f"{self.span(word.span)} {word.text!r}"
        return shown if word.value == word.text else f"{shown} -> {word.value!r}"

    def scalar(self, value: object) -> str | None:
        """One-line form of a leaf value, or None for a node that needs its own lines."""
        if isinstance(value, Span):
            return self.span(value)
        if isinstance(value, ast.Word):
            return self.word(value)
        if isinstance(value, Enum):
            return str(value.value)
        if isinstance(value, (str, int, bool)):
            return repr(value)
        if isinstance(value, tuple) and all(isinstance(v, (str, int)) for v in value):
            return repr(value)
        return None

    def node(self, obj: object, indent: str) -> None:
        assert dataclasses.is_dataclass(obj)
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.name == "span" or value is None or value == () or value == "":
                continue
            leaf = self.scalar(value)
            if leaf is not None:
                self.out.append(f"{indent}{f.name}: {leaf}")
            elif isinstance(value, tuple):
                self.out.append(f"{indent}{f.name}:")
                for item in value:
                    self.item(item, indent + "  ")
            else:
                self.out.append(f"{indent}{f.name}:")
                self.item(value, indent + "  ")

    def item(self, obj: object, indent: str) -> None:
        leaf = self.scalar(obj)
        if leaf is not None:
            self.out.append(f"{indent}- {leaf}")
            return
        span = getattr(obj, "span", None)
        header = type(obj).__name__ + (f" {self.span(span)}" if isinstance(span, Span) else "")
        self.out.append(f"{indent}- {header}")
        self.node(obj, indent + "    ")


def render(text: str) -> str:
    """The stable text form of ``parse(text)``."""
    result = parse(text)
    r = _Renderer(text)
    r.out.append(f"escape: {result.escape!r}")
    for title, items in (
        ("directives", result.directives),
        ("comments", result.comments),
        ("errors", result.errors),
        ("instructions", result.instructions),
    ):
        r.out.append(f"{title}:")
        for item in items:
            r.item(item, "  ")
    return "\n".join(r.out) + "\n"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_snapshot(path: Path, update_snapshots: bool) -> None:
    snap = SNAPSHOTS / f"{path.stem}.snap"
    got = render(_read(path))
    if update_snapshots or not snap.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        snap.write_text(got, encoding="utf-8", newline="\n")
        if not update_snapshots:
            pytest.fail(f"snapshot {snap.name} was missing and has been written; review it")
        return
    assert got == snap.read_text(encoding="utf-8"), (
        f"AST of {path.name} changed; review and run pytest --update-snapshots"
    )


# A gap between instructions: blank lines and comment/directive lines only.
_GAP_LINE = re.compile(r"[\t\x0b\x0c\r \ufeff]*(#.*)?")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_parses_clean(path: Path) -> None:
    result = parse(_read(path))
    assert [(e.layer, e.message) for e in result.errors] == []


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_nothing_lost(path: Path) -> None:
    """Instruction spans are ordered, do not overlap, and only whitespace, comments and
    directives lie between them."""
    text = _read(path)
    result = parse(text)
    assert result.instructions
    pos = 0
    for node in result.instructions:
        assert node.span.start >= pos, f"{node.keyword.text} overlaps the previous instruction"
        assert node.line_span.start == node.span.start
        assert node.line_span.end <= node.span.end
        for line in text[pos : node.span.start].split("\n"):
            assert _GAP_LINE.fullmatch(line), f"text lost before {node.keyword.text}: {line!r}"
        pos = node.span.end
    for line in text[pos:].split("\n"):
        assert _GAP_LINE.fullmatch(line), f"text lost at the end: {line!r}"
    for comment in result.comments:
        assert text[comment.span.start : comment.span.end].lstrip().startswith("#")
