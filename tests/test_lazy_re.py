"""Patterns compiled on first use behave as the compiled pattern."""

from __future__ import annotations

import re

import pytest

from dflint.lazy_re import lazy


def test_methods_match_the_compiled_pattern() -> None:
    source, flags = r"(?P<key>[a-z]+)=(\d+)", re.IGNORECASE
    pattern, compiled = lazy(source, flags), re.compile(source, flags)
    text = "A=1 bb=22 ccc=x dd=4"
    assert pattern._compiled is None  # nothing compiled before the first use
    assert pattern.search(text, 2) is not None
    assert pattern.search(text, 2).span() == compiled.search(text, 2).span()  # type: ignore[union-attr]
    assert pattern.match(text) is not None
    assert compiled.match(text) is not None
    assert pattern.fullmatch("x=1") is not None
    assert pattern.fullmatch("x=1 ") is None
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.sub("<\\g<key>>", text, 2) == compiled.sub("<\\g<key>>", text, 2)
    assert pattern.subn(lambda m: m.group(2), text) == compiled.subn(lambda m: m.group(2), text)
    assert pattern.split(text) == compiled.split(text)
    assert pattern.pattern == source
    assert pattern.flags == compiled.flags
    assert pattern.compiled is pattern.compiled  # compiled once


def test_an_invalid_pattern_fails_at_first_use() -> None:
    pattern = lazy("(unclosed")
    with pytest.raises(re.error, match="missing \\)"):
        pattern.search("x")
