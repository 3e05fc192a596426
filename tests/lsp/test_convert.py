"""In-process tests of the pure conversions behind the language server."""

from __future__ import annotations

import pytest
from lsprotocol import types

from dflint.engine import LintResult, lint_text, prepare
from dflint.fix import apply_edits
from dflint.lsp.convert import (
    PositionEncoding,
    PositionMap,
    ignore_edit,
    kind_wanted,
    minimal_edit,
    quick_fixes,
)
from dflint.parse import parse
from dflint.rule import Edit, Finding, Fix, NewFile, Severity
from dflint.settings import Settings
from dflint.source import SourceFile, Span

UTF8, UTF16, UTF32 = PositionEncoding.UTF8, PositionEncoding.UTF16, PositionEncoding.UTF32


@pytest.mark.parametrize(
    ("encoding", "columns"),
    [
        # a, 😀, é, b and the end of the line
        (UTF8, [0, 1, 5, 7, 8]),
        (UTF16, [0, 1, 3, 4, 5]),
        (UTF32, [0, 1, 2, 3, 4]),
    ],
)
def test_positions_round_trip(encoding: PositionEncoding, columns: list[int]) -> None:
    text = "FROM x\na😀éb\n"
    positions = PositionMap(text, encoding)
    for i, column in enumerate(columns):
        offset = 7 + i
        assert positions.position(offset) == types.Position(line=1, character=column)
        assert positions.offset(types.Position(line=1, character=column)) == offset


def test_positions_clamp_and_crlf() -> None:
    text = "FROM x\r\nRUN y\r\n"
    positions = PositionMap(text)
    # The \r is not part of the line for the client.
    assert positions.position(text.index("\r")) == types.Position(0, 6)
    assert positions.position(text.index("\n")) == types.Position(0, 6)
    assert positions.offset(types.Position(0, 99)) == text.index("\r")
    assert positions.offset(types.Position(9, 0)) == len(text)
    assert positions.position(len(text)) == types.Position(2, 0)
    # Inside a surrogate pair (UTF-16): the character it belongs to ends there.
    emoji = PositionMap("😀x")
    assert emoji.offset(types.Position(0, 1)) == 1


def test_encoding_from_lsp() -> None:
    assert PositionEncoding.from_lsp("utf-8") is UTF8
    assert PositionEncoding.from_lsp(None) is UTF16
    assert PositionEncoding.from_lsp("utf-7") is UTF16


def test_minimal_edit() -> None:
    assert minimal_edit("abc", "abc") is None
    assert minimal_edit("a\nb\nc\n", "a\nc\n") == Edit(Span(2, 4), "")
    assert minimal_edit("aaa", "aaaa") == Edit(Span(3, 3), "a")
    for old, new in [("", "x"), ("x", ""), ("abcabc", "abXabc"), ("FROM a", "from b")]:
        edit = minimal_edit(old, new)
        assert edit is not None
        assert apply_edits(old, [edit]) == new


def _finding(text: str, needle: str, code: str = "DF201") -> Finding:
    at = text.index(needle)
    return Finding(code, "untagged-base-image", Severity.WARNING, "m", Span(at, at + len(needle)))


def _lint(text: str) -> LintResult:
    return lint_text(text, "Dockerfile", prepare(Settings(select=("DF001",))))


def test_ignore_edit_inserts_with_indentation_and_line_endings() -> None:
    text = "FROM a\r\n  RUN x \\\r\n    y\r\n"
    result = _lint(text)
    edit = ignore_edit(result, _finding(text, "y"))  # a continuation line: above the RUN
    assert edit is not None
    assert (
        apply_edits(text, [edit]) == "FROM a\r\n  # dflint: ignore=DF201\r\n  RUN x \\\r\n    y\r\n"
    )


def test_ignore_edit_extends_the_governing_comment() -> None:
    text = "FROM a\n# dflint: ignore=DF301 -- flaky mirror\n\n# why\nRUN x\n"
    edit = ignore_edit(_lint(text), _finding(text, "x"))
    assert edit is not None
    assert apply_edits(text, [edit]) == (
        "FROM a\n# dflint: ignore=DF301,DF201 -- flaky mirror\n\n# why\nRUN x\n"
    )
    # A comment above an earlier instruction governs only that one.
    text = "# dflint: ignore=DF301\nFROM a\nRUN x\n"
    edit = ignore_edit(_lint(text), _finding(text, "x"))
    assert edit is not None
    assert (
        apply_edits(text, [edit])
        == "# dflint: ignore=DF301\nFROM a\n# dflint: ignore=DF201\nRUN x\n"
    )


def test_ignore_edit_refuses_what_a_comment_cannot_suppress() -> None:
    text = "FROM a\n# just a comment\n"
    result = _lint(text)
    assert ignore_edit(result, _finding(text, "just")) is None  # not in an instruction
    assert ignore_edit(result, _finding(text, "FROM", code="DF001")) is None


def test_kind_wanted_is_hierarchical() -> None:
    assert kind_wanted("source.fixAll.dflint", None)
    assert kind_wanted("source.fixAll.dflint", ["source"])
    assert kind_wanted("source.fixAll.dflint", ["source.fixAll"])
    assert not kind_wanted("source.fixAll.dflint", ["quickfix"])
    assert not kind_wanted("quickfix", ["quick"])


@pytest.mark.parametrize(
    ("fix", "declined", "offered"),
    [
        (Fix("create", (), False, (NewFile("a", "1\n"), NewFile("b", "2\n"))), set(), True),
        # one file the server declines (it exists): the fix is not offered at all
        (Fix("create", (), False, (NewFile("a", "1\n"), NewFile("b", "2\n"))), {"b"}, False),
        # edits and files: malformed (dflint.rule.Fix), never offered
        (Fix("both", (Edit(Span(0, 4), "FROM"),), False, (NewFile("a", "1\n"),)), set(), False),
    ],
)
def test_quick_fixes_that_create_files(fix: Fix, declined: set[str], offered: bool) -> None:
    text = "FROM a\nCOPY . /x/\n"
    at = text.index(".")
    finding = Finding("DF403", "missing-dockerignore", Severity.WARNING, "m", Span(at, at + 1), fix)
    result = LintResult(SourceFile(text, "Dockerfile"), parse(text), (finding,))
    positions = PositionMap(text)

    def uri_of(new: NewFile) -> str | None:
        return None if new.path in declined else f"file:///ctx/{new.path}"

    actions = quick_fixes(result, positions, "file:///ctx/Dockerfile", finding.span, uri_of)
    titles = [a.title for a in actions]
    assert titles[-1] == "Ignore DF403 for this line"
    assert (len(titles) == 2) is offered
    if offered:
        edit = actions[0].edit
        assert edit is not None
        changes = edit.document_changes or []
        assert [c.kind if isinstance(c, types.CreateFile) else c.text_document.uri
                for c in changes] == [
            "create", "file:///ctx/a", "create", "file:///ctx/b"
        ]  # fmt: skip
    # A client that cannot create files gets no such fix.
    assert [a.title for a in quick_fixes(result, positions, "u", finding.span)] == titles[-1:]
