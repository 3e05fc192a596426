"""Property tests of fixing over generated Dockerfiles (``benchmarks.generate``), with
every default rule and unsafe fixes on: fixing is idempotent, never adds a parse error,
keeps the file's line ending and BOM, and every fix's edits stay within the text."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate_one
from dflint.engine import LintResult, prepare
from dflint.fix import adds_errors, fix_text
from dflint.parse import parse
from dflint.settings import Settings

RULES = prepare(Settings())
BOUNDED = settings(
    max_examples=50,
    deadline=10_000,  # ms; a file is linted a few times per pass
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: a failure is reproducible
)


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    text = generate_one(random.Random(draw(st.integers(0, 2**32 - 1))))
    if draw(st.booleans()):  # all line breaks CRLF
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if draw(st.booleans()) and not text.startswith("\ufeff"):
        text = "\ufeff" + text
    return text


def _edits_within(result: LintResult) -> None:
    length = len(result.source.text)
    for finding in result.findings:
        for edit in finding.fix.edits if finding.fix else ():
            assert 0 <= edit.span.start <= edit.span.end <= length, (finding.code, edit)


@BOUNDED
@given(dockerfiles())
def test_fixing_is_idempotent_and_parse_preserving(text: str) -> None:
    fixed = fix_text(text, "Dockerfile", RULES, unsafe=True)
    _edits_within(fixed.remaining)
    assert not adds_errors(parse(text), parse(fixed.text))
    again = fix_text(fixed.text, "Dockerfile", RULES, unsafe=True)
    _edits_within(again.remaining)
    assert again.text == fixed.text
    assert again.fixed == ()
    assert fixed.text.startswith("\ufeff") == text.startswith("\ufeff")
    if text.count("\n") == text.count("\r\n"):  # an all-CRLF file stays all CRLF
        assert fixed.text.count("\n") == fixed.text.count("\r\n")
