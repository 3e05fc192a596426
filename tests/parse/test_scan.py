"""Line assembly and spans: physical lines to logical lines, heredoc bodies, CRLF, BOM."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate import generate, generate_fuzz
from dflint import ast
from dflint.parse import parse
from dflint.parse.scan import LineMap, Scanner
from dflint.source import LineIndex, Span


def _words(node: object) -> Iterator[ast.Word]:
    """Every Word reachable from ``node`` (fields of dataclasses, tuples)."""
    if isinstance(node, ast.Word):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from _words(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _words(getattr(node, f.name))


def _logical_lines(text: str, escape: str = "\\") -> list[str]:
    scanner = Scanner(text, escape, 0)
    out = []
    while (line := scanner.next_logical()) is not None:
        out.append(line.untrimmed)
    return out


CORPUS = generate(7, 300) + generate_fuzz(7, 300)


@pytest.mark.parametrize("seed", range(3))
def test_word_spans_slice_back_to_their_text(seed: int) -> None:
    checked = 0
    for text in CORPUS[seed::3]:
        for node in parse(text).instructions:
            for word in _words(node):
                piece = text[word.span.start : word.span.end]
                if "\n" in piece:
                    continue  # a continuation crosses the word: text is the joined form
                assert piece == word.text, (text, word)
                checked += 1
    assert checked > 1000


def test_flag_spans_point_at_the_flag() -> None:
    text = (
        "FROM a\nRUN --mount=type=cache,target=/x \\\n  --network=none echo\n"
        'COPY --chown="a b" x y\n'
    )
    result = parse(text)
    run, copy = result.instructions[1], result.instructions[2]
    assert [text[f.span.start : f.span.end] for f in run.flags] == [
        "--mount=type=cache,target=/x",
        "--network=none",
    ]
    flag = copy.flags[0]
    assert text[flag.span.start : flag.span.end] == '--chown="a b"'
    assert flag.text == "--chown=a b"
    assert flag.value_span is not None
    assert text[flag.value_span.start : flag.value_span.end] == '"a b"'


@pytest.mark.parametrize("text", CORPUS[:200])
def test_instruction_spans_are_ordered_and_disjoint(text: str) -> None:
    previous = 0
    for node in parse(text).instructions:
        assert previous <= node.span.start <= node.span.end <= len(text)
        assert node.line_span.start == node.span.start
        previous = node.span.end


def test_heredoc_body_and_terminator_spans() -> None:
    text = "FROM a\nRUN <<A cat && <<-B cat\nbody a\n$x\nA\n\tbody b\n\tB\nRUN x\n"
    run = parse(text).instructions[1]
    a, b = run.heredocs
    assert (a.name, a.content, b.name, b.content) == ("A", "body a\n$x\n", "B", "\tbody b\n")
    for doc in (a, b):
        assert text[doc.body_span.start : doc.body_span.end] == doc.content
        assert doc.terminator_span is not None
        assert text[doc.terminator_span.start : doc.terminator_span.end].lstrip("\t") == doc.name
    assert text[a.span.start : a.span.end] == "<<A"
    assert text[b.span.start : b.span.end] == "<<-B"
    assert run.span.end == text.index("\tB") + 2  # the instruction ends at its terminator
    assert run.line_span.end <= a.body_span.start


def test_unterminated_heredoc_body_runs_to_eof() -> None:
    text = "FROM a\nRUN <<EOF\nline\n"
    result = parse(text)
    doc = result.instructions[1].heredocs[0]
    assert doc.terminator_span is None
    assert doc.body_span == Span(text.index("line"), len(text))
    assert [e.message for e in result.errors] == ["unterminated heredoc"]


def test_crlf_lines_and_heredoc_content() -> None:
    lf = "FROM a\nRUN echo a \\\n  b\nRUN <<EOF\nx\nEOF\nENV A=1\n"
    crlf = lf.replace("\n", "\r\n")
    for text in (lf, crlf):
        result = parse(text)
        lines = LineIndex(text)
        assert [
            (lines.line_of(n.span.start), lines.line_of(n.span.end)) for n in result.instructions
        ] == [
            (1, 1),
            (2, 3),
            (4, 6),
            (7, 7),
        ]
        for node in result.instructions:
            assert not text[node.span.start : node.span.end].endswith("\r")
    run = parse(crlf).instructions[2]
    assert run.heredocs[0].content == "x\r\n"  # bodies keep their line endings
    assert parse(crlf).instructions[1].original == "RUN echo a   b"


def test_bom_is_skipped_and_spans_index_the_original_text() -> None:
    text = "\ufeff# escape=`\nFROM a\nRUN echo `\n  hi\n"
    result = parse(text)
    assert result.escape == "`"
    frm = result.instructions[0]
    assert frm.span.start == text.index("FROM")
    assert text[frm.keyword.span.start : frm.keyword.span.end] == "FROM"
    assert result.instructions[1].original == "RUN echo   hi"


def test_bom_only_on_the_first_line() -> None:
    text = "FROM a\n\ufeffRUN x\n"
    keyword = parse(text).instructions[1].keyword
    assert keyword.text == "\ufeffRUN"  # an unknown instruction, as in BuildKit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('RUN echo "\\\n     hello\\\n     world"\n', ['RUN echo "     hello     world"']),
        ("RUN a \\\n# comment\n\n   \n  b\n", ["RUN a   b"]),
        ("RUN a \\ \t\n  b\n", ["RUN a   b"]),
        ("RUN a\\\\\nRUN b\n", ["RUN a\\\\", "RUN b"]),
        ("RUN a\\\\\\\nRUN b\n", ["RUN a\\\\\\", "RUN b"]),  # BuildKit looks one char back
        ("RUN a \\\n\\\n b\n", ["RUN a  b"]),
        ("RUN a \\", ["RUN a "]),
        ("# c \\\nRUN b\n", ["RUN b"]),
        ("  RUN a\n", ["RUN a"]),
        ("RUN a\rRUN b\n", ["RUN a\rRUN b"]),  # a lone CR is not a line break
    ],
)
def test_logical_lines(text: str, expected: list[str]) -> None:
    assert _logical_lines(text) == expected


def test_backtick_escape_continues_and_backslash_is_literal() -> None:
    assert _logical_lines("RUN a `\n  b\nCOPY c:\\ d:\\\n", "`") == ["RUN a   b", "COPY c:\\ d:\\"]


def test_empty_continuation_lines_are_recorded() -> None:
    text = "FROM a\nRUN a \\\n\n  \\\n   \n  b\n"
    run = parse(text).instructions[1]
    assert run.empty_continuation_lines == (3, 5)
    assert LineIndex(text).line_of(run.span.end) == 6


def test_escape_only_first_line_starts_the_instruction() -> None:
    text = "FROM a\n\\\nRUN x\n"
    run = parse(text).instructions[1]
    assert run.span.start == text.index("\\")
    assert run.keyword.span.start == text.index("RUN")


def test_line_map_across_pieces() -> None:
    lm = LineMap()
    lm.add(0, 10)  # "abc" at 10..13
    lm.add(3, 20)  # "de" at 20..22
    assert [lm.offset(i) for i in range(5)] == [10, 11, 12, 20, 21]
    assert lm.span(1, 4) == Span(11, 21)
    assert lm.span(2, 2) == Span(12, 12)


def test_comments_are_collected_outside_instructions() -> None:
    text = "# syntax=docker/dockerfile:1\n# one\nFROM a\nRUN a \\\n  # inside\n  b\n#\n"
    result = parse(text)
    assert [c.text for c in result.comments] == ["one", "inside", ""]
    assert result.instructions[0].comments == ("one",)


@pytest.mark.parametrize("text", generate_fuzz(99, 400))
def test_parse_never_raises(text: str) -> None:
    parse(text)


def test_grammar_cache_is_opt_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # dflint writes nothing unless asked: no grammar cache without DFLINT_CACHE_DIR.
    from dflint.parse import grammar

    monkeypatch.delenv("DFLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert grammar._cache_file("\\") is False
    grammar.build_parser("\\")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("DFLINT_CACHE_DIR", str(tmp_path / "cache"))
    cache = grammar._cache_file("`")
    assert isinstance(cache, str)
    assert cache.startswith(str(tmp_path / "cache"))
