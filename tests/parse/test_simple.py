"""The direct build of simple instructions gives exactly what the Lark parse gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dflint import ast
from dflint.ast import ParseError
from dflint.parse import _lark_patterns, _parser_for, _parsers_for, grammar
from dflint.parse.scan import Scanner
from dflint.parse.simple import Patterns, parse_simple
from dflint.source import Span

ROOT = Path(__file__).resolve().parents[2]


def _both(line: str, escape: str = "\\") -> tuple[object, object] | None:
    """(direct, Lark) results for ``line``: the node and the errors, or None when the
    direct build does not take the line."""
    parser, transformer, postlex, lock = _parser_for(escape)
    patterns = _parsers_for(escape).patterns
    with lock:
        scanner = Scanner(line, escape, 0)
        logical = scanner.next_logical()
        assert logical is not None
        ctx = transformer.ctx
        results = []
        for direct in (True, False):
            ctx.line = postlex.text = logical.text
            ctx.map = logical.map
            ctx.span_start, ctx.span_end = logical.head, logical.end
            ctx.comments, ctx.original = logical.comments, logical.untrimmed
            errors: list[ParseError] = []
            ctx.errors = errors
            node = (
                parse_simple(logical.text, transformer, patterns)
                if direct
                else parser.parse(logical.text)
            )
            if node is None:
                return None
            results.append((node, tuple(errors)))
    return results[0], results[1]


def _lines(text: str) -> list[str]:
    """The instruction lines of a Dockerfile (first physical line of each, joined
    continuations are left to the corpus tests)."""
    return [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and not line.endswith("\\")
    ]


def test_every_simple_line_of_the_shipped_dockerfiles() -> None:
    files = [
        p
        for folder in ("tests", "examples")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and ("Dockerfile" in p.name or p.name == "Containerfile")
    ]
    taken = 0
    for path in files:
        for line in _lines(path.read_text(encoding="utf-8", errors="replace")):
            pair = _both(line)
            if pair is None:
                continue
            taken += 1
            assert pair[0] == pair[1], (path, line)
    assert taken > 300  # the shipped files hold many RUN/CMD/WORKDIR/USER lines


EDGE_LINES = [
    "RUN echo k",
    "run  \t echo k",
    "Run echo 'a b' \"c\" \\$x `y`",
    "RUN [ -f x ] && echo y",  # shell form beginning with [: Lark decides
    'CMD ["a", "b"]',
    "CMD [1, 2]",
    "ENTRYPOINT exec app --flag",
    "RUN --mount=type=cache,target=/x make",
    "RUN --mount=type=cache,target=/x --network=none  make -j4",
    "COPY --from=build --chown=app:app /out /app/",
    'COPY --from=build ["a b", "c/"]',
    "ADD --checksum=sha256:abc https://example.com/x /x",
    "FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
    'RUN --mount=type=secret,id=x,env="A B" cmd',
    "RUN --mount='type=bind,source=a b' cmd",
    "RUN --mount=x\\ y cmd",
    "RUN --mount=x",
    "RUN --mount=x --",
    "RUN --mount=x -- make",
    "RUN --mount=x -y",
    "ENV --x a=b",
    "COPY --link a b",
    "COPY --from=a\tb c",
    "RUN -- make",
    "RUN -x",
    "SHELL sh -c",
    "USER 1000:1000",
    "USER [app]",
    "WORKDIR /app",
    "WORKDIR --x",
    "MAINTAINER Jane <j@example.com>",
    "STOPSIGNAL SIGTERM",
    "RUN",
    "RUN\techo",
    "RUN \x0becho",
    "RUN\x0becho",
    "RUN \u00a0echo",
    "RUN echo \u00e9",
    'LABEL description="caf\u00e9 \u221a \U0001f600"',
    "RUN echo \u00c5",
    "RUN echo a\u2003b",
    "COPY --chown=\u00e9 a b",
    "COPY --from=\u00c5 a b",
    "WOR\u212aDIR /x",
    "ENV \u4e2d=\u6587",
    "RUNX echo",
    "FROM alpine",
    "ONBUILD RUN echo",
    "onbuild\tCOPY --from=build /a /b",
    "ONBUILD RUN",
    "ONBUILD",
    "ONBUILD --x RUN echo",
    "ONBUILD ONBUILD RUN echo",
    "ONBUILD FROM alpine",
    "ONBUILD \x0bRUN echo",
    'ONBUILD CMD ["a"]',
    "ONBUILD RUNX echo",
    "HEALTHCHECK CMD true",
    "HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ || exit 1",
    'HEALTHCHECK CMD ["curl", "-f", "http://x/"]',
    "HEALTHCHECK NONE",
    "HEALTHCHECK CMD",
    "healthcheck\tcmd\t true",
    "HEALTHCHECK CMD [1]",
    "HEALTHCHECK CMD\u00a0true",
    "FROM alpine:3.20 AS build",
    "from a as b c",
    "EXPOSE 80 443/udp\t8080",
    'COPY ["a b", "c/"]',
    "COPY [a] b",
    "ADD [1, 2]",
    "COPY a\x0bb c",
    "VOLUME /data /logs",
    "ENV a=b  c='d e' f=\"g h\"",
    "ENV a b c",
    'ENV x="unclosed y',
    "LABEL 'a b'=c d=e\\ f",
    "ARG NAME",
    "ARG a=1 b",
    "ENV a=`b c",
    "LABEL a=\\",
]


def test_edge_lines() -> None:
    taken = []
    for line in EDGE_LINES:
        pair = _both(line)
        if pair is not None:
            taken.append(line)
            assert pair[0] == pair[1], line
    assert "RUN echo k" in taken
    assert {"RUN echo \u00e9", "COPY --chown=\u00e9 a b", "ENV \u4e2d=\u6587"} <= set(taken)
    assert "USER [app]" in taken  # TEXT only: a bracket is an ordinary argument
    assert {"CMD [1, 2]", "FROM alpine", "ENV a b c", 'COPY ["a b", "c/"]'} <= set(taken)
    assert "RUN --mount=type=cache,target=/x make" in taken
    assert "COPY --from=build --chown=app:app /out /app/" in taken
    not_taken = {"RUN -x", "RUN -- make", "RUN --mount=x -- make", "RUN --mount=x", "RUN"}
    not_taken |= {"RUN \x0becho", "RUN \u00a0echo", "RUNX echo"}
    # Unicode spaces and the characters whose UTF-8 holds byte 0x85 or 0xA0 go to Lark
    not_taken |= {"RUN echo \u00c5", "RUN echo a\u2003b", "COPY --from=\u00c5 a b"}
    not_taken |= {"ONBUILD RUN", "ONBUILD", "ONBUILD --x RUN echo", "ONBUILD ONBUILD RUN echo"}
    not_taken |= {"ONBUILD \x0bRUN echo", "ONBUILD RUNX echo"}
    assert not not_taken & set(taken)
    assert {"ONBUILD RUN echo", "onbuild\tCOPY --from=build /a /b", "ONBUILD FROM alpine"} <= set(
        taken
    )
    assert {"HEALTHCHECK CMD true", "HEALTHCHECK NONE", "HEALTHCHECK CMD"} <= set(taken)


_KEYWORDS = st.sampled_from(
    [
        *("RUN", "run", "Cmd", "ENTRYPOINT", "shell", "USER", "workdir", "MAINTAINER"),
        *("STOPSIGNAL", "FROM", "expose", "COPY", "Add", "VOLUME", "ENV", "label", "ARG"),
        "HEALTHCHECK",
    ]
)
_CHARS = st.sampled_from(
    [
        *" \t\x0b\x0c\r-[]{}\"'`\\$#=,:;/aZ09",
        *("\u00a0", "\u00e9", "\u00c5", "\u2003", "\u212a", "\u4e2d", "\U0001f600"),
        *("\u2020", "\u0130"),
    ]
)


@settings(max_examples=1500, deadline=None)
@given(_KEYWORDS, st.text(" \t\x0b", max_size=3), st.text(_CHARS, max_size=20))
def test_generated_lines(keyword: str, blanks: str, rest: str) -> None:
    line = keyword + blanks + rest
    for escape in ("\\", "`"):
        pair = _both(line, escape)
        if pair is not None:
            assert pair[0] == pair[1], (line, escape)


_FLAG_PARTS = st.sampled_from(
    [
        *("--mount=type=cache,target=/x", "--from=a", "--link", "--", "-", '"a b"', "'c d'"),
        *("\\ ", "=", ",", "x", " ", "\t", "\u00a0"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(_KEYWORDS, st.lists(_FLAG_PARTS, max_size=6).map("".join), st.text(_CHARS, max_size=10))
def test_generated_lines_with_flags(keyword: str, flags: str, rest: str) -> None:
    line = f"{keyword} {flags} {rest}"
    for escape in ("\\", "`"):
        pair = _both(line, escape)
        if pair is not None:
            assert pair[0] == pair[1], (line, escape)


def test_spans_point_into_the_line() -> None:
    pair = _both("RUN   echo hi")
    assert pair is not None
    node = pair[0][0]  # type: ignore[index]
    assert isinstance(node, ast.Run)
    assert node.command is not None
    assert node.keyword.span == Span(0, 3)
    assert node.command.span == Span(6, 13)


@pytest.mark.parametrize("escape", ["\\", "`"])
def test_the_shipped_terminals_are_the_grammars(escape: str) -> None:
    """The direct build reads the terminals from the pre-built file, without Lark."""
    shipped = grammar.terminal_patterns(escape)
    assert shipped is not None
    assert grammar.shipped_terminals(escape) == shipped  # the JSON beside the tables
    parser = _parser_for(escape)[0]
    assert shipped == {t.name: t.pattern.to_regexp() for t in parser.terminals}
    direct, from_lark = _parsers_for(escape).patterns, _lark_patterns(parser)
    assert Patterns.TERMINALS.keys() == Patterns.__annotations__.keys() - {"TERMINALS"}
    for name in Patterns.TERMINALS:
        assert getattr(direct, name).pattern == getattr(from_lark, name).pattern, name


def test_terminals_of_another_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    saved = grammar.saved_file("\\")
    assert saved is not None
    edited = {**saved, "key": {**saved["key"], "grammar": saved["key"]["grammar"] + "// x"}}
    assert grammar.terminal_patterns("\\", edited) is None
    assert grammar.terminal_patterns("\\", None) is None
    # a pattern of a kind it does not know: Lark decides
    memo = {0: {"__type__": "TerminalDef", "name": "X", "pattern": {"__type__": "Other"}}}
    assert grammar.terminal_patterns("\\", {**saved, "memo": memo}) is None


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(["ONBUILD", "onbuild", "OnBuild"]),
    st.text(" \t\x0b", max_size=2),
    _KEYWORDS,
    st.lists(_FLAG_PARTS, max_size=3).map("".join),
    st.text(_CHARS, max_size=10),
)
def test_generated_onbuild_lines(
    onbuild: str, blanks: str, keyword: str, flags: str, rest: str
) -> None:
    line = f"{onbuild}{blanks}{keyword} {flags} {rest}"
    for escape in ("\\", "`"):
        pair = _both(line, escape)
        if pair is not None:
            assert pair[0] == pair[1], (line, escape)


def test_stale_or_broken_terminal_files_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = grammar._read

    def serving(text: str) -> None:
        def read(name: str) -> bytes:
            if name.endswith(".terminals.json"):
                return text.encode()
            return real(name)

        monkeypatch.setattr(grammar, "_read", read)

    key = {"grammar": grammar._grammar_for("\\"), "options": grammar._OPTIONS}
    serving(json.dumps({"key": key, "terminals": {"FLAG": "--x"}}))
    assert grammar.shipped_terminals("\\") == {"FLAG": "--x"}
    for broken in (
        json.dumps({"key": {**key, "grammar": "start: x"}, "terminals": {"FLAG": "--x"}}),
        json.dumps({"key": key, "terminals": {"FLAG": 3}}),
        json.dumps({"key": key}),
        json.dumps([1]),
        "{not json",
    ):
        serving(broken)
        assert grammar.shipped_terminals("\\") is None, broken
        assert grammar.shipped_terminals("`") is None  # another grammar text


def test_parsers_fall_back_to_the_tables_without_a_terminals_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dflint.parse as parse_module

    monkeypatch.setattr(parse_module, "shipped_terminals", lambda escape: None)
    parsers = parse_module._Parsers("\\")
    assert parsers._lark is None  # the pre-built tables gave the patterns, not Lark
    assert parsers.patterns.flag.pattern == grammar.terminal_patterns("\\")["FLAG"]  # type: ignore[index]
