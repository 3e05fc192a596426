"""`ADD "a b" /dest`: BuildKit splits the arguments at spaces first and then fails on
the word `"a` (an unclosed quote), so the build stops; DF001 says so, and no rule reads
the two halves as two sources."""

from __future__ import annotations

from dflint import engine
from dflint.settings import Settings


def codes(text: str) -> list[tuple[str, int]]:
    result = engine.lint_text(text, "Dockerfile", engine.prepare(Settings(select=("ALL",))))
    return sorted((f.code, result.reference_line(f)) for f in result.findings)


def test_a_quoted_path_with_a_space_fails_the_build() -> None:
    found = codes('FROM alpine:3.21\nADD "release notes.txt" /srv/docs\n')
    assert ("DF001", 2) in found
    assert not [c for c, _ in found if c == "DF104"]  # not "two sources to a file"


def test_a_quote_closed_inside_its_word_passes() -> None:
    found = codes('FROM alpine:3.21\nCOPY "notes.txt" /srv/docs/\n')
    assert ("DF001", 2) not in found
