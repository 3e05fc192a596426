"""A problem repeated many times in one instruction is reported once, with a count; every
distinct problem is still reported (``engine.bound_repeats``)."""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast, engine
from dflint.model import Model
from dflint.rule import Context, Finding, NoOptions, Severity
from dflint.settings import Settings
from dflint.source import Span
from tests.fakes import make_rule

SYNTAX = engine.prepare(Settings(select=["DF001"]))


def _syntax_errors(text: str) -> list[Finding]:
    return list(engine.lint_text(text, "Dockerfile", SYNTAX, strict=True).findings)


def test_thousands_of_bare_label_words_are_one_finding_with_their_count() -> None:
    text = "FROM alpine:3.19\nLABEL a=b " + " ".join(f"w{i}" for i in range(5000)) + "\n"
    (finding,) = _syntax_errors(text)
    assert finding.message == (
        'Syntax error - can\'t find = in "w0". Must be of the form: name=value; '
        "and 4,999 more keys without `=`"
    )
    assert text[finding.span.start : finding.span.end] == "w0"  # the first one


def test_repeats_are_counted_per_instruction() -> None:
    text = "FROM alpine:3.19\nLABEL k=v a b c d\nENV k=v e f f\nLABEL k=v g h\n"
    messages = [f.message for f in _syntax_errors(text)]
    assert messages == [
        'Syntax error - can\'t find = in "a". Must be of the form: name=value; '
        "and 3 more keys without `=`",
        'Syntax error - can\'t find = in "e". Must be of the form: name=value; '
        "and 2 more keys without `=`",
        # two read better as two
        'Syntax error - can\'t find = in "g". Must be of the form: name=value',
        'Syntax error - can\'t find = in "h". Must be of the form: name=value',
    ]


def test_distinct_problems_in_the_same_instruction_all_stay() -> None:
    text = "FROM alpine:3.19\nLABEL k=v a b c d =x\n"
    assert [f.message for f in _syntax_errors(text)] == [
        'Syntax error - can\'t find = in "a". Must be of the form: name=value; '
        "and 3 more keys without `=`",
        "LABEL names can not be blank",
    ]


def _identical(count: int, kind: str | None = None) -> engine.PreparedRule:
    def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
        for node in model.instructions(ast.Run):
            for i in range(count):
                start = node.span.start + i % max(1, node.span.end - node.span.start)
                yield ctx.finding(Span(start, start), "Quote this", repeats=kind)
            yield ctx.finding(node.keyword.span, "A different problem")

    rule = make_rule("TST100", "identical", check=check)
    return engine.PreparedRule(rule, NoOptions(), Severity.WARNING)


def _messages(rule: engine.PreparedRule, text: str) -> list[str]:
    return [f.message for f in engine.lint_text(text, "Dockerfile", [rule], strict=True).findings]


def test_identical_messages_of_a_rule_without_a_kind_are_cut_only_when_they_flood() -> None:
    text = "FROM alpine:3.19\nRUN echo a b c\nRUN echo d\n"
    few = _messages(_identical(3), text)
    assert few.count("Quote this") == 6  # three per RUN: as they are
    flood = _messages(_identical(engine.IDENTICAL_KEPT + 50), text)
    more = engine.IDENTICAL_KEPT + 49
    assert flood.count(f"Quote this; and {more:,} more times in this instruction") == 2
    assert flood.count("A different problem") == 2
    assert len(flood) == 4


def test_a_rule_given_kind_groups_however_few() -> None:
    text = "FROM alpine:3.19\nRUN echo a b c\n"
    assert _messages(_identical(3, "unquoted words"), text) == [
        "Quote this; and 2 more unquoted words",
        "A different problem",
    ]


def test_suppressed_and_reported_repeats_are_counted_apart() -> None:
    findings = [
        Finding("TST100", "x", Severity.WARNING, "m", Span(20, 21), repeats="ms"),
        Finding("TST100", "x", Severity.WARNING, "m", Span(22, 23), repeats="ms"),
        Finding("TST100", "x", Severity.WARNING, "m", Span(24, 25), repeats="ms"),
        Finding("TST100", "x", Severity.WARNING, "m", Span(26, 27), suppressed=True, repeats="ms"),
    ]
    dockerfile = engine.build("FROM alpine:3.19\nRUN echo a b c d e f\n").dockerfile
    kept = engine.bound_repeats(findings, dockerfile)
    assert [(f.message, f.suppressed) for f in kept] == [("m; and 2 more ms", False), ("m", True)]
